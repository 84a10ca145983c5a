"""Messages as citizens and the public see them: writing, the public list, one's own messages.

Plain functions called by the views, the CLI and tests alike."""

import re

from flask_babel import lazy_gettext as _l

from portal import audit, content_generation
from portal.extensions import db
from portal.knowledge.masking import mask_personal_data, mask_phone
from portal.models import Department, Message, utcnow

PAGE_SIZE = 20
KIND_LABELS = {"consult": _l("咨询"), "help": _l("求助"), "complaint": _l("投诉"), "suggestion": _l("建议"),
               "leader": _l("领导信箱")}
STATUS_LABELS = {"submitted": _l("待分办"), "assigned": _l("待签收"), "accepted": _l("办理中"),
                 "reviewing": _l("答复审核中"), "replied": _l("已答复"), "closed": _l("已办结")}
RATING_LABELS = {"satisfied": _l("满意"), "basically_satisfied": _l("基本满意"), "dissatisfied": _l("不满意")}
# Phone numbers (mobile, landline with area code) and ID card numbers (18 or 15 digits).
PERSONAL_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def has_personal_numbers(*texts):
    """True when a text holds something that reads as a phone or ID card number."""
    return any(PERSONAL_NUMBER.search(text or "") for text in texts)


def kind_label(kind):
    return KIND_LABELS.get(kind, kind)


def status_label(status):
    return STATUS_LABELS.get(status, status)


def rating_label(rating):
    return RATING_LABELS.get(rating, rating) if rating else ""


def shown_phone(message):
    return mask_phone(message.contact_phone) if message.contact_phone else ""


def public_condition():
    """Publishable and replied once (a message reopened by 不满意 stays public with its first reply)."""
    return db.and_(Message.publishable.is_(True), Message.published_at.is_not(None))


def public_messages(query_text="", category="", department_id=None, page=1):
    """Replied, publishable messages, newest reply first, filtered and paged (public data only)."""
    statement = db.select(Message).where(public_condition())
    if query_text:
        for word in query_text.split()[:5]:
            statement = statement.where(db.or_(Message.public_title.contains(word, autoescape=True),
                                               Message.public_body.contains(word, autoescape=True)))
    if category:
        statement = statement.where(Message.category.startswith(category, autoescape=True))
    if department_id:
        statement = statement.where(Message.department_id == department_id)
    return db.paginate(statement.order_by(Message.published_at.desc(), Message.id.desc()), page=page,
                       per_page=PAGE_SIZE, error_out=False)


def public_categories():
    """[(一级分类, count)] over public messages, most used first."""
    rows = db.session.execute(
        db.select(Message.category, db.func.count()).where(public_condition(), Message.category.is_not(None))
        .group_by(Message.category))
    counts = {}
    for category, count in rows:
        head = category.split("/")[0]
        counts[head] = counts.get(head, 0) + count
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def public_departments():
    """Departments that have public messages, by name."""
    ids = db.select(Message.department_id).where(public_condition()).distinct()
    return db.session.scalars(db.select(Department).where(Department.id.in_(ids)).order_by(Department.name)).all()


def public_message_or_none(message_id):
    message = db.session.get(Message, message_id)
    return message if message is not None and message.is_public else None


def messages_of(user):
    return db.session.scalars(
        db.select(Message).where(Message.author_id == user.id).order_by(Message.received_at.desc())).all()


def submit(author, kind, title, body, publishable, department_id=None, leader_name=None, contact_phone=None):
    """A new message from a signed-in citizen or enterprise, waiting for the 12345 centre to route it.
    The masked copies are made now, so nothing unmasked is ever shown publicly."""
    now = utcnow()
    message = Message(
        kind=kind, title=title, body=body, public_title=mask_personal_data(title)[:200],
        public_body=mask_personal_data(body), leader_name=leader_name, author_id=author.id,
        contact_phone=contact_phone, requested_department_id=department_id, publishable=bool(publishable),
        status="submitted", received_at=now,
    )
    db.session.add(message)
    db.session.flush()
    # No text and no phone number in the audit trail: only what happened.
    audit.record(author, "submit", "message", message.id,
                 after={"kind": kind, "department_id": department_id, "publishable": bool(publishable)})
    db.session.commit()
    return message


def leader_choices():
    """[(value, label)] of the named leaders on department sites, for 领导信箱 ("<dept id>:<index>")."""
    choices = []
    departments = db.session.scalars(db.select(Department).order_by(Department.name)).all()
    for department in departments:
        for index, leader in enumerate(department.leaders or []):
            if isinstance(leader, dict) and leader.get("name"):
                label = " ".join(part for part in (department.name, leader.get("title"), leader["name"]) if part)
                choices.append((f"{department.id}:{index}", label))
    return choices


def resolve_leader(value):
    """(department, leader name) for a leader choice, or (None, None)."""
    department_id, _sep, index = (value or "").partition(":")
    if not (department_id.isdigit() and index.isdigit()):
        return None, None
    department = db.session.get(Department, int(department_id))
    leaders = (department.leaders or []) if department else []
    if int(index) >= len(leaders) or not isinstance(leaders[int(index)], dict):
        return None, None
    return department, leaders[int(index)].get("name")


def department_choices():
    return [(department.id, department.name) for department in
            db.session.scalars(db.select(Department).order_by(Department.name)).all()]


def taxonomy_paths():
    """The category choices: each 一级分类 alone, then every full 一级/二级/三级 path, in file order
    (the app's taxonomy file, read once per app and path)."""
    from flask import current_app

    from portal.hotline_import import load_taxonomy

    path = current_app.config["SHARED_DATA_DIR"] / "hotline" / "category_taxonomy.jsonl"

    def read():
        try:
            rows = load_taxonomy(path)
        except OSError:
            rows = []
        firsts = list(dict.fromkeys(first for first, _second, _third in rows))
        return tuple(firsts + ["/".join(row) for row in rows])

    return content_generation.kept("interaction.taxonomy_paths", read, version=str(path), lasting=True)
