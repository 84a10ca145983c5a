import json
import re

import pytest

from portal.extensions import db
from portal.hotline_import import parse_time
from portal.interaction.importer import answering_unit, guess_kind, import_messages
from portal.models import Message, MessageReply

pytestmark = pytest.mark.integration

TAXONOMY = [{"一级分类": "劳动和社会保障", "二级分类": "社会保险", "三级分类": "失业保险"}]
GOOD = {"id": "7", "user": "A1", "title": "投诉失业保险金迟迟不发", "time": "2019/1/1 9:00:00",
        "question": "我叫苏伟生，电话13812341234，身份证430102199001011234，失业保险金三个月没发。",
        "answer": "网友您好：请到社保窗口办理。联系电话：0731-84567890。A7县人力资源和社会保障局 2019年1月5日",
        "answer_time": "2019-01-08 10:00:00"}
# Independent of the portal's own patterns: anything that reads as a mobile, landline or ID number.
UNMASKED = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?[1-9]\d{6,7}|\d{17}[\dXx]|[1-9]\d{14})(?![\dXx])")


@pytest.fixture
def data_dir(tmp_path):
    lines = [json.dumps(GOOD, ensure_ascii=False), "{broken", json.dumps({**GOOD, "id": "8", "answer": ""})]
    (tmp_path / "hotline_qa.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "category_taxonomy.jsonl").write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for row in TAXONOMY), encoding="utf-8")
    return tmp_path


def test_import_stores_masked_replied_public_messages_once(app, data_dir):
    report = import_messages(data_dir)
    assert (report.read, report.imported, len(report.rejected)) == (3, 1, 2)
    message = db.session.scalar(db.select(Message))
    stored = " ".join([message.title, message.body, message.public_title, message.public_body,
                       message.replies[0].body, message.replies[0].public_body])
    for personal in ("13812341234", "430102199001011234", "苏伟生", "84567890"):
        assert personal not in stored
    assert "138****1234" in message.public_body and "苏某" in message.public_body
    assert (message.status, message.historical, message.publishable, message.kind) == ("closed", True, True,
                                                                                       "complaint")
    assert message.is_public and message.source_ref == "hotline:7"
    assert message.category == "劳动和社会保障/社会保险/失业保险"
    assert message.received_at.isoformat() == "2019-01-01T01:00:00"  # Beijing time stored as UTC
    assert message.replies[0].unit_name == "A7县人力资源和社会保障局"

    again = import_messages(data_dir)
    assert (again.imported, again.already_there) == (0, 1)
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 1


def test_flask_interaction_import_prints_the_report_without_content(app, data_dir):
    result = app.test_cli_runner().invoke(args=["interaction", "import", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "读取 3 行，新导入 1 条，已存在 0 条，拒绝 2 行" in result.output
    assert "13812341234" not in result.output and "苏伟生" not in result.output


def test_all_real_messages_import_with_no_unmasked_phone_or_id_number(app, client):
    data_dir = app.config["SHARED_DATA_DIR"] / "hotline"
    if not (data_dir / "hotline_qa.jsonl").exists():
        pytest.fail(f"the real hotline data is missing at {data_dir} (set PORTAL_SHARED_DATA)")
    report = import_messages(data_dir)
    assert report.imported == 2816 and not report.rejected
    leaks = []
    rows = db.session.execute(db.select(Message.id, Message.title, Message.body, Message.public_title,
                                        Message.public_body, MessageReply.body, MessageReply.public_body)
                              .join(MessageReply))
    for message_id, *texts in rows:
        leaks += [(message_id, found) for text in texts for found in UNMASKED.findall(text or "")]
    assert leaks == []
    page = client.get("/messages")
    assert "共 2816 条留言" in page.get_data(as_text=True)


def test_parsing_helpers():
    assert parse_time("2019/4/5 9:03:01").isoformat() == "2019-04-05T01:03:01"
    assert parse_time("2019-04-05 09:03:01").isoformat() == "2019-04-05T01:03:01"
    assert parse_time("2019/4/5 9:03").isoformat() == "2019-04-05T01:03:00"  # the knowledge import read it already
    assert parse_time("昨天") is None
    assert [guess_kind(title) for title in ("举报违建", "建议增开公交", "恳请解决孩子入学", "公积金怎么取")] == [
        "complaint", "suggestion", "help", "consult"]
    assert answering_unit("感谢支持。A市住房和城乡建设局 2019年5月1日") == "A市住房和城乡建设局"
    assert answering_unit("感谢支持。") is None


def test_remask_applies_the_current_masking_to_stored_messages(app, data_dir, board):
    from portal.interaction import service
    from portal.models import SearchOutbox

    import_messages(data_dir)
    imported = db.session.scalar(db.select(Message))
    imported.public_body = imported.body = "旧的脱敏漏掉了 13812341234"  # as an older masking left it
    written = service.submit(board.citizen, "consult", "咨询公积金提取", "我的电话 13912345678，请回电。", True)
    written.public_body = written.body  # as an older masking left it
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["interaction", "remask", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "留言 2 条，重新脱敏 2 条" in result.output
    db.session.expire_all()
    imported, written = db.session.get(Message, imported.id), db.session.get(Message, written.id)
    assert "13812341234" not in imported.body and "138****1234" in imported.public_body
    assert "13912345678" in written.body and "13912345678" not in written.public_body
    assert imported.lock_version == 2
    rows = db.session.scalars(db.select(SearchOutbox.entity_id).where(SearchOutbox.entity_type == "message")
                              .where(SearchOutbox.entity_version == 2)).all()
    assert rows == [imported.id]  # the written message is not public: nothing to index
    again = app.test_cli_runner().invoke(args=["interaction", "remask", "--data-dir", str(data_dir)])
    assert "重新脱敏 0 条" in again.output
