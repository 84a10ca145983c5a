import pytest

from portal.knowledge.masking import mask_personal_data, mask_phone

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("text", "masked"), [
    ("我的电话13812341234，请回电", "我的电话138****1234，请回电"),
    ("手机 +86 139-1234-5678", "手机 139****5678"),
    ("办公室 0738-6825220", "办公室 0738-****5220"),
    ("身份证号430102199001011234。", "身份证号430102************。"),
    ("我叫苏伟生，住在A2区", "我叫苏某，住在A2区"),
    ("联系人：邹军建", "联系人：邹某"),
    ("我是王小明的家长", "我是王某的家长"),
    ("张阿辉先生反映", "张先生反映"),
    ("因刘地先生不同意", "因刘先生不同意"),
    ("联系人负责协调", "联系人负责协调"),
    ("联系人李贵新，电话", "联系人李某，电话"),
    ("感谢来信同志的支持", "感谢来信同志的支持"),
    ("本人身份证丢了", "本人身份证丢了"),
])
def test_personal_data_is_masked_and_the_rest_kept(text, masked):
    assert mask_personal_data(text) == masked


def test_phone_numbers_show_first_three_and_last_four_digits():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("073112345678") == "073*****5678"
    assert mask_phone("") == ""
