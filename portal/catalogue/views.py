"""Thin views over browse, linkthrough and ratings."""

from datetime import date

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import page_cache, popularity
from portal.catalogue import catalogue
from portal.catalogue.browse import DIMENSIONS, browse, published_matter, sibling_matters
from portal.catalogue.forms import AppealForm, DecisionForm, RatingForm, RectifyForm
from portal.catalogue.jsonld import government_service
from portal.catalogue.linkthrough import handling_target
from portal.catalogue.ratings import (
    RatingRefused,
    appeal,
    decide,
    department_rectifications,
    pending_appeals,
    rate,
    rating_by,
    rating_summary,
    rectify,
)
from portal.extensions import db, limiter
from portal.models import Appeal, Rectification
from portal.permissions import public, require_department, roles_required, signed_in


def _page_number():
    return request.args.get("page", 1, type=int) or 1


@catalogue.route("/matters")
@public
def browse_matters():
    chosen = {dimension: request.args[dimension].strip()[:200] for dimension in DIMENSIONS
              if request.args.get(dimension, "").strip()}
    result = browse(chosen, page=_page_number())

    def browse_url(dimension, value):
        """This listing with one filter set to `value` (None: removed), back on page 1."""
        changed = {key: val for key, val in chosen.items() if key != dimension}
        if value is not None:
            changed[dimension] = value
        return url_for(".browse_matters", **changed)

    facet_labels = {(dimension, item.value): item.label for dimension, items in result.facets.items() for item in items}
    page_cache.share()
    return render_template("catalogue/browse.html", result=result, chosen=chosen, browse_url=browse_url,
                           facet_labels=facet_labels)


def _published_or_404(code):
    """The published matter, or a 404 page with a search box (unknown, draft or withdrawn alike)."""
    matter = published_matter(code)
    if matter is None:
        abort(make_response(render_template("catalogue/not_found.html", code=code), 404))
    return matter


@catalogue.route("/matters/<code>")
@public
def guide(code):
    matter = _published_or_404(code)
    popularity.count_view(matter.id, current_user)
    page_cache.share(on_hit=popularity.view_counter(matter.id))  # each visitor served from memory counts too
    return render_template(
        "catalogue/guide.html", matter=matter, summary=rating_summary(matter), jsonld=government_service(matter),
        my_rating=rating_by(matter, current_user), siblings=sibling_matters(matter),
        # Only a signed-in visitor gets the rating form (its CSRF token would make the page theirs).
        form=RatingForm() if current_user.is_authenticated else None,
    )


@catalogue.route("/matters/<code>/print")
@public
def print_guide(code):
    matter = _published_or_404(code)
    page_cache.share()
    return render_template("catalogue/print.html", matter=matter)


@catalogue.route("/matters/<code>/ratings", methods=["POST"])
@signed_in
@limiter.limit("20/hour")
def rate_matter(code):
    matter = _published_or_404(code)
    form = RatingForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for(".guide", code=code, _anchor="rating"))
    try:
        rating = rate(matter, current_user, form.level.data, form.comment.data)
    except RatingRefused as refused:
        flash(str(refused), "error")
    else:
        message = _("感谢您的评价。") if not rating.is_poor else \
            _("感谢您的评价。我们已通知实施部门在 15 个工作日内整改并答复。")
        flash(message, "success")
    return redirect(url_for(".guide", code=code, _anchor="rating"))


@catalogue.route("/go/<code>")
@public
def go(code):
    """Records the click, then 302 to the handling URL: only ever on the matter's registered platform."""
    matter = _published_or_404(code)
    channel = "mobile" if request.args.get("channel") == "mobile" else "pc"
    target = handling_target(matter, channel)
    if target is None:
        return render_template("catalogue/go_unavailable.html", matter=matter), 404
    if matter.platform.is_down:
        return render_template("catalogue/go_unavailable.html", matter=matter, down=True), 503
    popularity.count_link_through(matter, current_user)
    return redirect(target, code=302)


@catalogue.route("/ratings/rectifications")
@roles_required("editor", "reviewer")
def rectifications():
    department_id = None if current_user.has_role("admin") else current_user.department_id
    items = department_rectifications(department_id) if department_id or current_user.has_role("admin") else []
    return render_template("catalogue/rectifications.html", items=items, rectify_form=RectifyForm(),
                           appeal_form=AppealForm(), today=date.today())


@catalogue.route("/ratings/rectifications/<int:rectification_id>", methods=["POST"])
@roles_required("editor")
def act_on_rectification(rectification_id):
    item = db.get_or_404(Rectification, rectification_id)
    require_department(item.department_id)
    action = request.form.get("action")
    form = RectifyForm() if action == "rectify" else AppealForm()
    if not form.validate_on_submit():
        flash(_("请填写整改情况或申诉理由。"), "error")
        return redirect(url_for(".rectifications"))
    try:
        if action == "rectify":
            rectify(item, current_user, form.response.data)
            flash(_("已提交整改情况。"), "success")
        else:
            appeal(item, current_user, form.reason.data)
            flash(_("已提交申诉，等待复核。"), "success")
    except RatingRefused as refused:
        flash(str(refused), "error")
    return redirect(url_for(".rectifications"))


@catalogue.route("/ratings/appeals")
@roles_required("admin")
def appeals():
    return render_template("catalogue/appeals.html", appeals=pending_appeals(), form=DecisionForm())


@catalogue.route("/ratings/appeals/<int:appeal_id>", methods=["POST"])
@roles_required("admin")
def decide_appeal(appeal_id):
    appeal_row = db.get_or_404(Appeal, appeal_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("请选择复核结论。"), "error")
        return redirect(url_for(".appeals"))
    try:
        decide(appeal_row, current_user, form.decision.data == "uphold", form.note.data)
        flash(_("已完成复核。"), "success")
    except RatingRefused as refused:
        flash(str(refused), "error")
    return redirect(url_for(".appeals"))

