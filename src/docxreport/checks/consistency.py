"""Figures that must agree with other figures of the same year.

Pure: each check takes plain data and yields located issues; nothing here
reads a file or raises.

- Parts that do not overlap (a catalog ``[[groups]]`` entry) cannot add up to
  more than their whole; a complete split must add up to it exactly.
- A published ratio (生师比 and the like) must follow from the published
  numerator and denominator of the same year, within its printed rounding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product

from docxreport.catalog import Catalog, PartGroup
from docxreport.checks.progress import table_name
from docxreport.issues import Issue, warning
from docxreport.model import PERIODS, PREV, Dataset, Location, SchoolData, Value
from docxreport.rollup import differs, plain_number, rounded


def _number(v: Value | None) -> float | None:
    if v is None or v.value is None or isinstance(v.value, str) or v.invalid:
        return None
    return v.value


def _here(loc: Location, other: Location) -> str:
    """A cell named briefly when it is in the same sheet as ``other``."""
    if (loc.file, loc.sheet) == (other.file, other.sheet):
        return loc.cell
    return str(loc)


def group_issues(values: dict[tuple[str, str], Value], cat: Catalog, year: int) -> Iterator[Issue]:
    """Check every declared group on one workbook's cells (a school's or the city's)."""
    for group in cat.groups:
        for period in PERIODS:
            issue = _group_issue(values, cat, group, period, year)
            if issue is not None:
                yield issue


def _group_issue(
    values: dict[tuple[str, str], Value], cat: Catalog, group: PartGroup, period: str, year: int
) -> Issue | None:
    whole = values.get((group.whole, period))
    if _number(whole) is None:
        return None
    parts = [(key, values.get((key, period))) for key in group.parts]
    known = [(key, v) for key, v in parts if _number(v) is not None]
    if not known:
        return None
    total = sum(_number(v) for _key, v in known)
    if group.kind == "complete":
        if len(known) < len(parts) or not differs(whole.value, total):
            return None
        verb = "不等于"
    elif total <= whole.value + 1e-9:
        return None
    else:
        verb = "大于"
    listed = "、".join(
        f"{cat.indicator(key).name} {plain_number(v.value)}（{_here(v.loc, whole.loc)}）"
        for key, v in known
    )
    tables = printed_in(cat, group.whole)
    when = f"{tables + ' ' if tables else ''}{year - 1 if period == PREV else year} 年："
    whole_ind = cat.indicator(group.whole)
    why = f"（{group.note}）" if group.note else ""
    return warning(
        whole.loc,
        f"{when}{listed}合计 {rounded(total, whole_ind.decimals)}，{verb}总数"
        f"“{whole_ind.name}” {plain_number(whole.value)}（{whole.loc}）；"
        f"{group.rule()}{why}",
        whole_ind.name,
    )


def check_groups(sd: SchoolData, cat: Catalog) -> Iterator[Issue]:
    """A school's parts against its whole, for both years."""
    yield from group_issues(sd.values, cat, sd.year or 0)


def check_city_groups(data: Dataset, cat: Catalog) -> Iterator[Issue]:
    """The figures the city workbook states (the published 上年 column and 市级填报)."""
    yield from group_issues(data.city.values, cat, data.year)


@dataclass(frozen=True)
class Reading:
    """One printed value of a figure and where it is printed."""

    value: float
    where: str  # 附表6，市级.xlsx › 市级指标!E4, or 表1-5，市级.xlsx › 发布核对!E14
    loc: Location


def printed_in(cat: Catalog, key: str) -> str:
    """The annex tables that print ``key``'s city figure as given: ``附表3、附表6``."""
    ids = [t.id for t in cat.tables if t.kind == "annex" and any(r.key == key for r in t.rows)]
    return "、".join(table_name(i) for i in ids)


def readings(data: Dataset, cat: Catalog, key: str, period: str) -> list[Reading]:
    """Every value the city prints as given for ``key`` and ``period``."""
    found = []
    stated = data.city.values.get((key, period))
    if _number(stated) is not None:
        tables = printed_in(cat, key)
        where = f"{tables}，{stated.loc}" if tables else str(stated.loc)
        found.append(Reading(stated.value, where, stated.loc))
    for pub in data.city.published:
        if pub.key == key and pub.period == period and not pub.school:
            where = f"{table_name(pub.table)}，{pub.loc}"
            found.append(Reading(pub.value, where, pub.loc))
    unique: dict[float, Reading] = {}
    for r in found:
        unique.setdefault(float(r.value), r)
    return list(unique.values())


def check_derived(data: Dataset, cat: Catalog) -> Iterator[Issue]:
    """A published ratio must follow from a published numerator and denominator."""
    for ind in cat.indicators:
        rule = ind.city
        if rule.rule != "ratio":
            continue
        num_ind, den_ind = cat.indicator(rule.numerator), cat.indicator(rule.denominator)
        for period in PERIODS:
            nums, dens = (
                readings(data, cat, num_ind.key, period),
                readings(data, cat, den_ind.key, period),
            )
            pairs = [(n, d) for n, d in product(nums, dens) if d.value]
            if not pairs:
                continue
            year = data.prev_year if period == PREV else data.year
            for ratio in readings(data, cat, ind.key, period):
                options = [(n, d, n.value / d.value * rule.scale) for n, d in pairs]
                if any(not differs(ratio.value, value) for _n, _d, value in options):
                    continue
                shown = "；".join(
                    f"{num_ind.name} {plain_number(n.value)}（{n.where}）÷ {den_ind.name} "
                    f"{plain_number(d.value)}（{d.where}）= {rounded(value, ind.decimals)}"
                    for n, d, value in options
                )
                yield warning(
                    ratio.loc,
                    f"{year} 年{ind.name}印为 {plain_number(ratio.value)}（{ratio.where}），"
                    f"但同年印出的分子分母算得：{shown}；"
                    f"{ind.name}应等于{num_ind.name}除以{den_ind.name}",
                    ind.name,
                )
