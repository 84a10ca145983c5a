"""How the catalogue is browsed: the themes shown to 个人 and 法人, the life events (一件事) and
the other dimensions. These are editorial lists, kept as data in one place."""

LEVEL_LABELS = {"省": "省级", "市": "市级", "县": "县（区）级", "乡": "乡镇（街道）级"}
AUDIENCE_LABELS = {"自然人": "个人（自然人）", "法人": "企业和组织（法人）"}

# Themes (主题分类) as the data names them, in the order the home page lists them.
PERSONAL_THEMES = (
    "生小孩", "生育收养", "户籍办理", "证件办理", "教育科研", "升学", "义务教育", "找工作", "就业创业",
    "高校毕业生", "失业", "社会保障（社会保险、社会救助）", "社会救助", "医疗卫生", "婚姻登记", "结婚",
    "买房子", "住房保障", "迁居", "交通出行", "出境入境", "港澳台侨", "外国人", "职业资格", "退休",
    "离职退休", "养老服务", "老年人", "残疾人", "妇女", "儿童青少年", "农民", "涉农补贴", "司法公证",
    "文化体育", "旅游观光", "消费维权", "民族宗教", "公共安全",
)
ENTERPRISE_THEMES = (
    "设立变更", "准营准办", "创业", "纳税", "知识产权", "抵押质押", "规划建设", "环保绿化", "公用事业",
    "人才", "行政缴费", "城市综合执法", "文化体育", "交通出行", "医疗卫生", "司法公证", "职业资格",
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
    LifeEvent("出生一件事", "自然人", ("生小孩", "生育收养"), ("出生", "新生儿", "生育登记", "收养")),
    LifeEvent("入学一件事", "自然人", ("升学", "义务教育"), ("入学", "学籍")),
    LifeEvent("就业一件事", "自然人", ("找工作", "高校毕业生", "失业"), ("就业登记", "失业登记", "失业保险金")),
    LifeEvent("结婚一件事", "自然人", ("结婚", "婚姻登记"), ("结婚登记", "婚姻登记")),
    LifeEvent("购房一件事", "自然人", ("买房子", "住房保障"), ("住房公积金", "不动产登记", "商品房")),
    LifeEvent("迁居一件事", "自然人", ("迁居", "户籍办理"), ("户口迁移", "迁入", "迁出")),
    LifeEvent("退休一件事", "自然人", ("退休", "离职退休", "养老服务"), ("退休", "养老金")),
    LifeEvent("身后一件事", "自然人", (), ("死亡", "丧葬", "抚恤金", "遗属")),
    LifeEvent("开办企业一件事", "法人", ("设立变更", "创业"), ("企业设立", "开业登记", "公司设立", "设立登记")),
    LifeEvent("企业准营一件事", "法人", ("准营准办",), ("经营许可", "许可证核发")),
    LifeEvent("企业注销一件事", "法人", (), ("注销登记", "企业注销", "税务注销")),
    LifeEvent("工程建设一件事", "法人", ("规划建设",), ("施工许可", "竣工验收", "建设工程规划")),
)
LIFE_EVENT_NAMES = tuple(event.name for event in LIFE_EVENTS)


def life_events_for(name, themes, group=None):
    return [event.name for event in LIFE_EVENTS if event.matches(name, themes, group)]
