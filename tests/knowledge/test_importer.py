import json

import pytest

from portal.extensions import db
from portal.hotline_import import categorise, load_taxonomy
from portal.knowledge.importer import import_hotline
from portal.models import Answer, AuditLog, SearchOutbox

pytestmark = pytest.mark.integration

TAXONOMY = [
    {"一级分类": "劳动和社会保障", "二级分类": "社会保险", "三级分类": "失业保险"},
    {"一级分类": "城乡建设", "二级分类": "城市建设和市政管理", "三级分类": "其他"},
]
GOOD = {"id": "7", "user": "A1", "title": "失业保险金怎么领", "time": "2019/1/1 9:00:00",
        "question": "我叫苏伟生，电话13812341234，身份证430102199001011234，想问失业保险金。",
        "answer": "网友您好：\n请携带身份证到社保窗口办理。\n联系电话：0731-84567890", "answer_time": "2019/1/2"}


@pytest.fixture
def data_dir(tmp_path):
    lines = [
        json.dumps(GOOD, ensure_ascii=False),
        "{not json",
        json.dumps({**GOOD, "id": "8", "answer": " "}, ensure_ascii=False),
        json.dumps({**GOOD, "title": "重复"}, ensure_ascii=False),
        json.dumps({**GOOD, "id": "9", "question": "长" * 20_001}, ensure_ascii=False),
        "",
        json.dumps([1, 2], ensure_ascii=False),
    ]
    (tmp_path / "hotline_qa.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "category_taxonomy.jsonl").write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for row in TAXONOMY), encoding="utf-8")
    return tmp_path


def test_import_masks_personal_data_reports_rejects_and_is_idempotent(app, data_dir):
    report = import_hotline(data_dir)
    assert (report.read, report.imported, report.already_there) == (6, 1, 0)
    assert [(row.line, row.reason) for row in report.rejected] == [
        (2, "不是有效的 JSON"), (3, "缺少字段：answer"), (4, "来源编号 7 重复"), (5, "内容超过 20000 字"),
        (7, "不是一个 JSON 对象"),
    ]
    answer = db.session.scalar(db.select(Answer))
    stored = " ".join([answer.question, answer.public_answer, answer.internal_note])
    for personal in ("13812341234", "430102199001011234", "苏伟生", "84567890"):
        assert personal not in stored
    assert "苏某" in answer.internal_note and "138****1234" in answer.internal_note
    assert answer.public_answer == "<p>网友您好：</p><p>请携带身份证到社保窗口办理。</p><p>联系电话：0731-****7890</p>"
    assert (answer.status, answer.source_ref) == ("published", "hotline:7")
    assert answer.category == "劳动和社会保障/社会保险/失业保险"
    assert db.session.scalar(db.select(db.func.count()).select_from(SearchOutbox)) == 1
    assert db.session.scalar(db.select(AuditLog.action)) == "import"
    # Report lines name the line and the reason, never the content.
    assert not any("苏伟生" in line or "13812341234" in line for line in report.lines())

    again = import_hotline(data_dir)
    assert (again.imported, again.already_there) == (0, 1)
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 1


def test_generic_category_names_do_not_match(tmp_path):
    path = tmp_path / "taxonomy.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in TAXONOMY), encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert categorise("其他问题", taxonomy) is None
    assert categorise("城市建设和市政管理问题", taxonomy) == "城乡建设/城市建设和市政管理"


def test_flask_knowledge_import_prints_the_report(app, data_dir):
    result = app.test_cli_runner().invoke(args=["knowledge", "import", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "读取 6 行，新导入 1 条，已存在 0 条，拒绝 5 行" in result.output
    assert "第 2 行：不是有效的 JSON" in result.output
    assert "13812341234" not in result.output


def test_imported_replies_are_internal_knowledge_dated_by_their_reply(app, data_dir):
    from datetime import datetime

    import_hotline(data_dir)
    answer = db.session.scalar(db.select(Answer))
    assert answer.public is False and answer.status == "published"  # the console finds it, /answers does not
    assert answer.replied_at == datetime(2019, 1, 1, 16, 0) == answer.published_at  # 2019/1/2 Beijing time


def test_remask_masks_stored_answers_their_versions_and_audit_rows(app, make_department, make_user):
    from portal import workflow
    from portal.knowledge.remask import remask
    from portal.models import AnswerVersion

    department = make_department("热线")
    editor = make_user("editor", department=department)
    leaked = "<p>经查，信访人吴根福和儿子吴辉雄、孙女吴勤反映属实。</p>"
    answer = workflow.create(Answer, {"question": "低保问题", "public_answer": leaked, "phrasings": []}, editor,
                             department.id)
    answer.status = "published"
    db.session.commit()
    outbox_rows = db.session.query(SearchOutbox).count()
    report = remask(None)
    assert (report.answers, report.changed) == (1, 1) and report.versions == 1 and report.audit_rows >= 1
    db.session.refresh(answer)
    assert answer.public_answer == "<p>经查，信访人吴某和儿子吴某、孙女吴某反映属实。</p>"
    version = db.session.scalar(db.select(AnswerVersion))
    assert "吴根福" not in version.snapshot["public_answer"]
    assert not any("吴根福" in str(row.after) for row in db.session.scalars(db.select(AuditLog)))
    assert db.session.query(SearchOutbox).count() == outbox_rows + 1
    assert remask(None).changed == 0  # a second run changes nothing


def test_a_second_import_dates_rows_imported_before_reply_times_were_kept(app, data_dir):
    from datetime import datetime

    import_hotline(data_dir)
    answer = db.session.scalar(db.select(Answer))
    answer.replied_at = None
    db.session.commit()
    report = import_hotline(data_dir)
    assert report.imported == 0
    db.session.refresh(answer)
    assert answer.replied_at == datetime(2019, 1, 1, 16, 0)
