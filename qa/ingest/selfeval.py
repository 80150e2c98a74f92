"""项目支出绩效自评表: the national self-evaluation table read by its template, not by guessing.

Every 项目支出绩效自评表 has the same two blocks.  资金: rows 年度资金总额 / 其中财政拨款 / 上年结转 /
其他资金 under 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分.  绩效指标: one row per 三级指标
with its 年度指标值, 全年实际值 (实际完成值), 分值 and 得分 — 分值 before the target in the older
template, after the actual value in the newer one (which also splits the target into 指标性质 "≧",
指标值 and 度量单位 cells).

Web pages copied to text print the table two ways, and the generic table reader misreads both:
- cells split by pipes, tabs or lines, rows broken where a cell spans rows ("| 质量指标 | 营养改善
  计划覆盖率 | ≧ | 100 | % | 100% | 10 | 10 |"): the first cell is not the row's label;
- every cell glued to the next ("项目(工程)验收合格率20100%100%20": 分值 20, 年度指标值 100%,
  全年实际值 100%, 得分 20), which reads as one number 20100%.
Here an indicator row is found by its figures (a comparator, a figure with its unit; glued, a
target printed twice because it was met, which is where the cells split unambiguously), its
label is the 三级指标 name before them, and the template names each value's column.  A glued row
whose target and actual differ cannot be split safely and gives no facts: precision first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from qa.domain.numbers import _UNIT_ALT, UNITS, fold, normalise, parse_figure, parse_number
from qa.ingest.facets import PROJECT_NAME, project_year
from qa.records import Document, Fact

CMP = "≥≤><≧≦＞＜=＝═"
TEMPLATE = re.compile(r"三级指标")
FUND_LABEL = re.compile(
    r"(年度(?:财政)?资金总额|资金总额|其中\s*[:：]?\s*(?:本年|当年)?\s*财政\s*拨款|(?:本年|当年)\s*财政\s*拨款|上年结转\s*资?\s*金?|其他资金)"
)
FUND_UNIT = re.compile(r"(?:资金|预算执行情况)\s*(?:情况)?\s*[（(]\s*(万元|元)\s*[）)]")
# 一级/二级 indicator names and "指标1:" stand before a 三级指标's name when cells are glued.
LEVEL_NAMES = re.compile(
    r"^(?:(?:项目)?(?:产出|效益|满意度|成本|数量|质量|时效|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|决策|管理|过程)"
    r"(?:指标)?\s*(?:[（(]\s*\d+\s*分\s*[）)])?|指标\s*\d+\s*[:：]|[:：、\s|…]+)"
)
# The last "…指标(70分)" before a name ends the header and the 一级/二级 cells.
LEVEL_CUT = re.compile(r"指标\s*(?:[（(]\s*\d+\s*分\s*[）)])?\s*[:：]?(?![值率])")
NUMBER = r"\d+(?:\.\d+)?"
# A figure with its unit printed twice (target met): "≥266米≥266米", "100%100%", "20万元20万元";
# digits glued before it are the 分值 (older template), digits glued after it the 得分.
GLUED_MET = re.compile(
    rf"(?<![\d.])(?P<weight>\d{{1,2}}(?:\.\d+)?)?(?P<figure>[{CMP}]?\s*{NUMBER}\s*(?:{_UNIT_ALT}))(?P=figure)"
    rf"(?P<tail>\d{{1,6}}(?:\.\d+)?)?"
)
GLUED_TOTAL = re.compile(r"总分\s*(?P<digits>\d{2,6})")
MAX_NAME = 30
ORDER_NEW = ("年度指标值", "实际完成值", "分值", "得分")
INDICATOR_COLUMNS = (
    ("分值", re.compile(r"分值|权重")),
    ("年度指标值", re.compile(r"(?:年度|年初)?(?:指标值|目标值)")),
    ("实际完成值", re.compile(r"全年实际值|实际完成值|实际值|完成值")),
    ("得分", re.compile(r"得分")),
)
FUND_COLUMNS = (
    ("年初预算数", re.compile(r"年初预算数")),
    ("全年预算数", re.compile(r"全年预算数|调整(?:后)?预算数|(?<![初年])预算数")),
    ("全年执行数", re.compile(r"执行数")),
    ("分值", re.compile(r"分值")),
    ("执行率", re.compile(r"执行率")),
    ("得分", re.compile(r"得分")),
)
FUNDS_DEFAULT = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
AMOUNTS = ("年初预算数", "全年预算数", "全年执行数")
COUNTED = re.compile(r"数量|个数|人数|户数|次数|村数|件数|(?:数|量)$")
NAME_UNIT = re.compile(r"[（(]\s*(万元|元|个|人|人次|户|%|亩|米|公里|吨|家|所|次)\s*[)）]$")


@dataclass(frozen=True, slots=True)
class Token:
    """A cell of the table, or a piece of a glued row: its text and where it stands."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Value:
    """One figure of a row: the printed span, its value and unit, the template column it stands in."""

    token: Token
    value: Decimal
    unit: str
    column: str
    unit_printed: bool = True


def _span(text: str, start: int, length: int) -> Token:
    return Token(start, start + length, text[start : start + length])


def _points(text: str, start: int, digits: str, column: str) -> Value:
    """A 分值 or 得分 printed as bare digits at start."""
    return Value(_span(text, start, len(digits)), Decimal(digits), "分", column, False)


@dataclass(frozen=True, slots=True)
class Table:
    """One 绩效自评表: its span and the column order its headers print."""

    start: int
    end: int
    order: tuple[str, ...]  # indicator columns after the 三级指标 name
    funds: tuple[str, ...]  # 资金 columns after a fund row's label

    @property
    def weight_first(self) -> bool:
        """分值 printed before the target (the older template)."""
        return "分值" in self.order and self.order.index("分值") < self.order.index("年度指标值")


def columns_in(header: str, names: Sequence[tuple[str, re.Pattern[str]]]) -> list[str]:
    """The template columns a header names, in its order."""
    found = sorted((m.start(), name) for name, pattern in names for m in pattern.finditer(header))
    out: list[str] = []
    taken = -1
    for at, name in found:
        if at >= taken and name not in out:
            out.append(name)
            taken = at + 1
    return out


def indicator_order(text: str, at: int) -> tuple[str, ...]:
    """The indicator columns: those printed after 三级指标 (up to the first figure); in a two-level
    header ("年度指标值 | 实际完成值 | 分值 | 得分 | … 三级指标 | 指标性质 | 指标值 | 度量单位") the top
    level, printed before 三级指标, gives the columns after the target."""
    after = re.split(r"\d", text[at + 4 : at + 120], maxsplit=1)[0]
    order = columns_in(after, INDICATOR_COLUMNS)
    if "年度指标值" not in order:
        order.insert(0, "年度指标值")
    if "实际完成值" not in order:
        top = columns_in(text[max(0, at - 200) : at], INDICATOR_COLUMNS)
        if "年度指标值" in top:
            order += [c for c in top[top.index("年度指标值") + 1 :] if c not in order]
    return tuple(order if "实际完成值" in order else ORDER_NEW)


def tables(text: str) -> list[Table]:
    """Each 绩效自评表 in the (folded) text, from just before its 资金 block to its 总分 row."""
    found: list[Table] = []
    marks = [m.start() for m in TEMPLATE.finditer(text)]
    for i, at in enumerate(marks):
        if i and at - marks[i - 1] < 200:
            continue  # the header's second level
        nxt = next((m for m in marks[i + 1 :] if m - at >= 200), len(text))
        total = text.find("总分", at, nxt)
        end = min(len(text), total + 40) if total >= 0 else nxt
        floor = max(found[-1].end if found else 0, at - 1500)
        fund = text.find("资金", floor, at)
        start = max(floor, fund - 200) if fund >= 0 else at
        first_fund = FUND_LABEL.search(text, start, at)
        funds = columns_in(text[start : first_fund.start() if first_fund else at], FUND_COLUMNS)
        found.append(Table(start, end, indicator_order(text, at), tuple(funds or FUNDS_DEFAULT)))
    return found


def cell_tokens(text: str, start: int, end: int) -> list[Token]:
    """The non-empty cells between start and end, split at pipes, tabs and line breaks."""
    out = []
    for m in re.finditer(r"[^|｜\t\n]+", text[start:end]):
        raw = m.group(0)
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            s = start + m.start() + lead
            out.append(Token(s, s + len(stripped), stripped))
    return out


def is_celled(text: str, start: int, end: int) -> bool:
    """The table's cells are separated (pipes, tabs or lines), not glued."""
    piece = text[start:end]
    return piece.count("|") + piece.count("｜") + piece.count("\t") + piece.count("\n") >= 12


def _figure(token: Token) -> tuple[Decimal, str, Token] | None:
    """A cell holding one number, bare or with its unit ("735", "100%", "≥90%", "20万元")."""
    folded = fold(token.text)
    lead = len(folded) - len(folded.lstrip(CMP + " "))
    if re.fullmatch(NUMBER, folded[lead:]):  # "≥200": the comparator stays with the printed figure
        return parse_number(folded[lead:]), "", token
    try:
        value, unit = parse_figure(folded)
    except ValueError:
        return None
    return value, unit, token


def _is_unit(token: Token) -> bool:
    return fold(token.text).strip() in UNITS


def _is_comparator(token: Token) -> bool:
    return bool(token.text) and all(ch in CMP + " " for ch in fold(token.text))


def _name(token: Token) -> str:
    """A name cell without spaces and without its "指标1:" numbering."""
    return re.sub(r"^指标\d+[:：]", "", re.sub(r"\s+", "", token.text))


def celled_rows(tokens: Sequence[Token], order: Sequence[str]) -> Iterator[tuple[Token, list[Value]]]:
    """Indicator rows of a table whose cells are separated: a name cell, then the values in the
    header's order; a comparator cell may stand before the target and a unit cell after it, or
    the name carries the unit ("带动贫困户(人)")."""
    i = 0
    while i < len(tokens):
        name = tokens[i]
        j = i + 1
        if _figure(name) is not None or _is_comparator(name) or _is_unit(name) or len(name.text) > MAX_NAME:
            i += 1
            continue
        values: list[Value] = []
        named_unit = NAME_UNIT.search(fold(_name(name)))
        unit = named_unit.group(1) if named_unit else ""
        for column in order:
            if j < len(tokens) and _is_comparator(tokens[j]) and column == "年度指标值":
                j += 1
            parsed = _figure(tokens[j]) if j < len(tokens) else None
            if parsed is None:
                break
            value, printed, token = parsed
            j += 1
            if column == "年度指标值" and not printed and j < len(tokens) and _is_unit(tokens[j]):
                unit = fold(tokens[j].text).strip()
                j += 1
            elif column == "年度指标值" and printed:
                unit = printed
            if column in ("分值", "得分"):
                if printed not in ("", "分") or value > 100:
                    break
                values.append(Value(token, value, "分", column, unit_printed=printed == "分"))
            else:
                values.append(Value(token, value, printed or unit, column, unit_printed=bool(printed)))
        columns = [v.column for v in values]
        counted = COUNTED.search(_name(name)) is not None  # "建设美丽宜居自然村庄数量 | ≥200 | 202": a count
        if "年度指标值" in columns and "实际完成值" in columns and all(v.unit or counted for v in values):
            yield name, values
            i = j
        else:
            i += 1


def total_row(tokens: Sequence[Token], order: Sequence[str]) -> Iterator[tuple[Token, list[Value]]]:
    """ "总分 | 100 | 96": the points the table can earn and those it earned ("总分 | 71.7" when the
    table has no 分值 column)."""
    columns = ["分值", "得分"] if "分值" in order else ["得分"]
    for i, token in enumerate(tokens[: -len(columns)]):
        if _name(token) == "总分":
            nums = [_figure(t) for t in tokens[i + 1 : i + 1 + len(columns)]]
            if all(n is not None and not n[1] and n[0] <= 100 for n in nums):
                yield token, [Value(n[2], n[0], "分", c, False) for n, c in zip(nums, columns, strict=True) if n]


def fund_rows(tokens: Sequence[Token], unit: str | None, columns: Sequence[str]) -> Iterator[tuple[Token, list[Value]]]:
    """资金 rows: the label cell, then its values right-aligned under the header's columns (a
    blank 年初预算数 is dropped from the row); a row of amounts only (其中:财政拨款) under the
    amount columns."""
    if unit is None:
        return
    amounts = [c for c in columns if c in AMOUNTS]
    for i, token in enumerate(tokens):
        if not FUND_LABEL.fullmatch(_name(token)):
            continue
        run = []
        for t in tokens[i + 1 : i + 1 + len(columns)]:
            parsed = _figure(t)
            if parsed is None:
                break
            run.append(parsed)
        rate_at = next((k for k, (_, printed, _) in enumerate(run) if printed == "%"), None)
        if rate_at is not None and "执行率" in columns:  # the rate stands under 执行率: the rest around it
            first = list(columns).index("执行率") - rate_at
            under = list(columns)[first : first + len(run)] if first >= 0 else []
        else:
            under = amounts if len(run) <= len(amounts) else list(columns)
            under = under[-len(run) :] if run else []
        if not run or len(run) != len(under):
            continue
        values = []
        for (value, printed, t), column in zip(run, under, strict=True):
            if column in AMOUNTS:
                good, v = not printed, Value(t, value, unit, column, False)
            elif column == "执行率":  # a bare 0.1 (a ratio) is not 0.1%: no fact, the row goes on
                if printed != "%":
                    continue
                good, v = True, Value(t, value, printed, column, True)
            else:
                good, v = not printed and value <= 100, Value(t, value, "分", column, False)
            if not good:
                break
            values.append(v)
        else:
            yield token, values


def _plain_number(digits: str) -> bool:
    return bool(re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?", digits))


def split_points(digits: str) -> tuple[str, str] | None:
    """ "1010" → ("10", "10"): a 分值 and the 得分 glued; None unless exactly one split gives
    two plain numbers, each at most 100, the 得分 not above the 分值."""
    found = []
    for k in range(1, len(digits)):
        a, b = digits[:k], digits[k:]
        if _plain_number(a) and _plain_number(b) and "." not in a + b:
            if int(b) <= int(a) <= 100:
                found.append((a, b))
    return found[0] if len(found) == 1 else None


def repeated(digits: str, times: int) -> str | None:
    """The number printed `times` times at the start of digits ("202010" → "20" for 2)."""
    for k in range(1, len(digits) // times + 1):
        piece = digits[:k]
        if _plain_number(piece) and digits[: k * times] == piece * times:
            return piece
    return None


def glued_rows(text: str, folded: str, start: int, end: int, weight_first: bool) -> Iterator[tuple[Token, list[Value]]]:
    """Indicator rows of a glued table: each target printed twice (met), with the name before it."""
    floor = start
    matches = list(GLUED_MET.finditer(folded, start, end))
    # The header may be unreadable (OCR: "考值参分"): 分值 glued before most targets says the template.
    weight_first = weight_first or 2 * sum(m.group("weight") is not None for m in matches) > len(matches)
    for m in matches:
        name_end = m.start()
        name = LEVEL_CUT.split(folded[floor:name_end])[-1]
        floor = m.end()
        while (cut := LEVEL_NAMES.match(name)) and cut.end() > 0:
            name = name[cut.end() :]
        name = re.sub(r"^[\d.%]+", "", name).strip()
        if not name or len(name) > MAX_NAME or re.search(r"\d$", name):
            continue
        label = Token(name_end - len(name), name_end, text[name_end - len(name) : name_end])
        fig_start = m.start("figure")
        width = len(m.group("figure"))
        values = []
        value, unit = parse_figure(m.group("figure"))
        for column, s in (("年度指标值", fig_start), ("实际完成值", fig_start + width)):
            values.append(Value(_span(text, s, width), value, unit, column))
        weight, tail = m.group("weight"), m.group("tail")
        points: list[tuple[str, int, str]] = []
        if weight_first and weight:
            points.append(("分值", m.start("weight"), weight))
            if tail and _plain_number(tail) and Decimal(tail) <= Decimal(weight):
                points.append(("得分", m.start("tail"), tail))
        elif not weight_first and tail and (pair := split_points(tail)):
            points += [("分值", m.start("tail"), pair[0]), ("得分", m.start("tail") + len(pair[0]), pair[1])]
        values += [_points(text, s, digits, column) for column, s, digits in points]
        yield label, values


def glued_funds(text: str, folded: str, start: int, end: int, unit: str | None) -> Iterator[tuple[Token, list[Value]]]:
    """资金 rows glued: "年度资金总额:202010100.00%10" is 全年预算数 20, 全年执行数 20, 分值 10, 执行率
    100.00%, 得分 10 — split only where the budget was spent in full (the amount printed twice)."""
    if unit is None:
        return
    for m in FUND_LABEL.finditer(folded, start, end):
        after = re.match(r"\s*[:：]?\s*([\d.]+%?)(\d{0,3})", folded[m.end() : m.end() + 40])
        if not after:
            continue
        digits = after.group(1)
        base = m.end() + after.start(1)
        rate_part = digits.endswith("%")
        body = digits[:-1] if rate_part else digits
        amount = repeated(body, 2)
        if amount is None:
            continue
        values = []
        for k, column in enumerate(("全年预算数", "全年执行数")):
            s = base + k * len(amount)
            values.append(Value(_span(text, s, len(amount)), Decimal(amount), unit, column, False))
        rest, rest_at = body[2 * len(amount) :], base + 2 * len(amount)
        if rate_part:  # rest is 分值 then the rate: "10100.00" → 10, 100.00%
            for k in range(1, min(3, len(rest))):
                weight, rate = rest[:k], rest[k:]
                if _plain_number(weight) and _plain_number(rate) and Decimal(rate) <= 1000:
                    values.append(_points(text, rest_at, weight, "分值"))
                    values.append(Value(_span(text, rest_at + k, len(rate) + 1), Decimal(rate), "%", "执行率"))
                    got = after.group(2)
                    if got and Decimal(got) <= Decimal(weight):
                        values.append(_points(text, m.end() + after.start(2), got, "得分"))
                    break
        elif rest:
            continue  # amounts and something else glued: not split
        yield _span(text, m.start(), m.end() - m.start()), values


def glued_total(text: str, folded: str, start: int, end: int) -> Iterator[tuple[Token, list[Value]]]:
    """ "总分100100": 分值 100 and 得分 100 (only when the split is the only plain one)."""
    for m in GLUED_TOTAL.finditer(folded, start, end):
        digits = m.group("digits")
        pair = ("100", digits[3:]) if digits.startswith("100") and _plain_number(digits[3:] or "x") else None
        if pair is None or Decimal(pair[1]) > 100:
            continue
        s = m.start("digits")
        yield _span(text, m.start(), 2), [_points(text, s, "100", "分值"), _points(text, s + 3, pair[1], "得分")]


COLUMN_QUALIFIERS = {
    "年度指标值": ("目标",),
    "实际完成值": ("实际",),
    "年初预算数": ("预算",),
    "全年预算数": ("调整后预算",),
    "全年执行数": ("实际",),
    "执行率": ("执行率",),
}


def table_year(folded: str, start: int) -> str | None:
    """The year a 绩效自评表 reports on: its project's ("项目名称 | 2019年新型农业经营主体扶持项目"), else
    its heading's ("(2023年度)", "2022年度项目支出绩效自评表"); a page published in 2022 may
    evaluate a 2019 project."""
    before = folded[max(0, start - 600) : start + 400]
    project = next((y for m in PROJECT_NAME.finditer(before) if (y := project_year(m.group(1)))), None)
    heading = re.search(r"[（(]\s*((?:19|20)\d{2})\s*年度?\s*[）)]|((?:19|20)\d{2})\s*年度?[^|\n]{0,12}自评表", before)
    if project:
        return project
    return (heading.group(1) or heading.group(2)) if heading else None


def selfeval_facts(doc: Document, doc_year: str | None) -> list[Fact]:
    """The facts of every 绩效自评表 in the document (chunk_id -1, as facts.table_facts)."""
    text = doc.text
    if "三级指标" not in text:
        return []
    folded = fold(text)  # once per document (length-preserving: its offsets are the text's)
    facts = []
    for table in tables(folded):
        start, end = table.start, table.end
        year = table_year(folded, start) or doc_year
        declared = FUND_UNIT.search(folded, start, end)
        unit = declared.group(1) if declared else None
        if is_celled(text, start, end):
            tokens = cell_tokens(text, start, end)
            rows = [
                *fund_rows(tokens, unit, table.funds),
                *celled_rows(tokens, table.order),
                *total_row(tokens, table.order),
            ]
        else:
            rows = [
                *glued_funds(text, folded, start, end, unit),
                *glued_rows(text, folded, start, end, table.weight_first),
                *glued_total(text, folded, start, end),
            ]
        for label, values in rows:
            row_end = max(v.token.end for v in values)
            for v in values:
                norm_value, norm_unit = normalise(v.value, v.unit)
                facts.append(
                    Fact(
                        doc_id=doc.doc_id,
                        chunk_id=-1,
                        label=_name(label),
                        raw=v.token.text,
                        value=v.value,
                        unit=v.unit,
                        norm_value=norm_value,
                        norm_unit=norm_unit,
                        start=v.token.start,
                        end=v.token.end,
                        sentence_start=label.start,
                        sentence_end=row_end,
                        qualifiers=COLUMN_QUALIFIERS.get(v.column, ()),
                        year=year,
                        section="",
                        column=v.column,
                        unit_source="text" if v.unit_printed else "header",
                    )
                )
    return facts
