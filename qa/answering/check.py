"""Audit checks: the accounting identities (docs/interfaces.md) tested on each report's facts.

Each identity is reported as pass, fail (with the difference) or not enough data; a
mismatch is reported, never corrected.  Checked for the actual figures and, where the
report prints them, for the budget figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from qa.answering.derive import pick, signed_sum
from qa.domain.lexicon import IDENTITIES, ITEM_BY_NAME
from qa.domain.numbers import MONEY_SCALE
from qa.records import Fact

NEAR_CHUNKS = 2
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (("", ()), ("预算", ("预算",)))


@dataclass(frozen=True)
class Check:
    identity: str
    group: str
    status: str  # "pass" | "fail" | "not enough data"
    total: Fact | None
    parts: tuple[Fact | None, ...]
    part_names: tuple[str, ...]
    difference: Decimal | None = None
    unit: str = ""

    def line(self) -> str:
        group = f"（{self.group}）" if self.group else ""
        total = self.total.display if self.total else "?"
        parts = " + ".join(f"{n} {p.display if p else '?'}" for n, p in zip(self.part_names, self.parts, strict=True))
        return f"{self.identity}{group} {total} = {parts}  → {self.verdict()}"

    def verdict(self) -> str:
        """通过, 不符（相差 …）, or 数据不足（缺：…）: the result in the words of an audit working paper."""
        if self.status == "fail":
            return f"不符：相差 {self.difference}{self.unit}（报告数 − 分项合计）"
        if self.status == "pass":
            return "通过"
        return f"数据不足（缺：{'、'.join(self.missing())}）"

    def missing(self) -> list[str]:
        """The total or parts no figure of the report was found for."""
        names = [self.identity] if self.total is None else []
        return names + [n for n, p in zip(self.part_names, self.parts, strict=True) if p is None]


def parts_near(
    name: str, parts: Sequence[str], facts: Sequence[Fact], wanted: tuple[str, ...]
) -> tuple[Fact, tuple[Fact | None, ...]] | None:
    """A total and its parts printed together ("基本支出X万元，其中：人员经费…、日常公用经费…").

    A report may print one item for several scopes (all funds, 财政拨款 only); parts stated
    right after a total belong to that total.
    """
    groups = []
    for chunk_id in dict.fromkeys(f.chunk_id for f in facts):
        # the parts may run on in the next passages ("其中：\n人员经费…\n日常公用经费…")
        local = [f for f in facts if chunk_id <= f.chunk_id <= chunk_id + NEAR_CHUNKS]
        total = pick([f for f in local if f.chunk_id == chunk_id], ITEM_BY_NAME[name], wanted)
        found = tuple(
            pick([f for f in local if total and f.start > total.start], ITEM_BY_NAME[p], wanted) for p in parts
        )
        if total is not None and all(f is not None for f in found):
            groups.append((max(f.start for f in found if f) - total.start, total, found))
    if not groups:
        return None
    _, total, found = min(groups, key=lambda g: g[0])  # the tightest: parts right after their total
    return total, found


def check_identity(
    name: str, parts: Sequence[str], facts: Sequence[Fact], group: str, wanted: tuple[str, ...]
) -> Check:
    near = parts_near(name, parts, facts, wanted)
    total, found = near or (
        pick(facts, ITEM_BY_NAME[name], wanted),
        tuple(pick(facts, ITEM_BY_NAME[p], wanted) for p in parts),
    )
    if total is None or any(f is None for f in found):
        return Check(name, group, "not enough data", total, found, tuple(parts))
    result = signed_sum([(1, total), *((-1, f) for f in found if f is not None)])
    if result is None or result[1] not in MONEY_SCALE:
        return Check(name, group, "not enough data", total, found, tuple(parts))
    difference, unit = result
    status = "pass" if difference == 0 else "fail"
    return Check(name, group, status, total, found, tuple(parts), difference.normalize(), unit)


def check_facts(facts: Sequence[Fact]) -> list[Check]:
    """Every identity for one report's facts; budget-group checks only where some budget figure exists."""
    results = []
    for group, wanted in GROUPS:
        for name, parts in IDENTITIES:
            result = check_identity(name, parts, facts, group, wanted)
            if group and result.status == "not enough data" and result.total is None:
                continue
            results.append(result)
    return results
