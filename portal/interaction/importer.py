"""`flask interaction import`: the real messages of ../shared/data/hotline as historical, replied,
published messages, each with its official reply.

Every text is masked (portal/knowledge/masking.py) before it is stored: the public copies and the
stored originals alike, since nobody at the portal received these messages in confidence. Rows
already imported (same source id) are left alone, so a second run adds nothing; unusable rows are
reported by line and reason, never by content.
"""

import re

from portal import hotline_import, outbox
from portal.extensions import db
from portal.hotline_import import categorise, masked_texts, parse_time
from portal.knowledge.masking import mask_personal_data
from portal.models import Message, MessageReply, utcnow

TITLE_CHARS = 200
# The board did not record a kind: the title's own words decide, 咨询 otherwise.
KIND_WORDS = (("complaint", ("投诉", "举报")), ("suggestion", ("建议",)), ("help", ("求助", "请求", "恳请", "求救")))
# The answering unit as a reply names it ("A7县教育局", "A市住房和城乡建设局"); place names are anonymised.
_UNIT = re.compile(r"([A-Z]\d*(?:市|区|县)[\u4e00-\u9fff]{1,20}?(?:局|委员会|委|办公室|办|政府|中心|大队|支队|管委会))")


def guess_kind(title):
    for kind, words in KIND_WORDS:
        if any(word in title for word in words):
            return kind
    return "consult"


def answering_unit(reply):
    """The last unit the reply names in its closing lines, or None."""
    found = _UNIT.findall(reply[-200:])
    return found[-1] if found else None


def message_from_row(row, taxonomy, department):
    title, body, reply = masked_texts(row)
    title = title[:TITLE_CHARS]
    received = parse_time(row.get("time"))
    replied = parse_time(row.get("answer_time")) or received
    received = received or replied or utcnow()  # every real row has a readable time; none is guessed
    replied = replied or received
    message = Message(
        kind=guess_kind(title), title=title, body=body, public_title=title, public_body=body,
        department_id=department.id, category=categorise(f"{title} {body}", taxonomy), publishable=True,
        status="closed", historical=True, source_ref=hotline_import.source_ref(row),
        received_at=received, assigned_at=received, accepted_at=received,
        first_replied_at=replied, replied_at=replied, published_at=replied, lock_version=1,
    )
    message.replies.append(MessageReply(body=reply, public_body=reply, unit_name=answering_unit(reply),
                                        status="approved", submitted_at=replied, reviewed_at=replied))
    return message


def _imported(message):
    outbox.enqueue("message", message.id, "upsert", message.lock_version)


def import_messages(data_dir, progress=None):
    """Import hotline_qa.jsonl as historical messages; returns an ImportReport."""
    existing = set(db.session.scalars(
        db.select(Message.source_ref).where(Message.source_ref.like(f"{hotline_import.SOURCE_PREFIX}%"))))
    return hotline_import.import_rows(data_dir, existing, message_from_row, _imported, progress)


def remask(data_dir=None):
    """Apply the current masking again to every stored message (after the masking improved):
    imported messages are rebuilt from the source rows when `data_dir` has them (else their stored
    text is masked again), written ones get fresh public copies from what their writers wrote.
    Changed public messages get a new version and an index change. Returns (messages, changed)."""
    sources = hotline_import.source_rows(data_dir)
    messages = db.session.scalars(db.select(Message).order_by(Message.id)).all()
    changed = 0
    for message in messages:
        before = _texts(message)
        row = sources.get(message.source_ref) if message.historical else None
        if row is not None:
            title, body, reply_text = masked_texts(row)
            message.title = message.public_title = title[:TITLE_CHARS]
            message.body = message.public_body = body
            for reply in message.replies[:1]:
                reply.body = reply.public_body = reply_text
        elif message.historical:
            for name in ("title", "body", "public_title", "public_body"):
                limit = TITLE_CHARS if "title" in name else None
                setattr(message, name, mask_personal_data(getattr(message, name))[:limit])
            for reply in message.replies:
                reply.body = reply.public_body = mask_personal_data(reply.body)
        else:
            message.public_title = mask_personal_data(message.title)[:TITLE_CHARS]
            message.public_body = mask_personal_data(message.body)
            for reply in message.replies:
                reply.public_body = mask_personal_data(reply.body)
        if _texts(message) != before:
            changed += 1
            message.lock_version += 1
            if message.is_public:
                outbox.enqueue("message", message.id, "upsert", message.lock_version)
    db.session.commit()
    return len(messages), changed


def _texts(message):
    return (message.title, message.body, message.public_title, message.public_body,
            tuple((reply.body, reply.public_body) for reply in message.replies))
