"""Fiscal vocabulary: the items auditors ask for, their synonyms and the kind of figure.

Used three ways: as jieba's user dictionary (so 公务接待费 stays one token), to expand
questions written in everyday words (接待花了多少钱 → 公务接待费), and to check that a
figure's unit fits the item (a count never answers a money question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from qa.domain.numbers import fold

MONEY, COUNT, AREA, RATE, LENGTH = "money", "count", "area", "rate", "length"
DATE = "date"  # 几月份验收完的: a date, which no figure (amount, count, rate) answers
SPEC = "spec"  # 规格是多少 (0.6*0.6), 标号 (C25): a specification, which no figure answers

UNIT_KINDS: dict[str, str] = {
    **{u: MONEY for u in ("元", "万元", "亿元", "千元", "万", "亿", "美元", "万美元", "亿美元")},
    **{u: AREA for u in ("平方公里", "平方米", "万平方米", "㎡", "亩", "万亩")},
    **{u: RATE for u in ("%", "个百分点", "‰")},
    **{u: LENGTH for u in ("米", "公里", "千米", "厘米", "m", "km")},
}


# Units that count the same thing: a question for 几批 takes 47批次, 几辆 takes 6台.
UNIT_FAMILY = {"批次": "批", "辆": "台", "名": "人", "位": "人", "％": "%", "m": "米", "km": "公里", "千米": "公里"}


# 预算 as a stage word, in facts and in questions alike: not inside a book's name (一般公共预算 and its
# pre-2014 name 一般预算, 政府性基金预算, 国有资本经营预算), the fund 预算稳定调节基金, 预算执行, nor the
# nouns 预算单位/预算部门 (一级预算部门: the units a budget is made for)
BUDGET_STAGE = r"(?<!公共)(?<!一般)(?<!基金)(?<!经营)预算(?!执行|稳定调节|单位|部门)"

# "按每亩40元", "人均接待费用144.93元": a rate per head or per unit, not a total (qualifier 单价)
PER_UNIT = r"每(?:亩|人|户|台|辆|头|只|场|平方米|吨|公里|名|月|天|人次|家|所|批)|人均|平均(?!浓度)"


def unit_family(unit: str) -> str:
    """The unit a count is counted in: 批次 → 批, 万亩 → 亩, 万人次 → 人次 (money units stay)."""
    if unit.startswith("万") and len(unit) > 1 and UNIT_KINDS.get(unit) != MONEY:
        unit = unit[1:]
    return UNIT_FAMILY.get(unit, unit)


def unit_kind(unit: str) -> str:
    return UNIT_KINDS.get(unit, COUNT)


@dataclass(frozen=True)
class Item:
    """A reportable item: canonical name, words people use for it, and its figure kind."""

    name: str
    synonyms: tuple[str, ...]
    kind: str
    units: tuple[str, ...] = ()

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Name and synonyms as questions and labels are matched: folded ("（境）" → "(境)")."""
        return tuple(dict.fromkeys(fold(w) for w in (self.name, *self.synonyms)))


ITEMS: tuple[Item, ...] = (
    Item("部门整体支出", ("整体支出", "总支出", "支出合计", "支出总额", "全年支出", "本年支出合计"), MONEY),
    # 基本支出 is by definition 为保障机构正常运转、完成日常工作任务而发生的支出.
    Item("基本支出", ("基本经费", "基本支出合计", "正常运转"), MONEY),
    Item("项目支出", ("项目经费", "项目资金"), MONEY),
    Item("人员经费", ("人头费", "工资福利", "工资福利支出", "人员支出", "工资"), MONEY),
    Item("日常公用经费", ("公用经费", "办公经费", "运转经费", "商品和服务支出", "公用支出"), MONEY),
    Item("三公经费", ("“三公”经费", "三公", '"三公"经费'), MONEY),
    Item(
        "因公出国（境）费用",
        (
            "因公出国（境）费",
            "因公出国(境)费用",
            "因公出国(境)经费",
            "出国(境)经费",
            "因公出国境费用",
            "因公出国费用",
            "出国费",
            "出国经费",
            "出国花费",
            "出国",
            "出境",
        ),
        MONEY,
    ),
    Item("公务接待费", ("接待费", "招待费", "接待费用", "接待经费", "接待", "招待"), MONEY),
    Item(
        "公务用车购置及运行费",
        (
            "公务用车购置及运行维护费",
            "公务用车购置及运行（维护）费",
            "公务用车购置及运行(维护)费",
            "车辆购置及运行费",
            "公车费用",
            "车辆费用",
            "用车费",
            "公务用车费用",
            "买车和养车",
            "买车养车",
            "车辆",  # 车辆方面花了多少钱, 在车辆上打算花多少
        ),
        MONEY,
    ),
    Item("公务用车购置费", ("车辆购置费", "购车费", "购置费", "买车", "购车", "买公车", "买公务车"), MONEY),
    Item(
        "公务用车运行维护费",
        (
            "公务用车运行费",
            "车辆运行维护费",
            "运行维护费",
            "运行费",
            "养车",
            "养公车",
            "养公务车",
            "公车运行",
            "车辆运行",
        ),
        MONEY,
    ),
    Item("接待批次", ("批次", "几批", "多少批"), COUNT, ("批", "批次")),
    Item("接待人次", ("人次", "接待人数"), COUNT, ("人次",)),
    Item("车辆编制数", ("车辆编制", "编制车辆", "公车", "几辆车", "几台车", "公务用车"), COUNT, ("台", "辆")),
    # the vehicles held, not those the establishment allows: "现在有几辆公车"
    Item(
        "公务用车保有量",
        ("车辆保有量", "保有量", "实有车辆", "现有车辆", "现在有几辆", "现有几辆", "目前有几辆", "一共有几辆", "公车"),
        COUNT,
        ("台", "辆"),
    ),
    # the vehicles bought in the year, printed beside the 保有量 ("公务用车购置数0辆,公务用车保有量11辆")
    Item(
        "公务用车购置数",
        ("购置车辆数", "购置数", "购置车辆", "新购车辆", "买了几辆", "买了多少辆", "购车数"),
        COUNT,
        ("台", "辆"),
    ),
    Item("人员编制数", ("人员编制", "编制人数", "编制数", "定编", "编制"), COUNT, ("人", "名")),
    Item(
        "实有人数",
        (
            "在职人员",
            "实有人员",
            "在编人员",
            "在职职工",
            "在岗职工",
            "在岗人员",
            "职工人数",
            "在职人数",
            "在编人数",
            "在职",
            "在岗",
            "在编",
            "实有",
            "上班的",
            "实际有",
        ),
        COUNT,
        ("人", "名"),
    ),
    Item(
        "离退休人员", ("退休人员", "离退休", "退休人数", "退休职工", "退休的", "退下来", "老同志"), COUNT, ("人", "名")
    ),
    # how a department is organised (every 部门决算's 概况 says it): offices inside, units under it
    Item(
        "内设机构",
        ("内设科室", "内设股室", "内设部门", "职能部门", "职能处室", "内设", "科室", "股室", "处室", "几个部门"),
        COUNT,
        ("个",),
    ),
    Item("下属单位", ("二级单位", "所属单位", "下属机构", "下辖单位", "下属", "下辖"), COUNT, ("个", "家")),
    Item("规划总面积", ("规划面积", "总面积"), AREA),
    Item("建成区面积", ("建成区", "建成面积"), AREA),
    Item("规模工业总产值", ("工业总产值", "总产值", "工业产值", "产值"), MONEY),
    Item("规模工业增加值", ("工业增加值", "增加值"), MONEY),
    Item("实缴税金", ("税金", "交税", "纳税", "缴税"), MONEY),
    Item("专项资金", ("专款", "专项经费"), MONEY),
    Item("工作经费", ("办公室经费",), MONEY),
    Item("基础设施投入", ("基础设施", "基建"), MONEY),
    Item("厂房面积", ("厂房",), AREA),
    Item("报批土地", ("土地报批", "报批"), AREA),
    Item("征收土地", ("征地", "征收"), AREA),
    Item("新入统企业", ("入统", "纳入统计"), COUNT),
    Item("入党积极分子", ("积极分子",), COUNT),
    Item("党员", ("党员人数",), COUNT),
    Item("非公党组织", ("党组织",), COUNT),
    Item("机关运行经费", ("机关运行费", "运行经费"), MONEY),
    Item("一般公共预算财政拨款", ("财政拨款", "一般公共预算拨款"), MONEY),
    Item("财政拨款收入", ("拨款收入",), MONEY),
    Item("会议费", ("开会",), MONEY),
    Item("培训费", (), MONEY),
    Item("差旅费", ("出差",), MONEY),
    Item("政府采购", ("采购",), MONEY),
    Item("预算执行率", ("执行率",), RATE),
    # 部门决算: the income and balance lines of 收入支出决算总表
    Item("收支总计", ("收支总额", "收支合计", "收、支总计"), MONEY),
    Item("收入总计", ("收入合计", "总收入", "收入总额", "全年收入", "收入总数"), MONEY),
    Item("本年收入", ("本年收入合计", "当年收入"), MONEY),
    Item("事业收入", (), MONEY),
    Item("经营收入", (), MONEY),
    Item("其他收入", (), MONEY),
    Item("年初结转和结余", ("年初结转结余", "年初结转", "上年结转", "年初结余", "上年结余"), MONEY),
    Item(
        "年末结转和结余",
        ("年末结转结余", "年末结转", "年底结转", "年末结余", "年底结余", "结转结余", "结转和结余"),
        MONEY,
    ),
    # 支出功能分类的类: "社会保障和就业支出(类)398.52万元"
    Item("一般公共服务支出", ("一般公共服务",), MONEY),
    Item("公共安全支出", (), MONEY),
    Item("教育支出", (), MONEY),
    Item("科学技术支出", ("科技支出",), MONEY),
    Item("文化旅游体育与传媒支出", ("文化旅游体育与传媒", "文化体育与传媒支出", "文化体育与传媒"), MONEY),
    Item("社会保障和就业支出", ("社会保障和就业", "社保和就业", "社保就业"), MONEY),
    Item("卫生健康支出", ("医疗卫生与计划生育支出", "医疗卫生支出", "卫生健康方面"), MONEY),
    Item("节能环保支出", ("节能环保",), MONEY),
    Item("城乡社区支出", ("城乡社区事务",), MONEY),
    Item("农林水支出", ("农林水",), MONEY),
    Item("交通运输支出", (), MONEY),
    Item("住房保障支出", ("住房保障",), MONEY),
    Item("罚没收入", ("罚没款", "罚没", "罚款", "罚金", "罚了"), MONEY),
    # 财政决算/预算执行报告 of a whole government (预算法's books and their lines)
    # 一般公共财政预算: the book's name before the 2014 预算法
    Item("一般公共预算收入", ("地方一般公共预算收入", "一般公共财政预算收入", "一般预算收入", "公共预算收入"), MONEY),
    Item("一般公共预算支出", ("地方一般公共预算支出", "一般公共财政预算支出", "一般预算支出", "公共预算支出"), MONEY),
    Item("税收收入", ("税收", "税收收入合计"), MONEY),
    Item("非税收入", (), MONEY),
    Item("政府性基金收入", ("政府性基金预算收入", "基金收入"), MONEY),
    Item("政府性基金支出", ("政府性基金预算支出", "基金支出"), MONEY),
    Item("上级补助收入", ("上级补助", "转移性收入", "上级转移支付", "上面给", "上面拨"), MONEY),
    Item("国有资本经营预算收入", ("国有资本经营收入", "国资经营预算收入"), MONEY),
    Item("国有资本经营预算支出", ("国有资本经营支出", "国资经营预算支出"), MONEY),
    Item("社会保险基金预算收入", ("社会保险基金收入", "社保基金收入"), MONEY),
    Item("社会保险基金预算支出", ("社会保险基金支出", "社保基金支出"), MONEY),
    # the lines under them in a 决算/预算执行 report (收支科目 and 转移性收支 of the 预算法's books)
    Item("中央补助收入", ("中央补助", "中央财政补助", "中央给"), MONEY),
    Item("一般性转移支付收入", ("一般性转移支付",), MONEY),
    Item("专项转移支付收入", ("专项转移支付",), MONEY),
    Item("返还性收入", ("税收返还",), MONEY),
    Item("上解上级支出", ("上解支出", "上解上级", "交给上级", "上交上级", "交上级"), MONEY),
    Item("国有土地使用权出让收入", ("土地出让收入", "土地出让金", "土地出让", "卖地", "土地使用权出让"), MONEY),
    Item("债务还本支出", ("还本支出", "偿还本金", "还债", "还本金", "还本"), MONEY),
    Item("债务付息支出", ("付息支出", "还利息", "付利息", "付息"), MONEY),
    Item("再融资债券", ("再融资一般债券", "再融资专项债券", "再融资", "借新还旧"), MONEY),
    Item("预算稳定调节基金", ("稳定调节基金",), MONEY),
    Item("债务转贷收入", ("转贷收入",), MONEY),
    Item(
        "结转下年",
        ("结转下年支出", "结转下年度", "结转到下一年", "结转到下年", "滚存结余", "留到下年", "剩到下年"),
        MONEY,
    ),
    Item("自评得分", ("绩效自评得分", "综合得分", "自评分", "得分", "评分", "打分"), COUNT, ("分",)),
    # the 总分 row of a 绩效自评表: "一共打了多少分" asks for it, not for one indicator's 得分
    Item("自评总分", ("总分", "总得分", "一共打了", "总共打了", "共打了", "一共得了", "总共得了"), COUNT, ("分",)),
)
# The department's whole budget, for "年初安排了多少预算" that names no item (see scope.budget_in_all);
# not in ITEMS, so a question's 年初预算 never becomes an item of its own.
BUDGET_TOTAL = Item("部门预算", ("部门年初预算", "年初预算", "调整后预算", "预算总额", "总预算", "全年预算"), MONEY)

# Everyday words and the report words they stand for; they expand questions for search.
COLLOQUIAL: dict[str, str] = {
    "花了": "支出",
    "花费": "支出",
    "花多少": "支出",
    "开销": "支出",
    "开支": "支出",
    "招待": "接待",
    "几拨": "批次",
    "多少拨": "批次",
    "多大": "面积",
    "占地": "面积",
    "公车": "公务用车",
    "买车": "购置",
    "养车": "运行",
}

EXTRA_TERMS = (
    "部门整体支出绩效自评报告",
    "部门决算",
    "“三公”经费",
    "因公出国（境）费用",
    "一般公共预算",
    "财政拨款",
    "年初预算",
    "调整后预算",
    "决算数",
    "预算数",
    "执行数",
    "规模工业",
    "冷水滩",
    "高科园",
    "公务用车",
    "运行维护费",
    "购置费",
    "编制数",
    "控违中心",
)

# Words that carry no item meaning in a question.
QUESTION_NOISE = re.compile(
    r"(多少钱|多少|几个|几家|几名|几人|几台|几辆|是什么|是多少|有多大|有多少|一共|总共|合计|共计|花了|花费了|花|用了|请问|"
    r"报告|单位|部门|情况|的|了|是|吗|呢|啊|呀|吧|有|在|要|能|到|和|及|与|[？?！!，,。.、：:\s])"
)


# Accounting identities an auditor checks: total = sum of parts (docs/interfaces.md).
IDENTITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("部门整体支出", ("基本支出", "项目支出")),
    ("基本支出", ("人员经费", "日常公用经费")),
    ("三公经费", ("因公出国（境）费用", "公务用车购置及运行费", "公务接待费")),
    ("公务用车购置及运行费", ("公务用车购置费", "公务用车运行维护费")),
)
ITEM_BY_NAME = {item.name: item for item in ITEMS}


GENERIC_TAIL = re.compile(r"(?:支出|决算|预算|数|金额|合计|总额|总计|情况)+$")

# Items that say who paid, not what was paid for: before another item they only modify it.
FUNDING = frozenset({"一般公共预算财政拨款"})


def head_strength(item: Item, label: str) -> int:
    """2 when the label ends with the item (Chinese puts the head noun last), 1 when it does once a
    generic tail (支出, 总计, 数 …) is dropped, else 0: 一般公共预算财政拨款基本支出 is a 基本支出, whatever
    funds it; 一般公共预算收入总计 is a 收入总计 before it is a 一般公共预算收入."""
    if any(w and label.endswith(w) for w in item.words):
        return 2
    core = GENERIC_TAIL.sub("", label) or label
    return 1 if any(w and core.endswith(w) for w in item.words) else 0


def outranked(item: Item, label: str, hit: int) -> bool:
    """True when the label names another item more specifically than item, and item is not more its
    head; or names another item as specifically and that one is more its head (在职人员编制 is a 编制,
    not 在职人员)."""
    named, named_hit = label_item(label)
    if named is None or named is item or named_hit < hit:
        return False
    mine, other = head_strength(item, label), head_strength(named, label)
    if named_hit == hit:
        return other > mine
    return not mine > other  # the other item only modifies


@lru_cache(maxsize=1 << 16)
def label_item(label: str, ignore: frozenset[str] = frozenset()) -> tuple[Item | None, int]:
    """The item a fact label names most specifically, with the matched length; items named in
    ignore are passed over (FUNDING: who paid says nothing of what was paid for).  Remembered per
    label: a corpus repeats its labels, and every question scores them again."""
    best: tuple[Item | None, int] = (None, 0)
    for item in ITEMS:
        if item.name in ignore:
            continue
        hit = label_matches(item, label)
        if hit > best[1]:
            best = (item, hit)
    return best


def items_in(text: str) -> list[Item]:
    """Items named in text (by canonical name or synonym), most specific match first."""
    found: list[tuple[int, int, Item]] = []
    for order, item in enumerate(ITEMS):
        best = max((len(w) for w in item.words if w and w in text), default=0)
        if best:
            found.append((-best, order, item))
    found.sort(key=lambda t: (t[0], t[1]))
    return [item for _, _, item in found]


def colloquial_terms(text: str) -> list[str]:
    """Report words for the everyday words in text (花了 → 支出)."""
    return list(dict.fromkeys(term for word, term in COLLOQUIAL.items() if word in text and term not in text))


def label_matches(item: Item, label: str) -> int:
    """Length of the longest of item's words found in a fact label (0 = no match)."""
    return max((len(w) for w in item.words if w and w in label), default=0)


def user_dictionary() -> list[str]:
    """Terms to add to jieba so fiscal compounds are not split apart."""
    terms = {w for item in ITEMS for w in item.words if len(w) >= 2 and not re.search(r"[多几少]", w)}
    terms.update(EXTRA_TERMS)
    return sorted(terms)
