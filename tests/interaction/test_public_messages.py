import pytest

pytestmark = pytest.mark.integration


def test_public_list_shows_only_replied_publishable_messages_with_filters_and_paging(client, board, make_message):
    make_message("小区路灯不亮", department=board.housing)
    make_message("公交站牌被撞坏", body="站牌倒在路边。", department=board.transport,
                 category="交通运输/公共交通/公交")
    make_message("不愿公开的留言", department=board.housing, publishable=False)
    make_message("尚未答复的留言", department=board.housing, status="accepted", reply=None)
    page = client.get("/messages").get_data(as_text=True)
    assert "共 2 条留言" in page and "小区路灯不亮" in page and "公交站牌被撞坏" in page
    assert "不愿公开" not in page and "尚未答复" not in page

    by_words = client.get("/messages", query_string={"q": "路灯"}).get_data(as_text=True)
    assert "共 1 条留言" in by_words and "小区路灯不亮" in by_words
    by_category = client.get("/messages", query_string={"category": "交通运输"}).get_data(as_text=True)
    assert "共 1 条留言" in by_category and "公交站牌被撞坏" in by_category
    by_department = client.get("/messages", query_string={"department": board.housing.id}).get_data(as_text=True)
    assert "共 1 条留言" in by_department and "小区路灯不亮" in by_department
    assert "<option value=\"交通运输\">交通运输（1）</option>" in page


def test_paging(client, board, make_message):
    for number in range(21):
        make_message(f"留言第{number}号", department=board.housing)
    first = client.get("/messages").get_data(as_text=True)
    assert "第 1 / 2 页" in first and "page=2" in first
    second = client.get("/messages?page=2").get_data(as_text=True)
    assert second.count('<li>\n    <a href="/messages/') == 1


def test_message_page_public_author_and_others(client, board, make_message, login):
    public = make_message("路灯坏了", body="电话13812341234的王先生反映路灯坏了", department=board.housing)
    public.public_body = "电话138****1234的王先生反映路灯坏了"
    private = make_message("我的私事", department=board.housing, publishable=False, author=board.citizen,
                           contact_phone="13912345678")
    from portal.extensions import db

    db.session.commit()
    page = client.get(f"/messages/{public.id}").get_data(as_text=True)
    assert "138****1234" in page and "13812341234" not in page and "已安排维修。" in page
    assert client.get(f"/messages/{private.id}").status_code == 404
    assert client.get("/messages/999999").status_code == 404
    login(board.citizen)
    own = client.get(f"/messages/{private.id}").get_data(as_text=True)
    assert "我的私事" in own and "139****5678" in own and "13912345678" not in own
