"""School figures to city figures, by the catalog's rules. Pure: no I/O.

Each result is a :class:`Figure` that remembers the cells it came from and,
for a computed figure, the rule in words, so that every printed number can be
accounted for.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from docxreport.catalog import Catalog, Indicator
from docxreport.issues import Issue, warning
from docxreport.model import (
    CURR,
    EMPTY,
    GRADUATES,
    PENDING,
    PERIODS,
    Dataset,
    Figure,
    Location,
    Scalar,
    Value,
    is_pending,
)


def school_figure(data: Dataset, cat: Catalog, ind: Indicator, short: str, period: str) -> Figure:
    """A school's own figure: its cell, or its ratio computed from its parts."""
    sd = data.school_data(short)
    if sd is None:
        return EMPTY
    cell = sd.values.get((ind.key, period))
    if cell is not None and not cell.empty:
        return Figure(cell.value, (cell.loc,))
    rule = ind.city
    if rule.rule == "ratio" and rule.numerator and rule.denominator:
        num, den = (
            sd.values.get((rule.numerator, period)),
            sd.values.get((rule.denominator, period)),
        )
        if _number(num) is not None and _number(den):
            value = _number(num) / _number(den) * rule.scale
            return Figure(
                value,
                (num.loc, den.loc),
                f"{ind.name} = {plain_number(num.value)} / {plain_number(den.value)}",
            )
    return EMPTY


def _number(v: Value | Figure | None) -> float | None:
    if v is None or v.value is None or isinstance(v.value, str):
        return None
    return v.value


def plain_number(x: object) -> str:
    """A number as typed, without binary noise: 11.26, not 11.2599999."""
    if isinstance(x, float):
        return format(Decimal(repr(x)).normalize(), "f")
    return str(x)


def printed(value: Scalar, ind: Indicator) -> Scalar:
    """A figure as the report prints it: rounded half up to the indicator's decimals."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return value
    rounded = Decimal(repr(value)).quantize(
        Decimal(1).scaleb(-ind.decimals), rounding=ROUND_HALF_UP
    )
    return int(rounded) if ind.decimals == 0 else float(rounded)


def counted(data: Dataset, graduates: bool, period: str) -> list[str]:
    """The schools a city figure is computed from: for a figure about graduates,
    only the schools that had graduates (or that a draft still waits for)."""
    if not graduates:
        return [s.school.short for s in data.schools]
    return [
        s.school.short
        for s in data.schools
        if s.has_graduates(period) or is_pending(s.values.get((GRADUATES, period)))
    ]


def about_graduates(cat: Catalog, ind: Indicator) -> bool:
    """A figure about graduates, or a ratio with a part about graduates (落实率 = 落实人数 / 毕业生)."""
    rule = ind.city
    parts = [rule.numerator, rule.denominator] if rule.rule == "ratio" else []
    return ind.about_graduates or any(k and cat.indicator(k).about_graduates for k in parts)


def computed(
    data: Dataset, cat: Catalog, ind: Indicator, period: str, graduates: bool = False
) -> tuple[Figure, list[str]]:
    """The city figure computed from the schools; also the schools that lack a value.

    A figure about graduates leaves out the schools without graduates: what such a
    school typed (blank or 0) is neither summed, nor averaged, nor missed.
    """
    rule = ind.city
    graduates = graduates or about_graduates(cat, ind)
    shorts = counted(data, graduates, period)
    waiting = [s for s in _waiting(data, cat, ind, period) if s in shorts]
    if waiting:
        return Figure(PENDING, (), f"待补：{'、'.join(waiting)} 的数据尚未收齐"), []
    if rule.rule in ("sum", "mean"):
        figs = {s: data.school_figures[s].get((ind.key, period), EMPTY) for s in shorts}
        missing = [s for s, f in figs.items() if _number(f) is None]
        have = [f for f in figs.values() if _number(f) is not None]
        if missing or not have:
            return EMPTY, missing
        total = sum(f.value for f in have)
        sources = tuple(loc for f in have for loc in f.sources)
        if rule.rule == "sum":
            return Figure(_tidy(total), sources, f"合计 = {len(have)} 个单元格之和"), []
        mean = total / len(have)
        return Figure(mean, sources, f"算术平均 = {len(have)} 个单元格之和 ÷ {len(have)}"), []
    if rule.rule == "ratio":
        num_ind, den_ind = cat.indicator(rule.numerator), cat.indicator(rule.denominator)
        num, miss_n = computed(data, cat, num_ind, period, graduates)
        den, miss_d = computed(data, cat, den_ind, period, graduates)
        if num.empty or den.empty or not den.value:
            return EMPTY, sorted(set(miss_n + miss_d))
        value = num.value / den.value * rule.scale
        text = f"{ind.name} = {plain_number(num.value)} / {plain_number(den.value)}"
        return Figure(value, num.sources + den.sources, text), []
    if rule.rule == "distinct":
        items, sources = set(), []
        for sd in data.schools:
            for row in sd.lists.get(rule.list, []):
                v = row.get(rule.field or "code")
                if v is not None and not v.empty:
                    items.add(str(v.value))
                    sources.append(v.loc)
        if not items:
            return EMPTY, shorts
        return Figure(len(items), tuple(sources), f"去重计数 = {len(items)} 个不同项"), []
    return EMPTY, []


def _waiting(data: Dataset, cat: Catalog, ind: Indicator, period: str) -> list[str]:
    """Schools a draft still waits for whose figures this city figure is computed from."""
    rule = ind.city
    if rule.rule in ("given", "none"):
        return []
    keys = [rule.numerator, rule.denominator] if rule.rule == "ratio" else [ind.key]
    return [
        sd.school.short
        for sd in data.schools
        if any(is_pending(sd.values.get((k, period))) for k in keys if k)
    ]


def _tidy(x: float) -> float:
    """Sum of decimals without binary noise: 596.22 + 10 + 3 → 609.22, not 609.2200000001."""
    return round(x, 10) if isinstance(x, float) else x


def given(data: Dataset, ind: Indicator, period: str) -> Figure:
    cell = data.city.values.get((ind.key, period))
    if cell is None or cell.empty:
        return EMPTY
    return Figure(cell.value, (cell.loc,), "市级数据表填报")


def city_figure(
    data: Dataset, cat: Catalog, ind: Indicator, period: str
) -> tuple[Figure, list[Issue]]:
    """The city figure for ``period``, with warnings about disagreements."""
    rule = ind.city.rule
    if rule == "none":
        return EMPTY, []
    stated = given(data, ind, period)
    if rule == "given":
        return stated, []
    calc, missing = computed(data, cat, ind, period)
    if is_pending(calc):
        # A draft: this year's figure waits for a school; last year's stays as published.
        return (stated if period != CURR and not stated.empty else calc), []
    issues: list[Issue] = []
    if period != CURR and not stated.empty:
        # The previous year's column prints the figure as it was published.
        if not calc.empty and differs(stated.value, calc.value):
            issues.append(_disagree(ind, stated, calc, "上年已发布的全市数"))
        return Figure(stated.value, stated.sources, "上年已发布"), issues
    if not calc.empty:
        if not stated.empty and differs(stated.value, calc.value):
            issues.append(_disagree(ind, stated, calc, "市级数据表填报的全市数"))
        return calc, issues
    if missing and len(missing) < len(counted(data, about_graduates(cat, ind), period)):
        where = stated.sources[0] if not stated.empty else Location(data.city.file)
        issues.append(
            warning(
                where,
                f"{'、'.join(missing)} 未填报，无法按“{ind.city.describe()}”汇总"
                + ("，全市数暂用市级数据表的填报值" if not stated.empty else ""),
                ind.name,
            )
        )
    return stated, issues


def differs(published: object, value: object) -> bool:
    """True when ``published`` is not ``value`` rounded to the published precision."""
    if not isinstance(published, int | float) or not isinstance(value, int | float):
        return published != value
    text = repr(float(published))
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return abs(published - value) > 0.5 * 10**-decimals + 1e-9


def _disagree(ind: Indicator, stated: Figure, calc: Figure, what: str) -> Issue:
    return warning(
        stated.sources[0],
        f"{what} {plain_number(stated.value)}，按“{ind.city.describe()}”计算应为 "
        f"{rounded(calc.value, ind.decimals)}",
        ind.name,
    )


def rounded(x: object, decimals: int) -> str:
    """A computed figure for a message: at least two decimals, trailing zeros dropped."""
    if isinstance(x, float):
        return f"{x:.{max(decimals, 2)}f}".rstrip("0").rstrip(".")
    return str(x)


def roll_up(data: Dataset, cat: Catalog) -> list[Issue]:
    """Fill ``data.school_figures`` and ``data.city_figures``; return the warnings met."""
    for sd in data.schools:
        short = sd.school.short
        data.school_figures[short] = {
            (ind.key, p): school_figure(data, cat, ind, short, p)
            for ind in cat.indicators
            for p in PERIODS
        }
    issues: list[Issue] = []
    for ind in cat.indicators:
        for period in PERIODS:
            fig, found = city_figure(data, cat, ind, period)
            data.city_figures[(ind.key, period)] = fig
            data.city_totals[(ind.key, period)] = computed(data, cat, ind, period)[0]
            issues.extend(found)
    return issues


def all_figures(data: Dataset) -> Iterator[tuple[str, str, str | None, Figure]]:
    """Every figure: (key, period, school short name or None for the city, figure)."""
    for (key, period), fig in data.city_figures.items():
        yield key, period, None, fig
    for short, figs in data.school_figures.items():
        for (key, period), fig in figs.items():
            yield key, period, short, fig
