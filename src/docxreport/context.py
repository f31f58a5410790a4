"""The data a report template sees: names, dates, figures and block builders.

Templates call small functions rather than reach into the model:
``v("students")`` prints a formatted figure, ``change("students")`` compares it
with last year, ``table("1-5")`` / ``figures("1.1.1")`` / ``cases("1.14")``
insert blocks, and ``toc("表")`` marks where a list at the front goes.

A school report also sees ``school`` (:class:`SchoolInfo`); there ``v``,
``change`` and ``table`` show that school only, and ``figures``/``cases`` its
own photos and cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docxreport.catalog import Catalog, Indicator
from docxreport.errors import TemplateError
from docxreport.ledger import Ledger
from docxreport.model import CURR, PREV, Dataset, Figure, Row
from docxreport.photos import PhotoShop
from docxreport.render.blocks import Case, Photo
from docxreport.render.document import make_cases, make_figures, make_table
from docxreport.render.fmt import format_change, format_value
from docxreport.render.grids import graduate_related, has_graduates, printed_figure
from docxreport.render.numbering import toc_marker
from docxreport.rollup import plain_number


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


def date_text(value: date | None, day: bool = True) -> str:
    if value is None:
        return ""
    if day:
        return f"{value.year} 年 {value.month} 月 {value.day} 日"
    return f"{value.year} 年 {value.month} 月"


def _text(row: Row, key: str) -> str:
    cell = row.get(key)
    return "" if cell is None or cell.value is None else str(cell.value)


class Blocks:
    """Collects the photos and cases of the schools a report covers, by section."""

    def __init__(
        self,
        data: Dataset,
        photo_root: Path,
        schools: list[str] | None,
        shop: PhotoShop | None = None,
    ) -> None:
        owners = [("", data.city.lists)] if schools is None else []
        chosen = [s for s in data.schools if schools is None or s.school.short in schools]
        owners += [(s.school.short, s.lists) for s in chosen]
        self.photos: list[tuple[str, Row]] = []
        self.cases: list[tuple[str, Row]] = []
        for owner, lists in owners:
            self.photos += [(owner, r) for r in lists.get("photos", [])]
            self.cases += [(owner, r) for r in lists.get("cases", [])]
        self.photo_root = photo_root
        self.shop = shop or PhotoShop()
        self.used: set[str] = set()

    def _photo(self, owner: str, row: Row) -> Photo:
        name = _text(row, "file")
        return Photo(_text(row, "caption"), self.photo_root / name if name else None, owner)

    def photos_at(self, section: str) -> list[Photo]:
        self.used.add(section)
        return [
            self._photo(o, r)
            for o, r in self.photos
            if _text(r, "section") == section and not _text(r, "case")
        ]

    def cases_at(self, section: str) -> list[Case]:
        self.used.add(section)
        out = []
        for _owner, row in self.cases:
            if _text(row, "section") != section:
                continue
            title = _text(row, "title")
            paragraphs = [p.strip() for p in _text(row, "text").split("\n") if p.strip()]
            photos = [self._photo(o, r) for o, r in self.photos if _text(r, "case") == title]
            out.append(Case(title, paragraphs, photos))
        return out

    def unplaced(self) -> list[Row]:
        """Photo and case rows whose section the template never asked for."""
        return [r for _, r in self.photos + self.cases if _text(r, "section") not in self.used]


def team_rows(data: Dataset) -> list[dict[str, Any]]:
    rows, last = [], None
    for m in data.city.team:
        rows.append({"role": m.role, "name": m.name, "title": m.title, "show_role": m.role != last})
        last = m.role
    return rows


def make_context(
    tpl: Any,
    data: Dataset,
    cat: Catalog,
    photo_root: Path,
    school: str | None = None,
    ledger: Ledger | None = None,
    shop: PhotoShop | None = None,
) -> tuple[dict[str, Any], Blocks]:
    """The template context for the city report, or for one school's report.

    Every figure the template prints (through ``v`` or ``table``) is recorded in ``ledger``.
    """
    ledger = ledger if ledger is not None else Ledger()
    city = data.city
    own = None if school is None else school_info(data, school).short
    blocks = Blocks(data, photo_root, None if own is None else [own], shop)

    def indicator(key: str) -> Indicator:
        if not cat.has(key):
            raise TemplateError(f"模板引用了指标目录中没有的指标“{key}”")
        return cat.indicator(key)

    def v(key: str, period: str = CURR) -> str:
        ind = indicator(key)
        figure = printed_figure(data, ind, period, own)
        text = format_value(ind, figure.value)
        year = data.year if period == CURR else data.prev_year
        ledger.add("正文", ind.name, f"{year} 年", text, figure)
        return text

    def change(key: str) -> Any:
        ind = indicator(key)
        if own is not None and graduate_related(ind) and not has_graduates(data, own):
            return format_change(None, None, ind)
        prev, curr = data.figure(key, PREV, own), data.figure(key, CURR, own)
        result = format_change(prev.value, curr.value, ind)
        if not (prev.empty or curr.empty):
            rule = f"较上年变化 = ({plain_number(curr.value)} − {plain_number(prev.value)}) / {plain_number(prev.value)}"
            figure = Figure(result.pct, prev.sources + curr.sources, rule)
            ledger.add("正文", ind.name, f"较上年{result.word}（%）", result.pct, figure)
        return result

    def table(table_id: str, of_school: str | None = None) -> Any:
        try:
            spec = cat.table(table_id)
        except StopIteration:
            raise TemplateError(f"模板引用了指标目录中没有的表格“{table_id}”") from None
        target = of_school or school
        found = None if target is None else city.school(target)
        if target is not None and found is None:
            raise TemplateError(f"模板中的表格“{table_id}”引用了名册中没有的学校“{target}”")
        if own is not None and found is not None and found.short != own:
            raise TemplateError(f"学校报告中的表格“{table_id}”只能显示本校，不能显示“{target}”")
        return make_table(tpl, spec, data, cat, target, ledger)

    def figures(section: Any) -> Any:
        photos = blocks.photos_at(str(section))
        return make_figures(tpl, photos, blocks.shop) if photos else ""

    def cases(section: Any) -> Any:
        found = blocks.cases_at(str(section))
        return make_cases(tpl, found, blocks.shop) if found else ""

    context: dict[str, Any] = {
        "region": Region(city.region, city.region_full, city.code, city.bureau),
        "year": data.year,
        "prev_year": data.prev_year,
        "publish_date": date_text(city.publish_date, day=False),
        "declaration_date": date_text(city.declaration_date),
        "team": team_rows(data),
        "reviewers": city.reviewers,
        "v": v,
        "change": change,
        "table": table,
        "figures": figures,
        "cases": cases,
        "toc": toc_marker,
    }
    if school is not None:
        context["school"] = school_info(data, school)
    return context, blocks


def school_info(data: Dataset, name: str) -> SchoolInfo:
    """The registered school called ``name`` (short name, full name or alias)."""
    found = data.city.school(name)
    if found is None:
        raise TemplateError(f"名册中没有学校“{name}”")
    return SchoolInfo(found.short, found.full, has_graduates(data, found.short))


def output_name(data: Dataset) -> str:
    return f"{data.city.region}中等职业教育质量年度报告（{data.year}）.docx"
