"""The operator console (one keyboard-first screen), the call log and the hand-off pages."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.extensions import db
from portal.hotline import cases, hotline, lookup
from portal.hotline.forms import ActionForm, CallForm, FeedbackForm, ReplyForm
from portal.knowledge.stale import is_expired, is_stale
from portal.models import AnswerFeedback, Department, HandOff
from portal.models.base import STATUS_PUBLISHED
from portal.permissions import roles_required
from portal.workflow import WorkflowError

DEPARTMENT_STAFF = ("editor", "reviewer")


def _is_htmx():
    return request.headers.get("HX-Request") == "true"


def _call_form(answer=None, matter=None, formdata=None):
    chosen = {"answer_id": getattr(answer, "id", None), "matter_code": getattr(matter, "code", None)}
    form = CallForm(formdata=formdata, data=chosen if formdata is None else None)
    choose = SelectChoice("", _("请选择"))
    form.category.choices = [choose, *(SelectChoice(name) for name in cases.call_categories())]
    form.outcome.choices = [SelectChoice(choice.value, cases.outcome_label(choice.value))
                            for choice in form.outcome.choices]
    departments = db.session.execute(db.select(Department.id, Department.name).order_by(Department.name)).all()
    form.department_id.choices = [choose, *(SelectChoice(row.id, row.name) for row in departments)]
    return form


def _facts_of(answer, matter):
    """The matters whose key facts the panel shows: the chosen one, or the answer's published ones."""
    if matter is not None:
        return [matter]
    return [linked for linked in answer.matters if linked.status == STATUS_PUBLISHED] if answer else []


def _panel_context(answer=None, matter=None, call_form=None):
    return {
        "answer": answer, "matter": matter, "matters": _facts_of(answer, matter),
        "stale": is_stale(answer) if answer else False, "expired": is_expired(answer) if answer else False,
        "call_form": call_form or _call_form(answer, matter), "feedback_form": FeedbackForm(formdata=None),
    }


@hotline.route("/")
@roles_required("operator")
def console():
    """The whole screen; without JavaScript the search form and the result links land here."""
    query_text = (request.args.get("q") or "").strip()
    results, hits = lookup.console_search(query_text) if query_text else (None, [])
    answer_id = request.args.get("answer", type=int)
    answer = lookup.console_answer(answer_id) if answer_id else None
    matter = lookup.console_matter(request.args["matter"]) if request.args.get("matter") and not answer else None
    if answer:
        lookup.record_use(answer, current_user)
    return _console_page(query_text, hits, results, _panel_context(answer, matter))


def _console_page(query_text, hits, results, panel):
    return render_template(
        "hotline/console.html", query_text=query_text, hits=hits, results=results,
        replied=cases.replied_to(current_user), recent=lookup.recently_used(current_user),
        popular=lookup.most_used_today(), **panel,
    )


@hotline.route("/search")
@roles_required("operator")
def search():
    query_text = (request.args.get("q") or "").strip()
    if not _is_htmx():
        return redirect(url_for("hotline.console", q=query_text or None))
    results, hits = lookup.console_search(query_text) if query_text else (None, [])
    return render_template("hotline/_results.html", query_text=query_text, hits=hits, results=results)


@hotline.route("/answers/<int:answer_id>")
@roles_required("operator")
def answer_panel(answer_id):
    if not _is_htmx():
        return redirect(url_for("hotline.console", answer=answer_id))
    answer = lookup.console_answer(answer_id) or abort(404)
    lookup.record_use(answer, current_user)
    return render_template("hotline/_panel.html", **_panel_context(answer=answer))


@hotline.route("/matters/<code>")
@roles_required("operator")
def matter_panel(code):
    if not _is_htmx():
        return redirect(url_for("hotline.console", matter=code))
    matter = lookup.console_matter(code) or abort(404)
    return render_template("hotline/_panel.html", **_panel_context(matter=matter))


@hotline.route("/answers/<int:answer_id>/feedback", methods=["POST"])
@roles_required("operator")
def feedback(answer_id):
    answer = lookup.console_answer(answer_id) or abort(404)
    form = FeedbackForm()
    if not form.validate():
        message, category = _("请选择反馈类型。"), "error"
    else:
        db.session.add(AnswerFeedback(answer_id=answer.id, operator_id=current_user.id, kind=form.kind.data))
        db.session.commit()
        message, category = _("谢谢，已记录您的反馈。"), "success"
    if _is_htmx():
        return render_template("hotline/_notice.html", message=message, category=category)
    flash(message, category)
    return redirect(url_for("hotline.console", answer=answer.id))


@hotline.route("/calls", methods=["GET", "POST"])
@roles_required("operator")
def calls():
    if request.method == "GET":
        return render_template("hotline/calls.html", calls=cases.calls_of(current_user),
                               action_form=ActionForm(formdata=None))
    form = _call_form(formdata=request.form)
    answer = lookup.console_answer(form.answer_id.data) if form.answer_id.data else None
    matter = lookup.console_matter(form.matter_code.data) if form.matter_code.data else None
    if not form.validate():
        return _console_page("", [], None, _panel_context(answer, matter, call_form=form)), 400
    call = cases.log_call(
        current_user, form.category.data, form.summary.data, form.outcome.data, caller_phone=form.caller_phone.data,
        answer=answer, matter=matter,
        department_id=form.department_id.data if form.outcome.data == "handed_off" else None,
    )
    if call.handoff is not None:
        flash(_("来电已登记，工单已转交%(department)s。", department=call.handoff.department.name), "success")
    else:
        flash(_("来电已登记。"), "success")
    return redirect(url_for("hotline.console"))


def _handoff_or_404(handoff_id):
    handoff = db.session.get(HandOff, handoff_id) or abort(404)
    if not cases.can_view(current_user, handoff):
        abort(403)
    return handoff


@hotline.route("/handoffs/<int:handoff_id>")
@roles_required("operator", *DEPARTMENT_STAFF)
def handoff(handoff_id):
    return _render_handoff(_handoff_or_404(handoff_id))


def _render_handoff(found, reply_form=None):
    return render_template(
        "hotline/handoff.html", handoff=found, phone=cases.shown_phone(found, current_user),
        overdue=cases.is_overdue(found), is_staff=cases.is_department_staff(current_user, found),
        reply_form=reply_form or ReplyForm(formdata=None), action_form=ActionForm(formdata=None),
    )


def _handoff_action(handoff_id, action):
    found = _handoff_or_404(handoff_id)
    form = ReplyForm() if action is cases.reply else ActionForm()
    if not form.validate():
        return _render_handoff(found, reply_form=form if action is cases.reply else None), 400
    try:
        if action is cases.reply:
            cases.reply(found, current_user, form.reply.data)
        else:
            action(found, current_user)
    except WorkflowError as refused:
        flash(refused.message, "error")
    else:
        flash(_("工单状态：%(status)s。", status=cases.handoff_status_label(found.status)), "success")
    return redirect(url_for("hotline.handoff", handoff_id=found.id))


@hotline.route("/handoffs/<int:handoff_id>/acknowledge", methods=["POST"])
@roles_required(*DEPARTMENT_STAFF)
def acknowledge(handoff_id):
    return _handoff_action(handoff_id, cases.acknowledge)


@hotline.route("/handoffs/<int:handoff_id>/reply", methods=["POST"])
@roles_required(*DEPARTMENT_STAFF)
def reply(handoff_id):
    return _handoff_action(handoff_id, cases.reply)


@hotline.route("/handoffs/<int:handoff_id>/close", methods=["POST"])
@roles_required("operator")
def close(handoff_id):
    return _handoff_action(handoff_id, cases.close)


@hotline.route("/queue")
@roles_required(*DEPARTMENT_STAFF)
def queue():
    department = current_user.department
    if department is None:
        return render_template("hotline/queue.html", department=None, handoffs=[], is_overdue=cases.is_overdue)
    return render_template("hotline/queue.html", department=department,
                           handoffs=cases.department_queue(department.id), is_overdue=cases.is_overdue)


@hotline.route("/overdue")
@roles_required("admin")
def overdue():
    return render_template("hotline/overdue.html", handoffs=cases.overdue_handoffs(), is_overdue=cases.is_overdue)
