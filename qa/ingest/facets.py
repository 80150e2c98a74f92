"""Document facets from the title: year, department (单位/部门) and report type.

Real titles run "2018年度冷水滩高科园部门整体支出绩效自评报告", "永州市零陵区教育局2019年度
部门决算说明", "关于2020年度“三公”经费支出情况的说明": the year is the first 19xx/20xx年,
the report type the longest known type name, the department what is left once the year,
the type and joining words are removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.domain.numbers import unglossed
from qa.domain.orgnames import short_names
from qa.domain.sites import site_labels
from qa.records import Document

REPORT_TYPES = (
    "部门整体支出绩效自评报告",
    "整体支出绩效自评报告",
    "部门整体支出绩效评价报告",
    "项目支出绩效自评报告",
    "项目支出绩效自评表",
    "项目绩效自评报告",
    "部门决算说明",
    "部门决算公开说明",
    "部门决算",
    "部门预算说明",
    "部门预算执行情况说明",
    "预算执行情况",
    "三公经费说明",
    "“三公”经费支出情况的说明",
    "“三公”经费情况说明",
    "“三公”经费",
    "绩效自评报告",
    "绩效评价报告",
    "决算说明",
    "预算说明",
)
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
NOT_A_DATE = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")  # a year, not a day's date
FULL_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
YEAR_WORD = re.compile(r"(?:19|20)\d{2}\s*年度?")  # a year as a word to take out: "2019年度" less its 度 too
TOPIC = re.compile(
    r"[“\"]?三公[”\"]?经费(?:支出|决算)?(?:及|和|、)?|[“”\"]"
    # "2023年广东省财政厅一般公共预算财政拨款“三公”经费…": which budget book paid is not the department
    r"|(?:一般公共预算|政府性基金(?:预算)?)(?:及(?:一般公共预算|政府性基金(?:预算)?))?(?:财政拨款)?|财政拨款"
)
ORG_END = re.compile(r"(?:局|委员会|委|办公室|厅|院|中心|政府|管委会|园|馆|站|所|队|会|部|处|室|学校|公司)$")
# 龙泉市…, 冷水滩区…, 乌力吉苏木 (Inner Mongolia's township; 嘎查 its village): a title part naming a place
# (not 乡 of 乡村 or 城乡: "推进乡村振兴补助资金" names no place)
PLACE = re.compile(r"[\u4e00-\u9fff](?:[省市县区州旗镇]|(?<!城)乡(?!村)|苏木|嘎查)")
JOINERS = re.compile(r"^(?:关于|年度|度)|(?:关于|的|年度|度|情况|报告|说明|公开|部门)+$")


@dataclass(frozen=True)
class Facets:
    year: str | None
    department: str
    report_type: str
    subject: str = ""  # the title less year and report type: department and project ("岚溪县…局 送戏下乡")
    # Every name the report goes by: the department, organisations on metadata lines (发布机构：…),
    # in the first lines and named twice or more in the body; a question may name any of them.
    names: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()  # 项目名称 of its 绩效自评表s ("义务教育营养改善计划专项资金")
    site: tuple[str, ...] = ()  # labels of the address it was saved from ("source: …qinan.gov.cn": qinan)


OVERRIDABLE = ("department", "year", "report_type")


def facets_of(doc: Document) -> Facets:
    """Facets read from the title and the text, with any the user set (Document.overrides) in their place."""
    # a mirror's 湛江市委宣傳部 is the question's 湛江市委宣传部, its 事務(wù)局 one word (names hold no offsets)
    text = unglossed(doc.text)
    found = first_page_facets(title_facets(unglossed(doc.title)), text[:FIRST_PAGE_CHARS])
    names = names_in(text, found.department)
    found = replace(found, department=found.department or (names[0] if names else ""), names=names)
    # a 绩效自评表's 项目名称 says what the report is about, as a title's subject does
    projects = tuple(dict.fromkeys(m.group(1).strip() for m in PROJECT_NAME.finditer(text[:BODY_CHARS])))
    found = replace(found, projects=projects, site=site_labels(doc.text))
    year = next((y for p in projects if (y := project_year(p))), None)
    if year and not YEAR_RE.search(doc.title):
        # "项目名称 | 2019年新型农业经营主体扶持项目" on a page published in 2022: the report is 2019's
        found = replace(found, year=year)
    given = dict(doc.overrides)
    if not given:
        return found
    return replace(
        found,
        year=given.get("year", found.year),
        department=given.get("department", found.department),
        report_type=given.get("report_type", found.report_type),
        subject=f"{found.subject} {given['department']}".strip() if "department" in given else found.subject,
        names=(given["department"], *found.names) if "department" in given else found.names,
    )


# "发布机构：梧州市农业农村局", "来源：泸州市中医医院": lines of a web page that say who published it
META_LINE = re.compile(
    r"(?:^|[\[【|]|[ \t　]{2})[ \t　]*"
    r"(?:发布机构|发布单位|发文机关|来源|信息来源|公开主体|单位名称|部门名称|填报单位|预算单位"
    r"|主管部门|实施单位|项目单位|部门|单位)[ \t　]*(?:[\]】][ \t　]*[:：]?|[:：])[ \t　]*([^\n\[【|]{2,40})",
    re.M,
)
# "许镇镇2020年“三公”经费决算数…": a line opening with a town's name and the year
TOWN_LINE = re.compile(r"^[ \t　]*([\u4e00-\u9fff]{1,5}?(?:镇|乡|街道))(?=(?:19|20)\d\d\s*年)", re.M)
PLACE_NAME = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,3}?(?:自治州|自治县|省|市|县|区|旗)")
GENERIC_PLACES = {
    "全区",
    "全县",
    "全市",
    "全省",
    "本区",
    "本县",
    "本市",
    "各区",
    "各县",
    "城区",
    "辖区",
    "社区",
    "园区",
    "景区",
}
BODY_CHARS = 30_000  # self-references are looked for this far into a report (bounded work per document)
# "项目名称 | 义务教育营养改善计划专项资金 |", "项目名称初中公用经费主管部门…" (cells glued)
PROJECT_NAME = re.compile(
    r"项目名称\s*[|｜:：]?\s*([^|｜\n\s]{2,40}?)\s*(?=[|｜\n]|主管部门|项目负责人|实施单位|预算单位|项目单位)"
)
MAX_NAMES = 8


def generic(place: str) -> bool:
    """全区, 本县, 年度全区: words for "the whole area", not a place's name."""
    return len(place) < 2 or any(place.endswith(g) for g in GENERIC_PLACES)


def names_in(text: str, department: str) -> tuple[str, ...]:
    """The organisations a report names itself by, most certain first: the department from the
    title, metadata lines, names in the first lines; failing all those, names the body repeats
    (other organisations a body mentions — 县财政局, 省人民政府 — would scope questions wrongly)."""
    found: list[str] = [department] if department else []
    for match in META_LINE.finditer(text[:BODY_CHARS]):
        value = LEAD_WORDS.sub("", match.group(1).strip())
        org = ORG_NAME.search(value)
        head = value.split()[0] if value.split() else ""
        # "来源: 中新天津生态城": a publisher's name without an organisation ending, not a site (人民网)
        published = match.group(0).lstrip("[【| \t　\n").startswith(("来源", "发布"))
        named = ORG_END.search(head) or (published and PUBLISHER.fullmatch(head))
        found.append(org.group(0) if org else head if named else "")
    found += [LEAD_WORDS.sub("", m.group(0)) for m in ORG_NAME.finditer(text[:FIRST_PAGE_CHARS])]
    found += [m.group(1) for m in TOWN_LINE.finditer(text[:FIRST_PAGE_CHARS])]
    found = [name for name in found if name]  # "单位:万元" is a table's unit line, not a name
    if not found:  # no title, metadata or first-page name: the organisation the body repeats
        body = Counter(LEAD_WORDS.sub("", m.group(0)) for m in ORG_NAME.finditer(text[:BODY_CHARS]))
        found += [name for name, n in body.most_common() if n >= 2]
    if not found:  # a place-wide report ("2020年度全区…"): the place the body repeats (渝中区)
        places = Counter(LEAD_WORDS.sub("", m.group(0)) for m in PLACE_NAME.finditer(text[:BODY_CHARS]))
        found += [p for p, n in places.most_common() if n >= 2 and not generic(p)][:1]
    found = [n for n in found if may_name(n)]
    names = [n for n in dict.fromkeys(found) if len(n) >= 3 and not any(n != m and n in m for m in found[:1])]
    # each name followed by the short names it goes by (民建北京市委员会, 彭水县)
    return tuple(dict.fromkeys(s for n in names[:MAX_NAMES] for s in (n, *short_names(n))))


FIRST_PAGE_CHARS = 600
# "云岭县卫生健康局", "青峰市白沙区农业农村局": a place (省/市/县/区) then an organisation
ORG_NAME = re.compile(
    r"[\u4e00-\u9fff]{1,8}?(?:[省市县区州旗]|(?<![乡镇])[镇乡](?![乡镇]))[\u4e00-\u9fff]{1,12}?"  # 河西务镇…; not 乡镇…
    r"(?:局|委员会|办公室|中心|医院|院|馆|管理处|处|(?<!网)站|所|中学|小学|学校|幼儿园|党校|委|厅|政府|管委会)"
)

LEAD_WORDS = re.compile(
    r"^(?:现将|现就|根据|关于|按照|对|将|我|本|由|日在|并请|共涉及|积极落实|受(?=[省市县区州])|欢迎(?:来到|访问)|第[一二三四五六七八九十]+部分|年度|年|度|经|在|即|纳入"
    r"|分别为|是|隶属于?|完成|负责|落实|時稱|时称|更名为|改称为|主管部门|实施单位|项目单位|下设|贯彻落实|和|及|与|为|的|目绩效自评表)+"
)


def first_page_facets(found: Facets, first_page: str) -> Facets:
    """What the title does not say, from the first page: "关于2020年度“三公”经费支出情况的说明"
    names no department, its first lines usually do."""
    if not found.department:
        named = (LEAD_WORDS.sub("", m.group(0)) for m in ORG_NAME.finditer(first_page))
        name = next((n for n in named if may_name(n)), "")
        if name:
            found = replace(found, department=name, subject=f"{found.subject} {name}".strip())
    if not found.report_type:
        kind = max((t for t in REPORT_TYPES if t in first_page), key=len, default="")
        found = replace(found, report_type=kind)
    if not found.year:
        # "——2022年10月10日在市八届人大常委会…" dates the speech; the report is the 2021 决算 it then names
        year = NOT_A_DATE.search(first_page) or YEAR_RE.search(first_page)
        if year:
            found = replace(found, year=year.group(1))
    return found


PUBLISHER = re.compile(r"[\u4e00-\u9fff]{3,16}(?<![网报社站])")
# a clause the name pattern ran through ("…是由县级以上人民政府"), or a date ("18年度…"): not a name
NOT_A_NAME = re.compile(r"是由|以上|关于|按照|根据|是指|原因|职能|划归|作为|\d")
AUDIENCE = re.compile(r"人大|人民代表|政协")  # a 决算草案报告 is made to them: never the reporting unit
def may_name(found: str) -> bool:
    """A name pattern's match may be a report's name: not the 人大常委会 it is made to, not a clause or a date."""
    return not AUDIENCE.search(found) and not NOT_A_NAME.search(found)


CLAUSE_MARK = re.compile(r"[,，、;；:：。《》]")  # a name holds none of these


def title_facets(title: str) -> Facets:
    # a title that is only a dated line ("——2021年8月26日在…会议上") leaves the year to the first page
    year_match = NOT_A_DATE.search(title) or (None if FULL_DATE.search(title) else YEAR_RE.search(title))
    year = year_match.group(1) if year_match else None
    report_type = max((t for t in REPORT_TYPES if t in title), key=len, default="")
    rest = YEAR_RE.sub(" ", title).replace(report_type, " ") if report_type else YEAR_RE.sub(" ", title)
    rest = TOPIC.sub(" ", rest)  # "XX局2023年度“三公”经费及部门预算执行情况说明": the topic is not the department
    parts = [JOINERS.sub("", p.strip(" 　（）()")) for p in re.split(r"\s+", rest)]
    named = [p for p in parts if len(p) >= 2]
    organisations = [p for p in named if ORG_END.search(p)]
    placed = [p for p in named if PLACE.search(p) and not generic(p)]
    department = max(organisations or placed, key=len, default="")
    if department in organisations and not PLACE.search(department):
        # "岳阳县2015年度移民局…": the place stands before the year, the organisation after it
        before = parts[: parts.index(department)]
        if before and PLACE_NAME.fullmatch(before[-1]) and not generic(before[-1]):
            department = before[-1] + department
    department = re.sub(r"[（(][^）)]*$", "", department)  # "重庆市垫江县统计局(本级" cut off by the title's split
    if CLAUSE_MARK.search(department):  # a first line for a title: "按照…要求,现将焦石镇2020年度…"
        department = LEAD_WORDS.sub("", CLAUSE_MARK.split(department)[-1])
    if len(department) > 16 and (org := ORG_NAME.search(department)):  # a title run together: its name only
        department = LEAD_WORDS.sub("", org.group(0))
    if AUDIENCE.search(department):
        department = ""  # "…日在市七届人大常委会…": who the report is made to, not who makes it
    return Facets(year, department, report_type, " ".join(p for p in parts if p))


def department_spans(question: str, department: str, min_chars: int = 3, disjoint: bool = False) -> list[str]:
    """The pieces of the department's name (3+ characters, longest first) that the question holds.

    disjoint: each character of the name is used once, so 桐湾县退役军人局退役军人事务管理 gives
    桐湾县退役军人 and keeps the item 退役军人事务管理 whole."""
    found: list[str] = []
    rest = question
    used: set[int] = set()
    for size in range(len(department), min_chars - 1, -1):
        for i in range(len(department) - size + 1):
            piece = department[i : i + size]
            if piece in rest and not (disjoint and used & set(range(i, i + size))):
                found.append(piece)
                rest = rest.replace(piece, " ", 1 if disjoint else -1)
                used.update(range(i, i + size))
    return found


def project_year(project: str) -> str | None:
    """The year a project's name opens with ("2019年新型农业经营主体扶持项目" → 2019)."""
    year = YEAR_RE.match(project)
    return year.group(1) if year else None


def blank_names(question: str, names: Sequence[str]) -> str:
    """The question with the pieces of each name it holds (department_spans) blanked out."""
    for name in names:
        for piece in department_spans(question, name, disjoint=True):
            question = question.replace(piece, " ", 1)
    return question


def without_scope(question: str, departments: list[str]) -> str:
    """The question less its year and department words: what is left says what is asked."""
    question = blank_names(question, departments)
    return re.sub(r"\s+", " ", YEAR_WORD.sub(" ", question)).strip() or question


def stage_of(title: str) -> str:
    """The stage a report's figures have unless they say another: 决算 for a 部门决算 title, 预算 for
    a 部门预算 one ("2019年部门预算“三公”经费公开说明"), else ""."""
    if "决算" in title:
        return "决算"
    if re.search(r"使用|执行|完成|支出情况", title):
        return ""  # "预算安排和使用情况" speaks of both
    # "…2024年一般公共预算“三公”经费预算", "…经费预算情况说明": the title names the stage last
    return "预算" if BUDGET_TITLE.search(title) else ""


BUDGET_TITLE = re.compile(r"部门预算|预算公开|年度预算|经费预算|预算(?:安排)?(?:情况)?(?:说明|表)?$")
