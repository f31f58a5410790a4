"""Year over year: 上年 figures against what last year's inputs and report said.

``init`` copies each school's 本年 figures into next year's 上年 column. When a
school later changes one, the reports' 上年 columns and 较上年 sentences no
longer match last year's report: check warns, at the 上年 cell, naming last
year's file and cell. :func:`compare` is pure; :func:`check_history` reads last
year's workbooks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from pathlib import Path

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.issues import Issue, warning
from docxreport.model import CURR, PREV, CityData, Dataset, Figure, Scalar, SchoolData
from docxreport.rollup import plain_number, printed
from docxreport.workbook import read_school


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def compare(sd: SchoolData, last: SchoolData, last_year: int, cat: Catalog) -> Iterator[Issue]:
    """Warn where ``sd``'s 上年 figure is not what ``last`` reported as 本年.

    Only figures that were reported last year are compared: a 上年 cell filled in
    where last year's was empty is a figure found since, not a contradiction.
    """
    for ind in cat.indicators:
        before, now = last.values.get((ind.key, CURR)), sd.values.get((ind.key, PREV))
        if before is None or now is None or before.empty or _same(now.value, before.value):
            continue
        said = "上年栏为空" if now.empty else f"上年数为 {plain_number(now.value)}"
        yield warning(
            now.loc,
            f"{said}，但 {last_year} 年数据表填报的本年数为 {plain_number(before.value)}"
            f"（{last_year}/{before.loc}）；如是更正请告知编制组，否则请改回",
            ind.name,
        )


def last_year_file(folder: Path, sd: SchoolData) -> Path | None:
    """The school's workbook in last year's ``folder``, under any of its names."""
    sdir = folder / L.SCHOOL_DIR
    return next(
        (sdir / f"{n}.xlsx" for n in sd.school.names() if (sdir / f"{n}.xlsx").is_file()), None
    )


def check_history(
    inputs: Path, year: int, schools: Iterable[SchoolData], cat: Catalog
) -> Iterator[Issue]:
    """Compare each school with its workbook of ``year - 1``, where that exists.

    Problems in last year's workbooks are not reported here: ``check --year``
    of that year lists them.
    """
    folder = inputs / str(year - 1)
    for sd in schools:
        path = last_year_file(folder, sd)
        if path is None:
            continue
        last, _issues = read_school(path, f"{L.SCHOOL_DIR}/{path.name}", cat, sd.school, year - 1)
        if last is not None:
            yield from compare(sd, last, year - 1, cat)


def carried_city(prev: Dataset, cat: Catalog) -> dict[str, tuple[Scalar, Figure]]:
    """Last year's city figures as its report printed them: key → (printed value, figure).

    ``init`` writes these into the new city workbook's 上年 column; check compares
    that column with them.
    """
    out = {}
    for ind in L.city_indicators(cat):
        fig = prev.figure(ind.key, CURR)
        if not fig.empty:
            out[ind.key] = (printed(fig.value, ind), fig)
    return out


def _origin(fig: Figure, last_year: int, cat: Catalog, key: str) -> str:
    if not fig.sources:
        return f"{last_year} 年报告"
    first = f"{last_year}/{fig.sources[0]}"
    if len(fig.sources) == 1:
        return first
    return f"按“{cat.indicator(key).city.describe()}”由 {len(fig.sources)} 个单元格算得，如 {first}"


def compare_city(
    city: CityData, printed_last: dict[str, tuple[Scalar, Figure]], last_year: int, cat: Catalog
) -> Iterator[Issue]:
    """Warn where the city workbook's 上年 column is not what last year's report printed."""
    for key, (value, fig) in printed_last.items():
        now = city.values.get((key, PREV))
        if now is None or now.invalid or _same(now.value, value):
            continue
        said = "上年栏为空" if now.empty else f"上年数为 {plain_number(now.value)}"
        yield warning(
            now.loc,
            f"{said}，但 {last_year} 年报告印出的全市数为 {plain_number(value)}"
            f"（{_origin(fig, last_year, cat, key)}）；上年栏应照抄上年报告印出的数",
            cat.indicator(key).name,
        )
