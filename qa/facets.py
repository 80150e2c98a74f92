"""Document facets from the title: year, department (单位/部门) and report type.

Real titles run "2018年度冷水滩高科园部门整体支出绩效自评报告", "永州市零陵区教育局2019年度
部门决算说明", "关于2020年度“三公”经费支出情况的说明": the year is the first 19xx/20xx年,
the report type the longest known type name, the department what is left once the year,
the type and joining words are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .records import Document

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
YEAR_WORD = re.compile(r"(?:19|20)\d{2}\s*年度?")  # a year as a word to take out: "2019年度" less its 度 too
TOPIC = re.compile(r"[“\"]?三公[”\"]?经费(?:支出|决算)?(?:及|和|、)?|[“”\"]")
ORG_END = re.compile(r"(?:局|委员会|委|办公室|厅|院|中心|政府|管委会|园|馆|站|所|队|会|部|处|室|学校|公司)$")
JOINERS = re.compile(r"^(?:关于|年度|度)|(?:关于|的|年度|度|情况|报告|说明|公开)+$")


@dataclass(frozen=True)
class Facets:
    year: str | None
    department: str
    report_type: str
    subject: str = ""  # the title less year and report type: department and project ("岚溪县…局 送戏下乡")


OVERRIDABLE = ("department", "year", "report_type")


def facets_of(doc: Document) -> Facets:
    """Facets read from the title, with any the user set (Document.overrides) in their place."""
    found = first_page_facets(title_facets(doc.title), doc.text[:FIRST_PAGE_CHARS])
    given = dict(doc.overrides)
    if not given:
        return found
    return replace(
        found,
        year=given.get("year", found.year),
        department=given.get("department", found.department),
        report_type=given.get("report_type", found.report_type),
        subject=f"{found.subject} {given['department']}".strip() if "department" in given else found.subject,
    )


FIRST_PAGE_CHARS = 600
# "云岭县卫生健康局", "青峰市白沙区农业农村局": a place (省/市/县/区) then an organisation
ORG_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}?[省市县区][\u4e00-\u9fff]{1,12}?(?:局|委员会|办公室|中心|院|馆)")

LEAD_WORDS = re.compile(r"^(?:现将|现就|根据|关于|按照|对|将|我|本|由)+")


def first_page_facets(found: Facets, first_page: str) -> Facets:
    """What the title does not say, from the first page: "关于2020年度“三公”经费支出情况的说明"
    names no department, its first lines usually do."""
    if not found.department:
        match = ORG_NAME.search(first_page)
        if match:
            name = LEAD_WORDS.sub("", match.group(0))
            found = replace(found, department=name, subject=f"{found.subject} {name}".strip())
    if not found.year:
        year = YEAR_RE.search(first_page)
        if year:
            found = replace(found, year=year.group(1))
    return found


def title_facets(title: str) -> Facets:
    year_match = YEAR_RE.search(title)
    year = year_match.group(1) if year_match else None
    report_type = max((t for t in REPORT_TYPES if t in title), key=len, default="")
    rest = YEAR_RE.sub(" ", title).replace(report_type, " ") if report_type else YEAR_RE.sub(" ", title)
    rest = TOPIC.sub(" ", rest)  # "XX局2023年度“三公”经费及部门预算执行情况说明": the topic is not the department
    parts = [JOINERS.sub("", p.strip(" 　（）()")) for p in re.split(r"\s+", rest)]
    named = [p for p in parts if len(p) >= 2]
    organisations = [p for p in named if ORG_END.search(p)]
    department = max(organisations or named, key=len, default="")
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


def without_scope(question: str, departments: list[str]) -> str:
    """The question less its year and department words: what is left says what is asked."""
    for department in departments:
        for piece in department_spans(question, department, disjoint=True):
            question = question.replace(piece, " ", 1)
    return re.sub(r"\s+", " ", YEAR_WORD.sub(" ", question)).strip() or question
