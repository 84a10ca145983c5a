from types import SimpleNamespace

import pytest

from portal.extensions import db
from portal.models import Message, MessageReply, utcnow


@pytest.fixture
def make_message(app):
    """A message as the importer or a finished reply leaves it (public and replied unless told)."""

    def make(title="小区门口路灯不亮", body="小区门口路灯坏了一个月，请尽快维修。", department=None, author=None,
             status="replied", publishable=True, category="城乡建设/城市建设和市政管理/路灯", reply="已安排维修。",
             **fields):
        now = utcnow()
        public = publishable and status in ("replied", "closed")
        message = Message(kind=fields.pop("kind", "help"), title=title, body=body, public_title=title,
                          public_body=body, department_id=department.id if department else None,
                          author_id=author.id if author else None, status=status, publishable=publishable,
                          category=category, received_at=now, published_at=now if public else None,
                          replied_at=now if reply else None, **fields)
        if reply:
            message.replies.append(MessageReply(body=reply, public_body=reply, status="approved", reviewed_at=now))
        db.session.add(message)
        db.session.commit()
        return message

    return make


@pytest.fixture
def board(make_department, make_user):
    """Two departments, a citizen, an enterprise and the centre's operator."""
    housing, transport = make_department("市住房和城乡建设局"), make_department("市交通运输局")
    return SimpleNamespace(
        housing=housing, transport=transport,
        citizen=make_user("citizen", account_type="个人"), enterprise=make_user("enterprise", account_type="法人"),
        operator=make_user("operator"),
    )

