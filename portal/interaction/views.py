"""Pages of 政民互动: the public list and message pages, writing a message, one's own messages."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db, limiter
from portal.interaction import cases, interaction, service
from portal.interaction.forms import MessageForm, RatingForm
from portal.models import Message
from portal.permissions import public, roles_required, signed_in

WRITERS = ("citizen", "enterprise")


def _per_user():
    return f"user:{current_user.id}" if current_user.is_authenticated else "anonymous"


def _writing_limit():
    return current_app.config["INTERACTION_MESSAGE_RATE_LIMIT"]


@interaction.route("/messages")
@public
def messages():
    query_text = (request.args.get("q") or "").strip()[:100]
    category = (request.args.get("category") or "").strip()[:100]
    department_id = request.args.get("department", type=int)
    page = max(request.args.get("page", 1, type=int), 1)
    results = service.public_messages(query_text, category, department_id, page)
    return render_template("interaction/messages.html", results=results, query_text=query_text, category=category,
                           department_id=department_id, categories=service.public_categories(),
                           departments=service.public_departments())


@interaction.route("/messages/<int:message_id>")
@public
def message(message_id):
    found = db.session.get(Message, message_id)
    if found is None:
        abort(404)
    own = current_user.is_authenticated and found.author_id == current_user.id
    if not (found.is_public or own):
        abort(404)
    return render_template("interaction/message.html", message=found, own=own,
                           phone=service.shown_phone(found) if own else "", rating_form=RatingForm(formdata=None),
                           can_rate=cases.can_rate(found, current_user),
                           staff=cases.is_department_staff(current_user, found))


@interaction.route("/messages/new", methods=["GET", "POST"])
@roles_required(*WRITERS)
@limiter.limit(_writing_limit, key_func=_per_user, methods=["POST"])
def new_message():
    form = MessageForm(departments=service.department_choices(), leaders=service.leader_choices())
    if request.method == "GET":
        return render_template("interaction/new.html", form=form, warn_numbers=False)
    if not form.validate():
        return render_template("interaction/new.html", form=form, warn_numbers=False), 400
    if service.has_personal_numbers(form.title.data, form.body.data) and not form.confirmed.data:
        # Shown once: the citizen confirms, or edits the numbers out.
        return render_template("interaction/new.html", form=form, warn_numbers=True), 400
    department_id, leader_name = form.department_id.data, None
    if form.kind.data == "leader":
        department, leader_name = service.resolve_leader(form.leader.data)
        department_id = department.id
    created = service.submit(current_user, form.kind.data, form.title.data, form.body.data,
                             form.publishable.data == "yes", department_id=department_id, leader_name=leader_name,
                             contact_phone=form.contact_phone.data)
    flash(_("留言已提交，编号 %(id)s。您可以在“我的留言”查看办理进度。", id=created.id), "success")
    return redirect(url_for("interaction.my_messages"))


@interaction.route("/me/messages")
@signed_in
def my_messages():
    return render_template("interaction/my_messages.html", messages=service.messages_of(current_user))
