"""Checks over the read data. Pure: each check yields located issues, never raises."""

from __future__ import annotations

from collections.abc import Iterator

from docxreport.catalog import Catalog, Indicator
from docxreport.checks.consistency import check_city_groups, check_derived, check_groups
from docxreport.checks.progress import check_blank
from docxreport.issues import Issue, error, warning
from docxreport.model import CURR, PERIODS, PREV, Dataset, Location, SchoolData, is_pending
from docxreport.rollup import differs, plain_number, rounded

YOY_RATIO, YOY_MIN = 0.5, 20
CASE_MAX_CHARS = 1000


def check_required(sd: SchoolData, cat: Catalog) -> Iterator[Issue]:
    grads = sd.has_graduates()
    for ind in cat.indicators:
        needed = ind.required == "always" or (ind.required == "graduates" and grads)
        cell = sd.values.get((ind.key, CURR))
        if needed and cell is not None and cell.empty and not cell.invalid:
            why = "有毕业生的学校必填" if ind.required == "graduates" else "必填"
            yield error(cell.loc, f"{why}，但单元格为空", ind.name)


def check_ranges(sd: SchoolData, cat: Catalog) -> Iterator[Issue]:
    for (key, _period), cell in sd.values.items():
        ind = cat.indicator(key)
        if not isinstance(cell.value, int | float):
            continue
        if ind.min is not None and cell.value < ind.min:
            yield error(
                cell.loc, f"{plain_number(cell.value)} 小于下限 {plain_number(ind.min)}", ind.name
            )
        if ind.max is not None and cell.value > ind.max:
            yield error(cell.loc, _too_big(cell.value, ind), ind.name)


def _too_big(value: float, ind: Indicator) -> str:
    """Above the maximum; a percentage far too big (200% or more, up to 100 times the
    maximum) was a bare number in a percent cell."""
    if ind.kind == "percent" and ind.max is not None and 2 * ind.max <= value <= 100 * ind.max:
        typed = plain_number(round(value / 100, 10))
        return (
            f"{typed} 被读作 {plain_number(value)}%（单元格为百分比格式，不带百分号的数字会乘以 100）；"
            f"请输入 {typed}% 或 {plain_number(round(value / 10000, 12))}"
        )
    return f"{plain_number(value)} 大于上限 {plain_number(ind.max)}"


def check_parts(sd: SchoolData, cat: Catalog) -> Iterator[Issue]:
    """A 其中 figure must not exceed its whole."""
    for ind in cat.indicators:
        if not ind.parent or ind.kind not in ("count", "amount"):
            continue  # only additive figures: a rate of a part may exceed the whole's rate
        parent = cat.indicator(ind.parent)
        if parent.unit != ind.unit:
            continue
        for period in PERIODS:
            part, whole = sd.values.get((ind.key, period)), sd.values.get((parent.key, period))
            if _num(part) is not None and _num(whole) is not None and part.value > whole.value:
                yield error(
                    part.loc,
                    f"其中项 {plain_number(part.value)} 大于总数“{parent.name}” {plain_number(whole.value)}"
                    f"（{whole.loc.sheet}!{whole.loc.cell}）",
                    ind.name,
                )


def _num(v) -> float | None:
    if v is None or isinstance(v.value, str):
        return None
    return v.value


def check_ratios(sd: SchoolData, cat: Catalog) -> Iterator[Issue]:
    """A reported ratio must follow from its numerator and denominator."""
    for ind in cat.indicators:
        rule = ind.city
        if rule.rule != "ratio":
            continue
        for period in PERIODS:
            cell = sd.values.get((ind.key, period))
            num = sd.values.get((rule.numerator, period))
            den = sd.values.get((rule.denominator, period))
            if None in (_num(cell), _num(num), _num(den)) or not den.value:
                continue
            expected = num.value / den.value * rule.scale
            if differs(cell.value, expected):
                yield warning(
                    cell.loc,
                    f"填报 {plain_number(cell.value)}，但 {plain_number(num.value)} / {plain_number(den.value)} = "
                    f"{expected:.2f}",
                    ind.name,
                )


def check_list_counts(sd: SchoolData, cat: Catalog) -> Iterator[Issue]:
    for ind in cat.indicators:
        if not ind.counts_list:
            continue
        spec = cat.list(ind.counts_list)
        rows = sd.lists.get(spec.id, [])
        cell = sd.values.get((ind.key, CURR))
        if not rows or _num(cell) is None:
            continue
        active = [
            r
            for r in rows
            if not spec.inactive_column
            or (r[spec.inactive_column].value or "") not in spec.inactive_values
        ]
        if len(active) != cell.value:
            yield warning(
                cell.loc,
                f"填报 {plain_number(cell.value)}，但“{spec.sheet}”表列出在办的 {len(active)} 个"
                f"（不含{'、'.join(spec.inactive_values)}）",
                ind.name,
            )


def check_jumps(sd: SchoolData, cat: Catalog) -> Iterator[Issue]:
    """Flag an implausible change from last year (over half, and at least 20)."""
    for ind in cat.indicators:
        if ind.kind != "count":
            continue
        prev, curr = sd.values.get((ind.key, PREV)), sd.values.get((ind.key, CURR))
        if _num(prev) is None or _num(curr) is None or not prev.value:
            continue
        change = (curr.value - prev.value) / prev.value
        if abs(change) > YOY_RATIO and abs(curr.value - prev.value) >= YOY_MIN:
            yield warning(
                curr.loc,
                f"较上年变化 {change:+.0%}（{plain_number(prev.value)} → {plain_number(curr.value)}），请核实",
                ind.name,
            )


def check_lists(sd_lists: dict, cat: Catalog) -> Iterator[Issue]:
    for list_id, rows in sd_lists.items():
        spec = cat.list(list_id)
        for row in rows:
            for col in spec.columns:
                v = row.get(col.key)
                if v is None:
                    continue
                if col.required and v.empty and not v.invalid:
                    yield error(v.loc, f"“{col.name}”必须填写")
                if col.choices and not v.empty and v.value not in col.choices:
                    yield error(v.loc, f"“{v.value}”不是可选值（{'、'.join(col.choices)}）")
            text = row.get("text")
            too_long = (
                isinstance(getattr(text, "value", None), str) and len(text.value) > CASE_MAX_CHARS
            )
            if list_id == "cases" and too_long:
                yield warning(text.loc, f"案例正文 {len(text.value)} 字，超过 {CASE_MAX_CHARS} 字")
    yield from check_photo_cases(sd_lists, cat)


def check_photo_cases(lists: dict, cat: Catalog) -> Iterator[Issue]:
    """A photo's 所属案例 must be the title of a case in the same workbook, or it prints nowhere."""
    titles = {_plain(row.get("title")) for row in lists.get("cases", [])}
    sheet = cat.list("cases").sheet
    for row in lists.get("photos", []):
        case = _plain(row.get("case"))
        if case and case not in titles:
            yield warning(
                row["case"].loc,
                f"所属案例“{case}”不是本工作簿“{sheet}”表中任何案例的标题，这张图片不会印出；"
                "请改为案例的标题，或留空作为章节插图",
            )


def _plain(v) -> str:
    return "" if v is None or v.value is None else str(v.value)


SCHOOL_CHECKS = (
    check_required,
    check_ranges,
    check_parts,
    check_groups,
    check_ratios,
    check_list_counts,
    check_jumps,
    check_blank,
)


def check_school(sd: SchoolData, cat: Catalog) -> Iterator[Issue]:
    for check in SCHOOL_CHECKS:
        yield from check(sd, cat)
    yield from check_lists(sd.lists, cat)


def check_published(data: Dataset, cat: Catalog) -> Iterator[Issue]:
    """Figures printed in a published report must equal what the rules give."""
    for pub in data.city.published:
        ind = cat.indicator(pub.key)
        if pub.school and data.city.school(pub.school) is None:
            yield error(pub.loc, f"学校“{pub.school}”不在学校名册中", ind.name)
            continue
        if pub.school:
            fig, how = data.figure(pub.key, pub.period, pub.school), "学校工作簿填报的"
        elif pub.table.startswith("annex"):
            fig, how = data.figure(pub.key, pub.period), f"按“{ind.city.describe()}”"
        else:
            fig, how = data.total(pub.key, pub.period), f"按“{ind.city.describe()}”计算"
        if fig.empty or is_pending(fig) or not differs(pub.value, fig.value):
            continue
        year = data.year if pub.period == CURR else data.prev_year
        yield warning(
            pub.loc,
            f"表{pub.table} 印出的{pub.school or '全市'} {year} 年数为 {plain_number(pub.value)}，"
            f"{how}应为 {rounded(fig.value, ind.decimals)}",
            ind.name,
        )


def check_pairs(data: Dataset, cat: Catalog) -> Iterator[Issue]:
    """Two indicators declared to agree (compare_with) must print the same city figure."""
    for ind in cat.indicators:
        if not ind.compare_with:
            continue
        other = cat.indicator(ind.compare_with)
        for period in PERIODS:
            a, b = data.figure(ind.key, period), data.figure(other.key, period)
            if a.empty or b.empty or is_pending(a) or is_pending(b):
                continue
            if not differs(a.value, b.value) or not differs(b.value, a.value):
                continue
            stated = data.city.values.get((ind.key, period))
            loc = stated.loc if stated else Location(data.city.file, "市级指标")
            yield warning(
                loc,
                f"{'上年' if period == PREV else '本年'}全市数 {rounded(a.value, ind.decimals)} 与"
                f"“{other.name}”的 {rounded(b.value, other.decimals)} 不一致（两表应为同一数据）",
                ind.name,
            )


def check_dataset(data: Dataset, cat: Catalog) -> Iterator[Issue]:
    """Cross checks that need the rolled-up figures."""
    yield from check_published(data, cat)
    yield from check_pairs(data, cat)
    yield from check_city_groups(data, cat)
    yield from check_derived(data, cat)
    yield from check_lists(data.city.lists, cat)
