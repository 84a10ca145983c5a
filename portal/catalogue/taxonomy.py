"""How the catalogue is browsed: the themes shown to 个人 and 法人, the life events (一件事) and
the other dimensions. These are editorial lists, kept as data in one place."""

from portal.models.catalogue import N_

LEVEL_LABELS = {"省": N_("省级"), "市": N_("市级"), "县": N_("县（区）级"), "乡": N_("乡镇（街道）级")}
AUDIENCE_LABELS = {"自然人": N_("个人（自然人）"), "法人": N_("企业和组织（法人）")}

OTHER_THEME = N_("其他")  # the data's catch-all theme, listed last

# Themes (主题分类) as the data names them, in the order the home page lists them.
PERSONAL_THEMES = (
    N_("生小孩"), N_("生育收养"), N_("户籍办理"), N_("证件办理"), N_("教育科研"), N_("升学"),
    N_("义务教育"), N_("找工作"), N_("就业创业"), N_("高校毕业生"), N_("失业"),
    N_("社会保障（社会保险、社会救助）"), N_("社会救助"), N_("医疗卫生"), N_("婚姻登记"), N_("结婚"),
    N_("买房子"), N_("住房保障"), N_("迁居"), N_("交通出行"), N_("出境入境"), N_("港澳台侨"),
    N_("外国人"), N_("职业资格"), N_("退休"), N_("离职退休"), N_("养老服务"), N_("老年人"),
    N_("残疾人"), N_("妇女"), N_("儿童青少年"), N_("农民"), N_("涉农补贴"), N_("司法公证"),
    N_("文化体育"), N_("旅游观光"), N_("消费维权"), N_("民族宗教"), N_("公共安全"),
)
ENTERPRISE_THEMES = (
    N_("设立变更"), N_("准营准办"), N_("创业"), N_("纳税"), N_("知识产权"), N_("抵押质押"),
    N_("规划建设"), N_("环保绿化"), N_("公用事业"), N_("人才"), N_("行政缴费"), N_("城市综合执法"),
    N_("文化体育"), N_("交通出行"), N_("医疗卫生"), N_("司法公证"), N_("职业资格"),
)


class LifeEvent:
    """一件事: one thing in a person's or a company's life that takes several matters."""

    def __init__(self, name, audience, themes=(), keywords=()):
        self.name = name
        self.audience = audience
        self.themes = frozenset(themes)
        self.keywords = tuple(keywords)

    def matches(self, name, themes, group=None):
        if self.themes.intersection(themes):
            return True
        text = f"{name} {group or ''}"
        return any(keyword in text for keyword in self.keywords)


LIFE_EVENTS = (
    LifeEvent(N_("出生一件事"), "自然人", ("生小孩", "生育收养"), ("出生", "新生儿", "生育登记", "收养")),
    LifeEvent(N_("入学一件事"), "自然人", ("升学", "义务教育"), ("入学", "学籍")),
    LifeEvent(N_("就业一件事"), "自然人", ("找工作", "高校毕业生", "失业"), ("就业登记", "失业登记", "失业保险金")),
    LifeEvent(N_("结婚一件事"), "自然人", ("结婚", "婚姻登记"), ("结婚登记", "婚姻登记")),
    LifeEvent(N_("购房一件事"), "自然人", ("买房子", "住房保障"), ("住房公积金", "不动产登记", "商品房")),
    LifeEvent(N_("迁居一件事"), "自然人", ("迁居", "户籍办理"), ("户口迁移", "迁入", "迁出")),
    LifeEvent(N_("退休一件事"), "自然人", ("退休", "离职退休", "养老服务"), ("退休", "养老金")),
    LifeEvent(N_("身后一件事"), "自然人", (), ("死亡", "丧葬", "抚恤金", "遗属")),
    LifeEvent(N_("开办企业一件事"), "法人", ("设立变更", "创业"), ("企业设立", "开业登记", "公司设立", "设立登记")),
    LifeEvent(N_("企业准营一件事"), "法人", ("准营准办",), ("经营许可",)),
    LifeEvent(N_("企业注销一件事"), "法人", (), ("注销登记", "企业注销", "税务注销")),
    LifeEvent(N_("工程建设一件事"), "法人", ("规划建设",), ("施工许可", "竣工验收", "建设工程规划")),
)
LIFE_EVENT_NAMES = tuple(event.name for event in LIFE_EVENTS)


def life_events_for(name, themes, group=None):
    return [event.name for event in LIFE_EVENTS if event.matches(name, themes, group)]
