"""Staff pages of 政民互动: the 12345 centre's routing queue, the department's queue and the
message page where staff sign for, extend, transfer, reply to and review a message."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.editor.service import choose_department_page, managed_department
from portal.extensions import db
from portal.interaction import cases, interaction, routing, service
from portal.interaction.forms import ActionForm, RatingForm, ReasonForm, ReplyForm, ReviewForm, RouteForm, TransferForm
from portal.models import Department, Message
from portal.permissions import roles_required, signed_in
from portal.workflow import WorkflowError

CENTRE = ("operator",)
DEPARTMENT = ("editor", "reviewer")


def _message_or_404(message_id):
    return db.session.get(Message, message_id) or abort(404)


def _route_form(formdata=None, data=None):
    return RouteForm(formdata=formdata, data=data, categories=service.taxonomy_paths(),
                     departments=service.department_choices())


@interaction.route("/interaction/centre")
@roles_required(*CENTRE)
def centre():
    waiting = cases.centre_queue()
    return render_template("interaction/centre.html", messages=waiting, overdue=cases.overdue_messages(),
                           is_overdue=cases.is_overdue)


@interaction.route("/interaction/centre/<int:message_id>", methods=["GET", "POST"])
@roles_required(*CENTRE)
def route_message(message_id):
    message = _message_or_404(message_id)
    if request.method == "GET":
        suggestion = routing.suggest(message.title, message.body) if message.status == "submitted" else None
        if suggestion is not None:
            first = message.requested_department or (suggestion.departments[0] if suggestion.departments else None)
            suggested = (suggestion.category, suggestion.departments[0].id if suggestion.departments else None)
            # Kept for the record; written only when it changed, so opening the page twice writes nothing.
            if (message.suggested_category, message.suggested_department_id) != suggested:
                message.suggested_category, message.suggested_department_id = suggested
                db.session.commit()
        else:
            first = message.department
        form = _route_form(data={"category": message.category or (suggestion.category if suggestion else None),
                                 "department_id": first.id if first else None})
        return render_template("interaction/route.html", message=message, form=form, suggestion=suggestion,
                               phone=service.shown_phone(message))
    form = _route_form(formdata=request.form)
    if not form.validate():
        return render_template("interaction/route.html", message=message, form=form, suggestion=None,
                               phone=service.shown_phone(message)), 400
    try:
        cases.route(message, current_user, db.session.get(Department, form.department_id.data), form.category.data)
    except WorkflowError as refused:
        flash(refused.message, "error")
        return redirect(url_for("interaction.route_message", message_id=message.id))
    flash(_("已分办给%(department)s。", department=message.department.name), "success")
    return redirect(url_for("interaction.centre"))


@interaction.route("/interaction/department")
@roles_required(*DEPARTMENT)
def department_queue():
    department = managed_department()
    if department is None:
        return choose_department_page()
    return render_template("interaction/department.html", department=department,
                           messages=cases.department_queue(department.id), is_overdue=cases.is_overdue)


def _staff_page(message, status=200, **forms):
    if not cases.is_department_staff(current_user, message):
        abort(403)
    departments = [(value, label) for value, label in service.department_choices() if value != message.department_id]
    context = {
        "action_form": ActionForm(formdata=None), "extend_form": ReasonForm(formdata=None, prefix="extend"),
        "transfer_form": TransferForm(formdata=None, prefix="transfer", departments=departments),
        "reply_form": ReplyForm(formdata=None), "review_form": ReviewForm(formdata=None),
    }
    context.update(forms)
    return render_template("interaction/handle.html", message=message, phone=service.shown_phone(message),
                           pending=cases.pending_reply(message), overdue=cases.is_overdue(message), **context), status


@interaction.route("/interaction/department/<int:message_id>")
@roles_required(*DEPARTMENT)
def handle(message_id):
    return _staff_page(_message_or_404(message_id))


def _act(message, action, *args):
    try:
        action(message, current_user, *args)
    except WorkflowError as refused:
        flash(refused.message, "error")
        return False
    return True


def _back(message):
    return redirect(url_for("interaction.handle", message_id=message.id))


@interaction.route("/interaction/department/<int:message_id>/accept", methods=["POST"])
@roles_required(*DEPARTMENT)
def accept(message_id):
    message = _message_or_404(message_id)
    if ActionForm().validate() and _act(message, cases.accept):
        flash(_("已签收。"), "success")
    return _back(message)


def _staff_action(message, form_name, form, action, arguments=lambda form: (), done="", then=None):
    """One department action on a message from its staff page: the page again with the form's errors (400)
    when `form` does not validate; else `action(message, user, *arguments(form))`, a refusal flashed as an
    error, success flashed with `done` (text, or a function of the message called afterwards); then back to
    the message page, or to `then` after a success."""
    if not form.validate():
        return _staff_page(message, 400, **{form_name: form})
    if _act(message, action, *arguments(form)):
        flash(done(message) if callable(done) else done, "success")
        if then is not None:
            return redirect(then)
    return _back(message)


@interaction.route("/interaction/department/<int:message_id>/extend", methods=["POST"])
@roles_required(*DEPARTMENT)
def extend(message_id):
    return _staff_action(
        _message_or_404(message_id), "extend_form", ReasonForm(prefix="extend"), cases.extend,
        lambda form: (form.reason.data,),
        lambda message: _("已延期，新的答复期限为 %(due)s。", due=message.reply_due.strftime("%Y-%m-%d")))


@interaction.route("/interaction/department/<int:message_id>/transfer", methods=["POST"])
@roles_required(*DEPARTMENT)
def transfer(message_id):
    message = _message_or_404(message_id)
    departments = [(value, label) for value, label in service.department_choices() if value != message.department_id]

    def arguments(form):
        target = db.session.get(Department, form.department_id.data) if form.department_id.data else None
        return target, form.reason.data

    return _staff_action(message, "transfer_form", TransferForm(prefix="transfer", departments=departments),
                         cases.transfer, arguments, _("已转办。"), then=url_for("interaction.department_queue"))


@interaction.route("/interaction/department/<int:message_id>/reply", methods=["POST"])
@roles_required(*DEPARTMENT)
def reply(message_id):
    return _staff_action(_message_or_404(message_id), "reply_form", ReplyForm(), cases.submit_reply,
                         lambda form: (form.body.data,), _("答复已提交审核，须由另一名工作人员审核通过后发送。"))


@interaction.route("/interaction/department/<int:message_id>/review", methods=["POST"])
@roles_required(*DEPARTMENT)
def review(message_id):
    message, form = _message_or_404(message_id), ReviewForm()
    if form.decision.data == "approve":
        return _staff_action(message, "review_form", form, cases.approve_reply,
                             done=_("答复已审核通过并发送给留言人。"))
    return _staff_action(message, "review_form", form, cases.return_reply, lambda form: (form.comment.data,),
                         _("答复已退回修改。"))


@interaction.route("/interaction/department/<int:message_id>/knowledge", methods=["POST"])
@roles_required(*DEPARTMENT)
def knowledge_draft(message_id):
    message = _message_or_404(message_id)
    if not ActionForm().validate():
        abort(400)
    try:
        answer = cases.knowledge_draft(message, current_user)
    except WorkflowError as refused:
        flash(refused.message, "error")
        return _back(message)
    flash(_("已转为知识库草稿，请完善后提交审核。"), "success")
    return redirect(url_for("knowledge.edit_answer", answer_id=answer.id))


@interaction.route("/messages/<int:message_id>/rating", methods=["POST"])
@signed_in
def rate(message_id):
    message = _message_or_404(message_id)
    if message.author_id != current_user.id:
        abort(404)
    form = RatingForm()
    if not form.validate():
        flash(_("请选择评价。"), "error")
    elif _act(message, cases.rate, form.rating.data):
        flash(_("感谢您的评价。我们会再次办理并答复。") if message.status == "accepted" else _("感谢您的评价。"),
              "success")
    return redirect(url_for("interaction.message", message_id=message.id))
