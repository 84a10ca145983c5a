"""Masking personal data in hotline texts before anything is stored for display: names of private
persons, phone numbers, ID card numbers, vehicle plates, bank card numbers and addresses down to the
door. Officials named with their post (胡华衡书记, 县长李富光) act in their office and stay.

`find_personal_data(text)` returns what it found (kind, where, replacement); `mask_personal_data`
applies it. The labelling rules and the hand-labelled sentences it is measured against are in
`tests/knowledge/data/` (`flask --app wsgi knowledge masking-eval` prints precision and recall).
"""

import re
from dataclasses import dataclass
from datetime import date

import rjieba

KINDS = ("name", "phone", "id", "plate", "bank", "address")

# Common surnames (the names callers and replies give start with one of these).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤文易"
    "柳颜傅伍晏聂欧乐常康施牛洪左阎庞樊兰殷郭储舒尚骆谷凌霍翟阮符邢甘路葛喻滕佘符卜鲁蒙宁桂祝童季伏宫"
)
# Surnames that are also common prepositions (于是, 向东, 方便): names with them only after a cue.
CUED_ONLY_SURNAMES = frozenset("于向方")
# What follows a surname in a word that only names a person's role or is already masked.
_NOT_GIVEN_NAMES = re.compile(r"^(?:某+|书记|经理|先生|女士|老师|师傅|阿姨|大爷|总|局|科|所|队|主任|老板|姐|哥|叔|伯)$")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒")
# Posts: a name right before or after one of these is an official acting in office, not masked.
_POSTS = ("副书记|书记|副市长|市长|副省长|省长|副县长|县长|副区长|区长|副镇长|镇长|副乡长|乡长|副局长|局长|"
          "副主任|主任|副部长|部长|厅长|处长|科长|所长|站长|队长|院长|校长|支书|委员|主席|代表|经理")
_POST_AFTER = re.compile(f"(?:{_POSTS})")
_POST_BEFORE = re.compile(f"(?:{_POSTS})$")
# Words that introduce a private person by name (我叫张某某, 户主：李某, 其子王某, 股东唐某).
_CUES = ("我叫|本人叫|名叫|叫做|姓名|联系人|户主|业主|住户|村民|居民|网友|信访人|投诉人|举报人|请求人|当事人|"
         "申请人|被申请人|申请执行人|被执行人|法人代表|法人|股东|承包商|老板|车主|司机|患者|病人|家属|"
         "儿子|女儿|孙子|孙女|妻子|丈夫|父亲|母亲|之父|之母|其父|其母|其子|其女|其妻|哥哥|弟弟|姐姐|妹妹|"
         "岳父|舅舅|老人|医师|医生|学生|教师|老师|师傅|文书|会计|出纳|员工|租户|房东|邻居|户名|姓名|男|女|"
         "系|由|与|和|给|对|向|将|被|以|限|把")
_CUED_NAME = re.compile(f"({_CUES})[:：]?\\s?((?:{'|'.join(COMPOUND_SURNAMES)})[\u4e00-\u9fff]{{1,2}}"
                        f"|[{''.join(sorted(SURNAMES))}][\u4e00-\u9fff]{{1,2}})")
_TITLED_NAME = re.compile(f"([{''.join(sorted(SURNAMES))}])([\u4e00-\u9fff]{{1,2}}?)"
                          "(?=老先生|先生|女士|老人|师傅|阿姨|大爷)")
_LIST_SEPARATORS = "、，,和及与丶"
# What follows a surname-led word when it is a place, a firm or a thing rather than a person.
_NOT_AFTER_NAME = re.compile(
    r"[路街道巷村镇乡区县市省组湾坪冲岭坝桥山湖河江园苑城府庄寺庙塘港洲岛站厂场馆店]|"
    r"小区|社区|大道|公司|集团|酒店|电器|医院|学校|幼儿园|小学|中学|广场|大厦|花园|家园|商场|市场|超市|诊所|"
    r"派出所|中心|新城|高铁|会展|步行|片区|地块|项目|工程|线|号|栋|楼|牌|证|法|式|性|型|率|费|款|价"
)
# Surname-led words that are not names (the tagger calls some of them person names).
_NOT_NAMES = frozenset(
    "许可 许可证 许可法 高新区 文明 谢谢 谢谢您 高峰 严格 严格执行 张贴 向阳 白云 黄星 楚龙 楚府 华府 华庭 沙田 温泉 "
    "雪峰山 蓝天 明白 宝贵 宝贵意见 关怀 慈善 普惠 普惠性 范畴 安静 安监 安监员 马路边 米左右 段时间 高三 高中生 "
    "何时能 石拱桥 曾用名 柳叶湖 马王堆 陶公庙 金桂路 向永鑫 于东郡 钱花 阳光 白沙 洪山 含浦 咸嘉 雷阵雨 方亦未 "
    "杜绝 黄花 黄兴 万国城 万达 金星 江湾 林孟路 文成路 高桥 龙泉 汤圆 金盆 王府 石场 张家界 严肃 严重 常规 "
    "任何 任意 任务 任职 任命 任期 程序 程度 方便 方面 方案 方式 方向 方法 明确 万元 万余 文件 文化 文书 石油 "
    "江山 高速 高度 高层 康复 夏季 孟夏 钟点 于是 于此 余额 余万 余元 戴帽 龙头 龙舟 毛坯 章程 车主 史上 黎明 "
    "贺卡 雷锋 甘蔗 田地 田野 金额 金融 白天 白色 白班 周边 周末 周期 周围 周转 周年 周一 周二 周三 周四 周五 "
    "孙女 孙子 孙辈 曾孙 曾经 于是 高中 初高中 "
    "周六 周日 乐意 乐园 常年 常住 常委 施工 施工方 牛奶 洪水 左右 左转 兰花 殷切 骆驼 谷歌 符合 邢台 甘肃 "
    "路口 路灯 路段 路面 葛洲坝 宁静 宁愿 祝您 祝愿 童年 季度 宫殿 鲁莽 蒙蔽 伏天 卜卦 桂花 师生".split()
)
_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})[ -]?((?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))[ -]?(\d{3}[\dXx])"
    r"(?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])(\d{6})(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])"
)
_BANK_NUMBER = re.compile(r"(?<![0-9A-Za-z-])[3-6]\d{3}(?: ?\d{4}){2} ?\d{4,7}(?![0-9A-Za-z-])")
_MOBILE = re.compile(r"(?<![\d+])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_DASHES = "-－—–"
_LANDLINE = re.compile(
    f"(?<!\\d)(0\\d{{2,3}})\\s?[{_DASHES}]?\\s?((?:\\d{{4}}[{_DASHES}])?\\d{{3,4}})(\\d{{4}})(?!\\d)"
)
# A local number without area code only right after a cue word (家里座机84561234).
_CUED_LOCAL = re.compile(r"(?:电话|座机|手机|联系方式|致电|拨打|号码)[:：]?\s?(\d{3,4})(\d{4})(?!\d)")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼楚"
_PLATE = re.compile(f"([{_PROVINCES}][A-Z])[·•.\\s]?((?=[A-Z0-9]*\\d)[A-Z0-9]{{5,6}})(?![A-Za-z0-9])")
_STREET_NUMBER = re.compile(
    r"(?:[路街巷道里环]|大道|大街|[一二三四五六七八九十\d]+段|[0-9一二三四五六七八九十]+组)(\d{1,5})号(?![文令线楼院])"
)
_BUILDING_DOOR = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]?\d{1,3}(?:栋|幢|号楼|座)的?(?:\d{1,2}单[元位])?\s?"
    r"(?:\d{1,2}(?:层|楼)(?!盘|栋|层)|\d{3,4}(?:室|房|号)?(?![户余多套人平个]))?"
)
_ROOM = re.compile(r"(?<![\d〔\[【（(])\d{3,4}(?:室|房(?![屋产价租子间东源型贷]))")


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    replacement: str


def mask_phone(number):
    """138****1234: the first three and last four digits stay, so a caller can confirm it."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def _stars(text):
    return re.sub(r"[0-9A-Za-z]", "*", text)


def _surname_of(name):
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    return name[0] if name[0] in SURNAMES else None


def _is_official(text, start, end):
    return bool(_POST_AFTER.match(text, end) or _POST_BEFORE.search(text[max(0, start - 4):start]))


def _numbers(text):
    found = []
    for match in _ID_NUMBER.finditer(text):
        head = match.group(1) or match.group(4)
        if match.group(2) is None and not _valid_short_birth(match.group(5)):
            continue
        found.append(Finding(match.start(), match.end(), "id", head + "*" * (match.end() - match.start() - 6)))
    for match in _BANK_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 16 <= len(digits) <= 19:
            found.append(Finding(match.start(), match.end(), "bank", "*" * (len(digits) - 4) + digits[-4:]))
    for match in _MOBILE.finditer(text):
        found.append(Finding(match.start(), match.end(), "phone", f"{match.group(1)}****{match.group(3)}"))
    for match in _LANDLINE.finditer(text):
        found.append(Finding(match.start(), match.end(), "phone", f"{match.group(1)}-****{match.group(3)}"))
    for match in _CUED_LOCAL.finditer(text):
        found.append(Finding(match.start(1), match.end(2), "phone", f"****{match.group(2)}"))
    for match in _PLATE.finditer(text):
        found.append(Finding(match.start(), match.end(), "plate", match.group(1) + "*" * len(match.group(2))))
    return found


def _valid_short_birth(digits):
    """A 15-digit ID number's birth date (YYMMDD) is a real date."""
    try:
        date(1900 + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return True


def _addresses(text):
    found = []
    for match in _STREET_NUMBER.finditer(text):
        found.append(Finding(match.start(1), match.end(1), "address", "*" * len(match.group(1))))
    for pattern in (_BUILDING_DOOR, _ROOM):
        for match in pattern.finditer(text):
            piece = match.group(0)
            if pattern is _BUILDING_DOOR and not re.search(r"(?:栋|幢|号楼|座)的?\s?\d", piece):
                continue  # a building alone ("5栋") is not a door
            found.append(Finding(match.start(), match.end(), "address", _stars(piece)))
    return found


def _name_finding(text, start, name, cued=False, joined=False):
    surname = _surname_of(name)
    if surname is None or name in _NOT_NAMES or len(name) - len(surname) not in (1, 2):
        return None
    given = name[len(surname):]
    if surname in CUED_ONLY_SURNAMES and not cued:
        return None
    if _NOT_GIVEN_NAMES.match(given) or re.match(r"某[和与及跟同的等在]", given):  # a role, or masked already
        return None
    if name[-1] in "镇村乡区县市路街":
        return None
    end = start + len(name)
    if _is_official(text, start, end) or (not joined and _NOT_AFTER_NAME.match(text, end)):
        return None
    return Finding(start, end, "name", surname + "某")


def _names(text):
    # 张阿辉先生 → 张先生: the title says who is meant, the given name goes (first, so it wins).
    found = [Finding(match.start(), match.end(), "name", match.group(1)) for match in _TITLED_NAME.finditer(text)
             if match.group(2) and not _NOT_GIVEN_NAMES.match(match.group(2))]
    position = 0
    tokens = []
    for word, tag in rjieba.tag(text):
        tokens.append((position, word, tag))
        position += len(word)
    for index, (start, word, tag) in enumerate(tokens):
        if not tag.startswith("nr"):
            continue
        if len(word) == 1 and word in SURNAMES and index + 1 < len(tokens):
            following = tokens[index + 1][1]
            if 1 <= len(following) <= 2 and all("\u4e00" <= char <= "\u9fff" for char in following):
                word = word + following  # 蒋 + 大力
        if word in _NOT_NAMES:
            continue
        joined = len(word) == 4 and not word.startswith(COMPOUND_SURNAMES)
        if joined:
            word = word[:3]  # the tagger joined the next character: 唐四姑|冲
        if 2 <= len(word) <= 4:
            finding = _name_finding(text, start, word, joined=joined)
            if finding:
                found.append(finding)
    for match in _CUED_NAME.finditer(text):
        name = _best_name(text, match.start(2), match.group(2), tokens)
        # A one-character cue (由, 对, 向 …) is too weak to vouch for 于/向/方 as a surname.
        finding = _name_finding(text, match.start(2), name, cued=len(match.group(1)) > 1) if name else None
        if finding:
            found.append(finding)
    found.extend(_listed_names(text, found, tokens))
    return found + _repeated_names(text, found)


def _repeated_names(text, found):
    """Every other place a name found once appears in the same text (the tagger misses some)."""
    names = {text[f.start:f.end]: f.replacement for f in found if f.kind == "name" and f.end - f.start >= 3}
    taken = {(f.start, f.end) for f in found}
    extra = []
    for name, replacement in names.items():
        start = text.find(name)
        while start >= 0:
            if (start, start + len(name)) not in taken:
                extra.append(Finding(start, start + len(name), "name", replacement))
            start = text.find(name, start + 1)
    return extra


def _best_name(text, start, candidate, tokens):
    """The name starting at `start`: what the pattern caught when a name ends there (punctuation or
    the end follows), else the tagger's word there when it is 2–4 characters long, else what the
    pattern caught."""
    end = start + len(candidate)
    if end >= len(text) or not "\u4e00" <= text[end] <= "\u9fff":
        return candidate
    for token_start, word, _tag in tokens:
        if token_start == start and 2 <= len(word) <= 4 and word.startswith(candidate[:2]):
            return word
        if token_start == start and len(word) == 1:  # surname cut off alone: take the next one or two
            break
    return candidate


def _listed_names(text, found, tokens):
    """Names in a list after a name (张三、李四和王五): the items after each separator."""
    extra = []
    ends = {finding.end for finding in found if finding.kind == "name"}
    starts = {token_start: word for token_start, word, _tag in tokens}
    while ends:
        next_ends = set()
        for end in ends:
            if end < len(text) and text[end] in _LIST_SEPARATORS:
                start = end + 1
                word = starts.get(start)
                if word is None:
                    continue
                if len(word) == 1 and word in SURNAMES and start + 1 in starts:
                    word = word + starts[start + 1][:2]  # surname cut off alone
                finding = _name_finding(text, start, word[:4]) if len(word) >= 2 else None
                if finding and all(f.start != start for f in found + extra):
                    extra.append(finding)
                    next_ends.add(finding.end)
        ends = next_ends
    return extra


def find_personal_data(text):
    """[Finding] of the personal data in `text`, in order, without overlaps (numbers first, then
    addresses, then names; a longer finding wins over one it overlaps at the same rank)."""
    if not text:
        return []
    chosen = []
    for group in (_numbers(text), _addresses(text), _names(text)):
        for finding in sorted(group, key=lambda f: (f.start, -(f.end - f.start))):
            if all(finding.end <= other.start or finding.start >= other.end for other in chosen):
                chosen.append(finding)
    return sorted(chosen, key=lambda f: f.start)


def mask_personal_data(text):
    """The text with names of private persons, phone, ID, plate and bank numbers and door-level
    addresses masked."""
    if not text:
        return text
    pieces = []
    position = 0
    for finding in find_personal_data(text):
        pieces.append(text[position:finding.start])
        pieces.append(finding.replacement)
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)
