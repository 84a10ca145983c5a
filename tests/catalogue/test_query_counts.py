"""The number of SQL statements each public page runs when it is rendered (not served from the
shared pages), so that an N+1 cannot come back unnoticed. Counted on the second rendering: the
first one per process also reads the browse rows and the content generation, kept afterwards."""

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.models import Article

pytestmark = pytest.mark.integration

# path → most statements allowed (what the page needs today).
LIMITS = {
    "/": 4,
    "/matters": 3,
    "/matters?theme=生小孩": 3,
    "/matters/M-BIRTH": 11,  # with the platform's last health checks (在线办理 note)
    "/matters/M-BIRTH/print": 8,
    "/dept/": 1,
    "/dept/wjw/": 4,
    "/dept/wjw/matters": 3,
    "/dept/wjw/articles/notice": 2,
    "/answers": 3,
    "/answers/{answer}": 3,
}


@pytest.fixture
def statements(app):
    seen = []

    def count(_connection, _cursor, statement, *_args):
        if "content_generation" not in statement:  # read at most every 0.2 s, not per page
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


def test_public_pages_run_a_bounded_number_of_statements(client, catalogue, make_answer, statements):
    health = catalogue["health"]
    for department in (health, catalogue["police"]):
        department.region_name = "示范市"  # /dept/ groups by region (one without is the hardening issue's)
    answer = make_answer(health, question="出生证明丢了怎么办", matters=[catalogue["birth"]])
    db.session.add(Article(department=health, column="通知公告", slug="notice", title="通知",
                           body_html="<p>正文</p>", status="published"))
    db.session.commit()
    counted = {}
    for template in LIMITS:
        path = template.format(answer=answer.id)
        assert client.get(path).status_code == 200, path
        statements.clear()
        assert client.get(path).status_code == 200, path
        counted[path] = len(statements)
    limits = {template.format(answer=answer.id): limit for template, limit in LIMITS.items()}
    too_many = {path: count for path, count in counted.items() if count > limits[path]}
    assert not too_many, too_many
