"""Masking personal data in hotline texts before anything is stored for display: phone numbers,
ID card numbers and the names of private persons. Officials' names in official replies are not
personal data of callers and stay; everything a caller wrote about themselves is masked."""

import re

# The hundred most common surnames cover the names callers give ("我叫张某某", "联系人：李某").
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤文易欧阳"
)
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8}|\d{11})([\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?!\d)")
# After "my name is" / "contact:" whatever follows is a name: keep its first character only.
_STATED_NAME = re.compile(r"(我叫|本人叫|联系人[:：]|姓名[:：])([\u4e00-\u9fff])[\u4e00-\u9fff]{1,2}")
# After weaker cues ("I am", "owner") only 2–3 characters starting with a surname and ending the phrase.
_INTRODUCED_NAME = re.compile(r"(我是|本人是|联系人|户主[:：]?|业主)([\u4e00-\u9fff]{2,3}?)"
                              r"(?=[，。,；;、\s（(]|$|先生|女士|电话|手机|身份证|反映|投诉|的)")
_TITLED_NAME = re.compile(f"([{''.join(sorted(SURNAMES))}])[\u4e00-\u9fff]{{1,2}}?(?=先生|女士|老人|师傅)")


def mask_phone(number):
    """138****1234: the first three and last four digits stay, so a caller can confirm it."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def _mask_name(match):
    prefix, name = match.group(1), match.group(2)
    if name[0] not in SURNAMES:
        return match.group(0)
    return f"{prefix}{name[0]}某"


def mask_personal_data(text):
    """The text with ID numbers, phone numbers and private persons' names masked."""
    if not text:
        return text
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * (len(m.group(2)) + 1)}", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
    text = _STATED_NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}某", text)
    text = _INTRODUCED_NAME.sub(_mask_name, text)
    return _TITLED_NAME.sub(r"\1", text)
