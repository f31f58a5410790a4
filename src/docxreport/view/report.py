"""One report's view: everything the report may print, decided from the data alone.

:func:`make_view` takes the rolled-up dataset and the catalog and returns a
:class:`ReportView` for the city report or for one school's report. It is pure: no
file is read, no Word object made. The renderer only turns a view into Word, and
looks nothing up on its own.

A view holds

- every figure the template may print (:class:`Printed`): its indicator, period and
  school, its value, the text it prints as, whether it is empty (after the graduate
  rule) and where it came from;
- every change from last year the template may print (:class:`Moved`);
- every table's grid (:class:`TableView`);
- the photo and case blocks, by the section they belong to;
- a :class:`~docxreport.view.charts.ChartMaker` for the charts the template asks for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docxreport.catalog import Catalog, Indicator
from docxreport.layout import CITY_OWNER, photo_path
from docxreport.model import (
    CURR,
    EMPTY,
    PENDING,
    PERIODS,
    PREV,
    Dataset,
    Figure,
    Row,
    is_pending,
)
from docxreport.rollup import plain_number
from docxreport.selection.choose import PHOTO, Submission, submissions
from docxreport.view.charts import ChartMaker
from docxreport.view.fmt import DASH, format_change, format_value
from docxreport.view.grids import Grid, build_grid, printed_figure

CITY_REPORT = "全市报告"  # the label of the city report in the data-source listing


@dataclass(frozen=True)
class Printed:
    """One figure as the report prints it."""

    key: str
    period: str
    school: str | None  # short name; None for the city
    name: str  # the indicator's name
    column: str  # the year it is about, e.g. "2024 年"
    text: str  # as printed; "—" when empty
    figure: Figure

    @property
    def empty(self) -> bool:
        return self.figure.empty

    @property
    def nonzero(self) -> bool:
        """Known and not zero: "the school has some"."""
        value = self.figure.value
        return not self.empty and not (isinstance(value, int | float) and value == 0)


@dataclass(frozen=True)
class Moved:
    """How a figure moved from last year.

    ``word`` is 增加/减少/持平 (— when unknown); ``abs`` and ``pct`` are printed figures
    (— when they cannot be computed); ``known`` says both years are known, ``flat`` that
    nothing changed.
    """

    key: str
    school: str | None
    name: str
    word: str
    abs: str
    pct: str
    abs_figure: Figure = EMPTY
    pct_figure: Figure = EMPTY

    @property
    def known(self) -> bool:
        return self.word != DASH

    @property
    def flat(self) -> bool:
        return self.known and self.abs_figure.value == 0

    @property
    def sign(self) -> int:
        """+1 when the figure rose, -1 when it fell, 0 when flat or unknown."""
        value = self.abs_figure.value
        if not self.known or not isinstance(value, int | float):
            return 0
        return (value > 0) - (value < 0)


@dataclass(frozen=True)
class TableView:
    """One table as the report prints it."""

    id: str
    place: str  # how the listing names it: 表1-5, 附表3
    school: str | None
    grid: Grid
    landscape: bool = False


@dataclass(frozen=True)
class Photo:
    """A photo to print: ``path`` None or unreadable gives a marked placeholder."""

    caption: str
    path: Path | None = None
    school: str = ""


@dataclass(frozen=True)
class Case:
    """A case story: a title, its paragraphs and its photos."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)


@dataclass(frozen=True)
class Region:
    name: str
    full_name: str
    code: str
    bureau: str


@dataclass(frozen=True)
class SchoolInfo:
    """The school a school report is about: ``school.short``, ``.full``, ``.has_graduates``."""

    short: str
    full: str
    has_graduates: bool


@dataclass
class ReportView:
    """Everything one report prints; see the module's docstring."""

    label: str  # the report's name in the data-source listing
    year: int
    region: Region
    school: SchoolInfo | None = None
    publish_date: str = ""
    declaration_date: str = ""
    reviewers: str = ""
    team: list[dict[str, Any]] = field(default_factory=list)
    majors_school: str = ""  # the school whose 专业设置 the city report shows (表1-1)
    majors_school_full: str = ""  # ... by its full name, for a caption
    figures: dict[tuple[str, str], Printed] = field(default_factory=dict)
    changes: dict[str, Moved] = field(default_factory=dict)
    tables: dict[str, TableView | None] = field(default_factory=dict)  # None: nothing to list
    school_lists: dict[tuple[str, str], TableView] = field(default_factory=dict)  # (id, school)
    registry: dict[str, str] = field(default_factory=dict)  # any name of a school → short name
    photos: dict[str, list[Photo]] = field(default_factory=dict)
    cases: dict[str, list[Case]] = field(default_factory=dict)
    charts: ChartMaker | None = None  # draws the charts a template asks for

    @property
    def prev_year(self) -> int:
        return self.year - 1

    @property
    def properties(self) -> DocumentProperties:
        """The document's title, author, subject and keywords (a published PDF shows them)."""
        region = self.region.name
        if self.school is None:
            title = f"{region}中等职业教育质量年度报告（{self.year}）"
            author, who = self.region.bureau or region, [region]
        else:
            title = f"{self.school.full}质量年度报告（{self.year}）"
            author, who = self.school.full, [self.school.full, region]
        subject = f"{self.year} 年度中等职业教育质量年度报告"
        keywords = ["中等职业教育", "质量年度报告", f"{self.year}", *who]
        return DocumentProperties(title, author, subject, "、".join(k for k in keywords if k))


@dataclass(frozen=True)
class DocumentProperties:
    """What a .docx (and the PDF made from it) says about itself."""

    title: str
    author: str
    subject: str
    keywords: str


# -- building a view -------------------------------------------------------------------------------


def date_text(value: date | None, day: bool = True) -> str:
    if value is None:
        return ""
    if day:
        return f"{value.year} 年 {value.month} 月 {value.day} 日"
    return f"{value.year} 年 {value.month} 月"


def year_label(data: Dataset, period: str) -> str:
    return f"{data.prev_year if period == PREV else data.year} 年"


def printed(data: Dataset, ind: Indicator, period: str, school: str | None) -> Printed:
    figure = printed_figure(data, ind, period, school)
    text = format_value(ind, figure.value)
    return Printed(ind.key, period, school, ind.name, year_label(data, period), text, figure)


def moved(data: Dataset, ind: Indicator, school: str | None) -> Moved:
    prev, curr = (printed_figure(data, ind, p, school) for p in PERIODS)
    change = format_change(prev.value, curr.value, ind)
    if is_pending(prev) or is_pending(curr):  # a draft: the change waits for the school
        waiting = Figure(PENDING)
        return Moved(ind.key, school, ind.name, PENDING, PENDING, PENDING, waiting, waiting)
    if prev.empty or curr.empty or change.word == DASH:
        return Moved(ind.key, school, ind.name, change.word, change.abs, change.pct)
    c, p = plain_number(curr.value), plain_number(prev.value)
    sources = prev.sources + curr.sources
    diff = float(curr.value) - float(prev.value)  # type: ignore[arg-type]
    abs_figure = Figure(abs(diff), sources, f"较上年变化 = {c} − {p}")
    pct_figure = (
        EMPTY
        if change.pct == DASH
        else Figure(change.pct, sources, f"较上年变化 = ({c} − {p}) / {p}")
    )
    return Moved(
        ind.key, school, ind.name, change.word, change.abs, change.pct, abs_figure, pct_figure
    )


def _text(row: Row, key: str) -> str:
    cell = row.get(key)
    return "" if cell is None or cell.value is None else str(cell.value)


def _printed_blocks(data: Dataset, school: str | None) -> list[tuple[str, Submission]]:
    """(section, submission) of every case and loose photo the report prints, in order.

    A school's report prints all of its own; the city report prints the selection (遴选:
    its sections and order), or every submission when the dataset carries none.
    """
    if school is None and data.selection is not None:
        chosen = data.selection.included()
        return [(line.chapter_section, line.submission) for line in chosen if line.submission]
    found = submissions(data.city, data.schools)
    return [(s.section, s) for s in found if school is None or s.owner == school]


def _blocks(
    data: Dataset, photo_root: Path, school: str | None
) -> tuple[dict[str, list[Photo]], dict[str, list[Case]]]:
    """Photos and cases by section (see :func:`_printed_blocks`)."""

    def photo(sub: Submission, row: Row) -> Photo:
        name = _text(row, "file")
        owner = "" if sub.owner == CITY_OWNER else sub.owner
        path = photo_path(photo_root, name) if name else None  # None: outside, a placeholder
        return Photo(_text(row, "caption"), path, owner)

    photos: dict[str, list[Photo]] = {}
    cases: dict[str, list[Case]] = {}
    for section, sub in _printed_blocks(data, school):
        if sub.kind == PHOTO:
            photos.setdefault(section, []).append(photo(sub, sub.row))
            continue
        paragraphs = [p.strip() for p in _text(sub.row, "text").split("\n") if p.strip()]
        own = [photo(sub, row) for row in sub.photo_rows]
        cases.setdefault(section, []).append(Case(sub.title, paragraphs, own))
    return photos, cases


def block_rows(data: Dataset, school: str | None) -> list[tuple[str, Row]]:
    """(section, row) of every case and loose photo the report prints, for "not placed" notes."""
    return [(section, sub.row) for section, sub in _printed_blocks(data, school)]


def _table_place(table_id: str) -> str:
    return f"附表{table_id[5:]}" if table_id.startswith("annex") else f"表{table_id}"


def _tables(
    data: Dataset, cat: Catalog, school: str | None, majors: str
) -> dict[str, TableView | None]:
    """Every table of the catalog, for the city (list tables: ``majors``' list) or one school.

    A list table of the city report is None when no school filled its list.
    """
    tables: dict[str, TableView | None] = {}
    for spec in cat.tables:
        target = school if school is not None else (majors if spec.kind == "list" else None)
        if spec.kind == "list" and not target:
            tables[spec.id] = None
            continue
        grid = build_grid(spec, data, cat, target)
        tables[spec.id] = TableView(spec.id, _table_place(spec.id), target, grid, spec.landscape)
    return tables


def _school_lists(
    data: Dataset, cat: Catalog, school: str | None
) -> dict[tuple[str, str], TableView]:
    """The list tables (专业设置…) of each school the report covers, by (table id, school)."""
    shorts = [s.short for s in data.city.registry] if school is None else [school]
    return {
        (spec.id, short): TableView(
            spec.id,
            _table_place(spec.id),
            short,
            build_grid(spec, data, cat, short),
            spec.landscape,
        )
        for spec in cat.tables
        if spec.kind == "list"
        for short in shorts
    }


def majors_school(data: Dataset) -> str:
    """The school whose 专业设置 the city report shows: the first in the registry that
    filled its list. Empty when none did (the template then leaves the table out)."""
    for entry in data.city.registry:
        sd = data.school_data(entry.short)
        if sd is not None and sd.lists.get("majors"):
            return entry.short
    return ""


def team_rows(data: Dataset) -> list[dict[str, Any]]:
    rows, last = [], None
    for m in data.city.team:
        rows.append({"role": m.role, "name": m.name, "title": m.title, "show_role": m.role != last})
        last = m.role
    return rows


def school_info(data: Dataset, name: str) -> SchoolInfo | None:
    """The registered school called ``name`` (short name, full name or alias)."""
    found = data.city.school(name)
    if found is None:
        return None
    return SchoolInfo(found.short, found.full, data.has_graduates(found.short))


def make_view(
    data: Dataset, cat: Catalog, school: str | None = None, photo_root: Path = Path()
) -> ReportView:
    """The view of the city report (``school`` None) or of one registered school's report."""
    city = data.city
    info = school_info(data, school) if school is not None else None
    own = info.short if info is not None else None
    majors = "" if own is not None else majors_school(data)
    photos, cases = _blocks(data, photo_root, own)
    return ReportView(
        label=own or CITY_REPORT,
        year=data.year,
        region=Region(city.region, city.region_full, city.code, city.bureau),
        school=info,
        publish_date=date_text(city.publish_date, day=False),
        declaration_date=date_text(city.declaration_date),
        reviewers=city.reviewers,
        team=team_rows(data),
        majors_school=majors,
        majors_school_full=city.school(majors).full if majors else "",
        figures={
            (ind.key, period): printed(data, ind, period, own)
            for ind in cat.indicators
            for period in PERIODS
        },
        changes={ind.key: moved(data, ind, own) for ind in cat.indicators if ind.numeric},
        tables=_tables(data, cat, own, majors),
        school_lists=_school_lists(data, cat, own),
        registry={name: s.short for s in city.registry for name in s.names()},
        photos=photos,
        cases=cases,
        charts=ChartMaker(data, cat, own),
    )


__all__ = [
    "CITY_REPORT",
    "CURR",
    "Case",
    "Moved",
    "Photo",
    "Printed",
    "Region",
    "ReportView",
    "SchoolInfo",
    "TableView",
    "block_rows",
    "make_view",
]
