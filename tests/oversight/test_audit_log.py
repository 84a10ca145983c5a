"""The audit log viewer: filters, before/after diff, CSV, and no caller's number ever shown."""

import csv
import io
from datetime import datetime

import pytest

from portal.extensions import db
from portal.models import AuditLog

pytestmark = pytest.mark.integration


def _entry(at, actor, action, entity_type, entity_id, before=None, after=None, comment=None):
    db.session.add(AuditLog(at=at, actor_name=actor, action=action, entity_type=entity_type, entity_id=entity_id,
                            before=before, after=after, comment=comment))


@pytest.fixture
def log(app):
    # 2026-11-30 17:30 UTC is 2026-12-01 01:30 in Beijing
    _entry(datetime(2026, 11, 30, 17, 30), "editor-a", "update", "matter", "7",
           before={"name": "旧名称", "fee": "免费"}, after={"name": "新名称", "fee": "免费"})
    _entry(datetime(2026, 11, 29, 9, 0), "operator-b", "hand_off", "handoff", "3",
           after={"status": "open", "caller_phone": "13812345678", "summary": "来电人13812345678反映噪音"},
           comment="回电 13987654321")
    _entry(datetime(2026, 11, 28, 9, 0), "admin", "create", "synonym_group", "5", after={"terms": ["驾照", "驾驶证"]})
    db.session.commit()


def test_lists_newest_first_in_beijing_time_with_the_changed_fields(client, login, make_user, log):
    login(make_user("admin"))
    page = client.get("/admin/audit").get_data(as_text=True)
    page = page[page.index("<tbody>"):]  # the rows, not the filters' options
    assert page.index("editor-a") < page.index("operator-b") < page.index("synonym_group")
    assert "2026-12-01 01:30:00" in page
    assert "旧名称" in page and "新名称" in page
    assert "免费" not in page  # unchanged fields are left out of the diff


def test_filters_by_who_what_record_and_beijing_date(client, login, make_user, log):
    login(make_user("admin"))
    by_who = client.get("/admin/audit?who=operator").get_data(as_text=True)
    assert "handoff" in by_who and "editor-a" not in by_who
    by_record = client.get("/admin/audit?entity_type=matter&entity_id=7").get_data(as_text=True)
    assert "editor-a" in by_record and "operator-b" not in by_record
    by_action = client.get("/admin/audit?action=create").get_data(as_text=True)
    assert "驾驶证" in by_action and "editor-a" not in by_action
    # Beijing 2026-12-01 holds the 17:30 UTC entry of 30 November, and nothing else
    by_day = client.get("/admin/audit?from=2026-12-01&to=2026-12-01").get_data(as_text=True)
    by_day = by_day[by_day.index("<tbody>"):]
    assert "editor-a" in by_day and "operator-b" not in by_day and "synonym_group" not in by_day


def test_callers_numbers_are_never_shown_on_the_page_or_in_the_csv(client, login, make_user, log):
    login(make_user("admin"))
    page = client.get("/admin/audit").get_data(as_text=True)
    download = client.get("/admin/audit.csv")
    text = download.get_data(as_text=True)
    for number in ("13812345678", "13987654321"):
        assert number not in page and number not in text
    assert "138****5678" in page  # masked in free text, so a reader still sees a number was given


def test_csv_has_one_row_per_changed_field_with_the_filters_applied(client, login, make_user, log):
    login(make_user("admin"))
    response = client.get("/admin/audit.csv?entity_type=matter")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "时间（北京时间）"
    assert rows[1:] == [["2026-12-01 01:30:00", "editor-a", "update", "matter", "7", "name", "旧名称", "新名称", ""]]


def test_a_cell_that_looks_like_a_formula_is_not_one_in_the_csv(client, login, make_user, app):
    _entry(datetime(2026, 11, 30, 1, 0), "=cmd|' /C calc'!A0", "update", "matter", "8",
           before={"name": "a"}, after={"name": "=HYPERLINK(\"http://x\")"})
    db.session.commit()
    login(make_user("admin"))
    text = client.get("/admin/audit.csv").get_data(as_text=True)
    assert "'=cmd" in text and "'=HYPERLINK" in text
