"""What the index receives for an answer: text, not the stored HTML."""

import pytest

from portal.site_search.index import answer_record


@pytest.mark.integration
def test_answer_record_body_is_text_without_markup(make_department, make_answer):
    answer = make_answer(make_department("人社局"), public_answer="<p>请携带<strong>身份证</strong>办理。</p>")

    record = answer_record(answer)

    assert "<" not in record["body"]
    assert "请携带" in record["body"] and "身份证" in record["body"]
