"""Computed answers and identity checks, in Decimal, from cited facts only.

Picking "the" figure of an item in one report is shared by both: the fact whose label
names the item most specifically, with the qualifiers asked for (none = the plain actual
figure of the report's year), earliest in the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from qa.domain.lexicon import IDENTITIES, ITEM_BY_NAME, Item, label_matches, outranked, unit_kind
from qa.domain.numbers import MONEY_SCALE, fold
from qa.records import Fact

MARKED = (
    "预算",
    "调整后预算",
    "上年",
    "比上年",
    "比预算",
    "增长",
    "下降",
    "增减",
    "预计",
    "目标",
    "执行率",
    "占比",
    "阈值",
)


@dataclass(frozen=True)
class Derived:
    """A computed figure: its printed form, value, unit, formula and the facts it used."""

    answer: str
    value: Decimal
    unit: str
    formula: str
    inputs: tuple[Fact, ...]


# An asked qualifier the fact lacks is neutral when the fact is not marked as its opposite:
# a plain figure in a 自评报告 is the actual one, so "实际花了多少" may take it.
OPPOSITES = {"决算": ("预算", "调整后预算", "预计", "目标"), "完成": ("预计", "目标", "预算")}


def qualifier_fit(wanted: Sequence[str], have: Sequence[str]) -> float:
    """+1 per asked qualifier the fact has, -1.5 per one it lacks, -0.8 per marked one not asked."""
    return _fit(wanted, have)[0]


def _fit(wanted: Sequence[str], have: Sequence[str]) -> tuple[float, int]:
    """(score, number of asked qualifiers the fact lacks) — see qualifier_fit."""
    have_set = set(have) | ({"决算"} if "实际" in have else set())
    score, lacking = 0.0, 0
    for q in wanted:
        if q in have_set or (q == "完成" and "实际" in have_set):
            score += 1.0
        elif q in OPPOSITES and not any(o in have_set for o in OPPOSITES[q]):
            continue
        else:
            score, lacking = score - 1.5, lacking + 1
    return score - 0.8 * sum(1 for q in have if q in MARKED and q not in wanted), lacking


def pick(facts: Sequence[Fact], item: Item, wanted: Sequence[str] = ()) -> Fact | None:
    """The fact that best stands for item among one report's facts: it must carry every asked
    qualifier; among those, the fewest unasked marks, the most specific label, the earliest."""
    best: tuple[float, int, Fact] | None = None
    for fact in facts:
        label = fold(fact.label)
        hit = label_matches(item, label)
        if not hit or unit_kind(fact.unit) != item.kind:
            continue
        if outranked(item, label, hit):
            continue  # the label names a more specific item (运行维护费 is not 购置及运行费)
        fit, lacking = _fit(wanted, fact.qualifiers)
        if lacking:
            continue
        score = fit + 0.1 * min(hit, 6)
        if best is None or score > best[0] or (score == best[0] and fact.start < best[1]):
            best = (score, fact.start, fact)
    return best[2] if best else None


def _decimals(fact: Fact) -> int:
    exponent = fact.value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def in_unit(fact: Fact, unit: str) -> Decimal:
    """The fact's value expressed in another money unit (exact)."""
    if fact.unit == unit:
        return fact.value
    return fact.norm_value / MONEY_SCALE[unit]


def common_unit(facts: Sequence[Fact]) -> str | None:
    """The unit to compute in: the inputs' own unit when they agree (0元 aside), money units merged."""
    units = [f.unit for f in facts if not (f.value == 0 and f.unit in MONEY_SCALE)]
    if not units:
        return facts[0].unit if facts else None
    if len(set(units)) == 1:
        return units[0]
    if all(u in MONEY_SCALE for u in units):
        # the most used unit; on a tie the larger (0.99万元 − 9,200.00元 = 0.07万元), whatever the set order
        return max(dict.fromkeys(units), key=lambda u: (units.count(u), MONEY_SCALE[u]))
    return None


def signed_sum(terms: Sequence[tuple[int, Fact]]) -> tuple[Decimal, str] | None:
    """Σ sign × value in the inputs' common unit, rounded to the inputs' own precision (exact Decimal)."""
    facts = [f for _, f in terms]
    unit = common_unit(facts)
    if unit is None:
        return None
    places = max(_decimals(f) for f in facts)
    value = sum((sign * (in_unit(f, unit) if unit in MONEY_SCALE else f.value) for sign, f in terms), Decimal(0))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), unit


def total_of(name: str, facts: Sequence[Fact], wanted: Sequence[str] = ()) -> Derived | None:
    """Sum an identity's parts when the report prints every part (三公经费 = 出国 + 车 + 接待)."""
    parts = dict(IDENTITIES).get(name)
    return sum_of([ITEM_BY_NAME[p] for p in parts], facts, wanted, title=name) if parts else None


SHARE_STAGES = ("预算", "调整后预算", "决算", "实际")


def share_of(part: Item, whole: Item, facts: Sequence[Fact], wanted: Sequence[str] = ()) -> Derived | None:
    """part / whole × 100, two decimals: 项目支出占总支出的比例.  Both at one stage: a 预算 part is
    never divided by a 决算 whole."""
    a = pick(facts, part, wanted)
    stage = tuple(q for q in (a.qualifiers if a is not None else ()) if q in SHARE_STAGES and q not in wanted)
    b = pick(facts, whole, (*wanted, *stage))
    if a is None or b is None or b.norm_value == 0 or a.norm_unit != b.norm_unit:
        return None
    value = (a.norm_value / b.norm_value * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    answer = f"{value}%"
    formula = f"{part.name}占{whole.name}比例 = {a.display} ÷ {b.display} × 100% = {answer}"
    return Derived(answer, value, "%", formula, (a, b))


def of_year(facts: Sequence[Fact], year: str | None) -> list[Fact]:
    return [f for f in facts if f.year == year]


def change_of(item: Item, facts: Sequence[Fact], year: str, percent: bool, falling: bool = False) -> Derived | None:
    """This year against last year (growth rate, or the difference; the decrease when falling)
    when the report prints both years' figures."""
    now = pick(of_year(facts, year), item, ())
    before = pick(of_year(facts, str(int(year) - 1)), item, ())
    if before is None:
        before = pick(of_year(facts, str(int(year) - 1)), item, ("上年",))
    if now is None or before is None or now is before:
        return None
    if percent:
        if before.norm_value == 0:
            return None
        value = ((now.norm_value - before.norm_value) / before.norm_value * 100).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        answer = f"{value}%"
        formula = f"{item.name}比上年增长 = ({now.display} − {before.display}) ÷ {before.display} × 100% = {answer}"
        return Derived(answer, value, "%", formula, (now, before))
    if falling:
        return difference(f"{item.name}比上年减少", before, now)
    return difference(f"{item.name}比上年增减", now, before)


def last_year_of(item: Item, facts: Sequence[Fact], year: str) -> Derived | None:
    """Last year's figure from this year's and the change the report prints (9.36万元，比上年减少3.05万元)."""
    now = pick(of_year(facts, year), item, ())
    change = pick(of_year(facts, year), item, ("比上年",))
    if (
        now is None
        or change is None
        or unit_kind(change.unit) != item.kind
        or not {"增长", "下降"} & set(change.qualifiers)
    ):
        return None
    rising = "增长" in change.qualifiers
    return combine(f"{item.name}上年", [(1, now, ""), (-1 if rising else 1, abs_fact(change), "")])


def abs_fact(fact: Fact) -> Fact:
    """The fact with a positive value ("减少-3.2万元" counts as a decrease of 3.2万元)."""
    if fact.value >= 0:
        return fact
    return replace(fact, value=-fact.value, norm_value=-fact.norm_value)


def remaining_of(item: Item, facts: Sequence[Fact], budget: str = "预算") -> Derived | None:
    """Budget minus actual (预算还剩多少没花, 结余) when the report prints both."""
    planned, spent = pick(facts, item, (budget,)), pick(facts, item, ("决算",))
    if planned is None or spent is None or planned is spent or budget not in planned.qualifiers:
        return None
    return difference(f"{item.name}{budget}未执行", planned, spent)


def difference(name: str, minuend: Fact, subtrahend: Fact) -> Derived | None:
    """minuend − subtrahend in their common unit, with the formula."""
    return combine(name, [(1, minuend, ""), (-1, subtrahend, "")])


def combine(name: str, terms: Sequence[tuple[int, Fact, str]]) -> Derived | None:
    """Σ sign × fact as a Derived whose formula reads "name = [label] a + [label] b − c = answer"."""
    result = signed_sum([(sign, fact) for sign, fact, _ in terms])
    if result is None:
        return None
    value, unit = result
    answer = f"{value}{unit}"
    expression = ""
    for i, (sign, fact, label) in enumerate(terms):
        operator = ("− " if sign < 0 else "") if i == 0 else (" − " if sign < 0 else " + ")
        expression += operator + (f"{label} {fact.display}" if label else fact.display)
    return Derived(answer, value, unit, f"{name} = {expression} = {answer}", tuple(f for _, f, _ in terms))


def sum_of(
    items: Sequence[Item], facts: Sequence[Fact], wanted: Sequence[str] = (), title: str | None = None
) -> Derived | None:
    """The total of items (人员经费加日常公用经费合计), when the report prints every one of them."""
    chosen = [pick(facts, item, wanted) for item in items]
    if any(f is None for f in chosen):
        return None
    terms = [(1, f, item.name) for item, f in zip(items, chosen, strict=True) if f is not None]
    return combine(title or "+".join(item.name for item in items), terms)
