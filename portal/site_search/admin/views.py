"""Administrators' search pages: analytics, synonyms, best bets (thin views)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.models import BestBet, LexiconEntry, SynonymGroup
from portal.permissions import roles_required
from portal.site_search.admin import analytics, search_admin
from portal.site_search.admin.best_bets import BestBetError, add_best_bet, all_best_bets, is_active, remove_best_bet
from portal.site_search.admin.forms import BestBetForm, DeleteForm, LexiconForm, SynonymForm
from portal.site_search.admin.lexicon import SOURCE_LABELS, LexiconError, delete_entry, lexicon_page, save_entry
from portal.site_search.admin.synonyms import delete_group, save_group


@search_admin.route("/")
@roles_required("admin")
def index():
    return render_template(
        "search_admin/index.html", totals=analytics.totals(), top=analytics.top_queries(),
        zero=analytics.zero_result_queries(), recent=analytics.recent_queries(),
    )


@search_admin.route("/synonyms", methods=["GET", "POST"])
@roles_required("admin")
def synonyms():
    form = SynonymForm()
    if form.validate_on_submit():
        if save_group(current_user, form.terms.data):
            flash(_("已添加同义词组。"), "success")
            return redirect(url_for("search_admin.synonyms"))
        form.terms.errors.append(_("请至少填写两个不同的词，用逗号分隔。"))
    groups = db.session.scalars(select(SynonymGroup).order_by(SynonymGroup.source, SynonymGroup.id)).all()
    return render_template("search_admin/synonyms.html", form=form, groups=groups, delete_form=DeleteForm())


@search_admin.route("/synonyms/<int:group_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_synonym(group_id):
    group = db.session.get(SynonymGroup, group_id) or abort(404)
    form = SynonymForm(data={"terms": "，".join(group.term_list)})
    if form.validate_on_submit():
        if save_group(current_user, form.terms.data, group=group):
            flash(_("已保存同义词组。"), "success")
            return redirect(url_for("search_admin.synonyms"))
        form.terms.errors.append(_("请至少填写两个不同的词，用逗号分隔。"))
    return render_template("search_admin/edit_synonym.html", form=form, group=group)


@search_admin.route("/synonyms/<int:group_id>/delete", methods=["POST"])
@roles_required("admin")
def delete_synonym(group_id):
    group = db.session.get(SynonymGroup, group_id) or abort(404)
    return _delete(delete_group, group, _("已删除同义词组。"), "search_admin.synonyms")


@search_admin.route("/lexicon", methods=["GET", "POST"])
@roles_required("admin")
def lexicon():
    form = LexiconForm()
    if form.validate_on_submit() and (saved := _save_lexicon(form, _("已添加俗称词条。"))):
        return saved
    page = lexicon_page(request.args.get("q", ""), request.args.get("source", ""), request.args.get("page", 1))
    return render_template("search_admin/lexicon.html", form=form, page=page, delete_form=DeleteForm(),
                           source_labels=SOURCE_LABELS)


@search_admin.route("/lexicon/<int:entry_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_lexicon(entry_id):
    entry = db.session.get(LexiconEntry, entry_id) or abort(404)
    form = LexiconForm(data={"term": entry.term, "officials": "，".join(entry.official_list), "note": entry.note,
                             "enabled": entry.enabled})
    if form.validate_on_submit() and (saved := _save_lexicon(form, _("已保存俗称词条。"), entry)):
        return saved
    return render_template("search_admin/edit_lexicon.html", form=form, entry=entry)


def _save_lexicon(form, message, entry=None):
    """Save the form as a new entry (or as entry): the redirect back to the list, or None with the
    reason put on the form."""
    try:
        save_entry(current_user, form.term.data, form.officials.data, form.note.data, entry=entry,
                   enabled=form.enabled.data)
    except LexiconError as error:
        form.term.errors.append(error.message)
        return None
    flash(message, "success")
    return redirect(url_for("search_admin.lexicon"))


@search_admin.route("/lexicon/<int:entry_id>/delete", methods=["POST"])
@roles_required("admin")
def delete_lexicon(entry_id):
    entry = db.session.get(LexiconEntry, entry_id) or abort(404)
    return _delete(delete_entry, entry, _("已删除俗称词条。"), "search_admin.lexicon")


@search_admin.route("/best-bets", methods=["GET", "POST"])
@roles_required("admin")
def best_bets():
    form = BestBetForm()
    if form.validate_on_submit():
        try:
            add_best_bet(current_user, form.query.data, form.matter_code.data, form.position.data,
                         form.expires_on.data, form.comment.data)
        except BestBetError as error:
            form.matter_code.errors.append(error.message)
        else:
            flash(_("已添加推荐结果。"), "success")
            return redirect(url_for("search_admin.best_bets"))
    return render_template("search_admin/best_bets.html", form=form, bets=all_best_bets(), is_active=is_active,
                           delete_form=DeleteForm())


@search_admin.route("/best-bets/<int:bet_id>/delete", methods=["POST"])
@roles_required("admin")
def delete_best_bet(bet_id):
    bet = db.session.get(BestBet, bet_id) or abort(404)
    return _delete(remove_best_bet, bet, _("已删除推荐结果。"), "search_admin.best_bets")


def _delete(remove, record, message, back_to):
    """A delete button's POST: CSRF-checked, audited by `remove`, then back to the list."""
    if DeleteForm().validate_on_submit():
        remove(current_user, record)
        flash(message, "success")
    return redirect(url_for(back_to))
