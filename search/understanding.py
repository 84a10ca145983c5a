"""Query understanding: what a citizen's words ask for, before any matching.

A query such as 我的社保卡丢了在哪里补办 carries one thing to find (社保卡), an action (补办: a
replacement, not a first card), and words that only make it a question (我的, 在哪里). Matching the
question words (or the character pairs inside them: 办理, 手续, 申请 …) against matter names ranks
whatever matter happens to carry them, so they are set aside here:

* filler: question words and particles, dropped from matching altogether;
* generic service words (办理, 申请, 审批, 许可证 …): kept only as a light extra signal, never in
  the character-pair matching;
* actions (新办 / 补办 / 换领 / 变更 / 注销 / 查询): recognised, set aside from matching and used
  to favour matter names that carry the same action (and disfavour the others);
* regions (广州, 广东/省, 广安/四川): set aside from matching and used as boosts;
* numbers written in Chinese (七十岁, 三级) are read as digits too.

Everything else is content: the words that must match.
"""

import re
from dataclasses import dataclass, field

import rjieba

from search.analysis import normalize

FILLER = frozenset("""
的 了 吗 呢 啊 吧 呀 哦 么 嘛 哈 啦 得 地 着 过 去 来 要 想 想要 我 我们 我家
俺 咱 你 你们 他 她 它 他们 自己 本人 家里 家 怎么 怎样 怎么样 怎么办 如何 咋 咋办
咋样 哪 哪里 哪儿 在哪 在哪儿 在哪里 去哪 去哪里 哪个 哪些 哪家 什么 啥 啥子 多少
多久 几天 几个 是否 是不是 能不能 可不可以 可否 能否 有没有 有无 要不要 需不需要 行不行
还要 还能 还可以 能 可以 会 应该 应当 该 需 需要 得要 必须 请问 请 问 问下 问一下
咨询 一下 一个 个 这个 那个 这 那 这种 那种 这样 那样 现在 今年 目前 已经 刚 刚刚
马上 还 也 又 再 就 都 才 只 是 有 没 没有 不 不是 和 与 及 跟 同 或 或者 还是
在 给 把 被 让 对 从 到 为 为了 向 以及 而且 但是 可是 所以 因为 如果 要是 那么
吗 呢 么 ？ ? 啊 呐 喔 唉 嗯 好 好的 谢谢 麻烦 急 急问 求助 求 帮忙 帮 一般
大概 具体 相关 有关 关于 方面 情况 问题 事情 事 东西 办 搞 弄 整 做 拿 找 跑 交
用 走 开始 准备 打算 还得 流程 手续 材料 资料 条件 要求 规定 政策 步骤 时间 时限
地点 地方 窗口 部门 费用 收费 钱 多少钱 要钱 免费 要多久 网上 线上 线下 现场
开个 办个 弄个 搞个 整个 去办 能办 可以办 给办 帮忙办 该怎么 应该怎么 需要什么 要什么 要啥 办啥
谁 找谁 问谁 快 这边 那边 这里 那里 新的 一些 哪种 哪类 怎么弄 咋弄 咋整 行吗 可以吗 之类 等等
才 才能 才可以 还能 能够 可以不 是否能 需要多少 要多少 多长时间 多长 几年 多少年 多大 一直 总是 老是 仍然
严重 建议 希望 反映 反应 不能 不会 不了 由于 存在 造成 特别 正常 经过 根据 直接 属于 原因 通知 按照
以来 发生 提出 告知 完全 可能 一样 各种 期间 以下 以上 继续 同意 事宜 其他 其 之 各 等 并 而
已 于 以 因 可 未 前 后 时 领导 您好 你好 尊敬 本人 我是 我想 我要 我们家 老百姓 群众 一名 请求 恳请
尽快 赶紧 赶快 及时 早点 一直没
""".split())
# A modal or helper before a filler or service word (要交, 能办, 需办理, 可享受) only makes it a question.
MODALS = "要需得该想能可会"

# Words of the service vocabulary that almost every matter name carries: a light signal only.
GENERIC = frozenset("""
办理 申请 申办 申报 审批 报批 批准 批 许可 许可证 证 证件 证书 证明 登记 备案 手续
核发 核准 认定 确认 审核 审查 受理 服务 业务 事项 资格 办证 拿证 领证 发证 领取 申领
领 补贴 补助 待遇 享受 享有 评定 评审 审定 核定 核实
""".split())

# Action words: what the citizen wants done with a licence or card. The markers are what matter
# names carry for that action.
INTENT_WORDS = {
    "replace": ("补办 补领 补发 补证 补卡 补 遗失 丢失 丢了 丢 掉了 弄丢 不见了 找不到 挂失 损坏 坏了 坏 损毁 破损 "
                "烂了").split(),
    "renew": ("换领 换发 换证 换卡 换 换新 到期 过期 快到期 期满 延续 延期 续期 续办 续签 续 年审 年检 复审 "
              "再次").split(),
    "change": "变更 更改 修改 改 改名 更名 改名字 变动 更正 更新".split(),
    "transfer": ("转移 迁移 转出 转入 迁出 迁入 转回 迁回 调动 调档 转走 转过来 转到 转过去 转接 接续 "
                 "调出 调入 转关系").split(),
    "cancel": "注销 撤销 停业 关闭 关掉 倒闭 不做了 不干了 不开了 歇业 终止 退出 解散 吊销".split(),
    "query": "查询 查 查看 查一下 查找 进度 打印 下载 办好 办好了 好了没 好没好 到哪了 出来没".split(),
    "appointment": "预约 网上预约 约号 排号".split(),
    "new": "新办 新申请 首次 初次 第一次 初始 新开 开办 开 新建 设立 成立 注册 申领 考 考取 考证 学".split(),
}
INTENT_MARKERS = {
    "replace": ("补办", "补领", "补发", "补证", "补换", "遗失", "挂失", "损毁", "丢失"),
    "renew": ("换领", "换发", "换证", "延续", "延期", "期满", "续期", "再次注册", "重新"),
    "change": ("变更", "更正", "更改", "修改"),
    "transfer": ("转移", "迁移", "转出", "转入", "迁出", "迁入", "接续"),
    "cancel": ("注销", "终止", "撤销", "吊销", "歇业"),
    "query": ("查询", "验证", "核验", "查验"),
    "appointment": ("预约",),
    "new": ("初次", "首次", "初始", "新办", "新申请"),
}
# Actions whose names are favoured when asked for but not disfavoured otherwise: many a main matter
# is a transfer (户口迁移审批, 养老保险关系转移接续), unlike a renewal or a cancellation.
FAVOURED_ONLY = frozenset({"transfer"})
REGION_WORDS = {
    "广州": "广州", "广州市": "广州", "广东": "广东", "广东省": "广东", "省": "广东", "省里": "广东", "全省": "广东",
    "省级": "广东", "广安": "广安", "广安市": "广安", "广安区": "广安", "四川": "广安", "四川省": "广安",
}
# Region → the matters' region values it favours.
REGION_VALUES = {
    "广州": ("广东省广州市",),
    "广东": ("广东省",),
    "广安": ("四川省广安市广安区",),
}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+(?=[岁周级年个月天日次级类项号人])")
_DIGIT_TO_CN = "零一二三四五六七八九"


def chinese_number(text):
    """七十 → 70, 十五 → 15, 三 → 3, 一百二十 → 120; None when not a plain number."""
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def digits_for_numerals(text):
    """Chinese numerals before a measure word as digits: 满七十岁 → 满70岁, 三级 → 3级."""
    def replace(match):
        value = chinese_number(match.group(0))
        return str(value) if value is not None else match.group(0)
    return _CN_NUMBER.sub(replace, text)


def numerals_for_digits(text):
    """Single digits before a measure word in Chinese: 3级 → 三级 (names write grades so)."""
    return re.sub(r"(?<!\d)(\d)(?=[级类项])", lambda match: _DIGIT_TO_CN[int(match.group(1))], text)


@dataclass
class Understood:
    text: str  # the normalised query
    tokens: list  # (word, start, end) of jieba's default cut
    content: list  # content words in order
    generic: list  # generic service words
    intents: list  # recognised actions, in order of appearance
    regions: list  # recognised regions
    variants: list = field(default_factory=list)  # other spellings of the content (numbers)

    @property
    def content_text(self):
        """The content words joined with spaces: what character pairs are taken from."""
        return " ".join(self.content)

    @property
    def intent(self):
        return self.intents[0] if self.intents else "new"


_INTENT_OF = {word: intent for intent, words in INTENT_WORDS.items() for word in words}
# Action words a colloquial term may end or start with (社保卡丢了, 驾照到期, 注销户口), longest first.
_INTENT_TAILS = sorted((word for word in _INTENT_OF if len(word) >= 2), key=len, reverse=True)


MAX_SEGMENTERS = 8
_segmenters = {}


def segmenter(vocabulary):
    """The lexicon's terms (two to eight Chinese characters) a query's cut keeps whole (see
    _tokenize), so that 社保卡制卡进度 is cut 社保卡 / 制卡 / 进度 (jieba gives 社保 / 卡制卡) and a
    term is recognised where the citizen wrote it. Documents keep jieba's cut; only the grouping of
    the query's words depends on this. Cached per vocabulary object (a table dict)."""
    if vocabulary is None:
        return None
    key = id(vocabulary)
    cached = _segmenters.get(key)
    if cached is None or cached[0] is not vocabulary:
        if len(_segmenters) >= MAX_SEGMENTERS:
            _segmenters.clear()
        forced = frozenset(term for term in vocabulary
                           if 2 <= len(term) <= MAX_FORCED and re.fullmatch(r"[\u3400-\u9fff]+", term))
        cached = _segmenters[key] = (vocabulary, forced)
    return cached[1]


MAX_FORCED = 8


def _breaks_cleanly(text, end, cut):
    """A term may end inside one of jieba's words only when what is left of that word is a word
    of two characters or more (社保卡|制卡 from 卡制卡; not 职业资格证|书 from 资格证书)."""
    for _, start, stop in cut:
        if start < end < stop:
            return stop - end >= 2
    return True


def _tokenize(text, forced):
    """jieba's cut, except that a term of the lexicon starting where a word starts and longer than
    that word is kept whole, also when jieba joined its last character to the next word (as long
    as what is left of that word has two characters or more)."""
    cut = list(rjieba.tokenize(text))
    if not forced:
        return cut
    tokens, position = [], 0
    while position < len(text):
        for word, start, end in cut:
            if start < position:
                continue
            term = next((text[start:start + length] for length in range(MAX_FORCED, len(word), -1)
                         if text[start:start + length] in forced
                         and _breaks_cleanly(text, start + length, cut)), None)
            if term:
                tokens.append((term, start, start + len(term)))
                position = start + len(term)
                cut = [(w, s + position, e + position) for w, s, e in rjieba.tokenize(text[position:])]
                break
            tokens.append((word, start, end))
        else:
            position = len(text)
    return tokens


def _strip_particle(word):
    """考了 → 考, 丢了 stays (an action word of its own): a trailing 了/过/着 only marks tense."""
    if len(word) >= 2 and word[-1] in "了过着" and word not in _INTENT_OF and word[:-1]:
        return word[:-1]
    return word


MAX_SOUND_VARIANTS = 3


def _sound_variants(content, vocabulary):
    """The content with a homophone typo corrected from the lexicon's vocabulary (社保卡挂湿 →
    社保卡挂失, and the official terms of the corrected term): the content as a whole first, then
    its first word that sounds like a term or official term but is written differently."""
    if not vocabulary or not content:
        return []
    from search import lexicon  # search.lexicon reads this module's word lists

    built = lexicon.lexicon_for(vocabulary)
    joined = "".join(content)
    found = lexicon.correction([joined], built) if len(content) > 1 else None
    found = found or lexicon.correction(content, built)
    if not found:
        return []
    wrong, right = found
    return [joined.replace(wrong, replacement, 1)
            for replacement in [right, *vocabulary.get(right, [])][:MAX_SOUND_VARIANTS]]


def understand(query, vocabulary=None):
    """vocabulary: the lexicon table (term → official terms), if any: its terms are cut as words,
    and an action word that is itself a term (改名 → 姓名变更) stays content as well."""
    text = normalize(query)
    tokens = _tokenize(text, segmenter(vocabulary))
    content, generic, intents, regions = [], [], [], []
    for word, _, _ in tokens:
        word = word.strip()
        if not (vocabulary and word in vocabulary):
            word = _strip_particle(word)
            if len(word) >= 2 and word[0] in MODALS and (word[1:] in GENERIC or word[1:] in FILLER):
                word = word[1:]  # 要批, 需审批, 要交: the service or filler word without the modal
        if not word or not re.search(r"\w", word):
            continue
        if vocabulary and len(word) >= 2 and word in vocabulary and word not in REGION_WORDS:
            # a colloquial name the lexicon knows: content, and its action (改名字: change;
            # 社保卡丢了: replace; 注销户口: cancel) too
            intent = _INTENT_OF.get(word) or next(
                (_INTENT_OF[action] for action in _INTENT_TAILS
                 if len(word) > len(action) and (word.endswith(action) or word.startswith(action))), None)
            if intent and intent not in intents:
                intents.append(intent)
            content.append(word)
        elif word in REGION_WORDS:
            regions.append(REGION_WORDS[word])
        elif word in _INTENT_OF:
            intent = _INTENT_OF[word]
            if intent not in intents:
                intents.append(intent)
            # A transfer's direction (转入, 迁出) tells matters apart: it stays content too.
            if intent in FAVOURED_ONLY and word in INTENT_MARKERS[intent]:
                content.append(word)
            # 注销, 变更, 查询 … are also words of the matters' names: keep them as a light signal.
            elif word in INTENT_MARKERS.get(intent, ()) or word in ("注册", "设立", "年审", "年检"):
                generic.append(word)
        elif word in FILLER:
            continue
        elif word in GENERIC:
            generic.append(word)
        else:
            content.append(word)
    variants = []
    joined = "".join(content)
    for variant in (digits_for_numerals(joined), numerals_for_digits(joined), *_sound_variants(content, vocabulary)):
        if variant != joined and variant not in variants:
            variants.append(variant)
    return Understood(text=text, tokens=tokens, content=content, generic=generic, intents=intents,
                      regions=list(dict.fromkeys(regions)), variants=variants)
