"""A new year's workbooks, carried over from the previous year (``docxreport init``).

The carry-over itself is pure: from a loaded previous year (a rolled-up
:class:`Dataset`) to the values of the new workbooks. :func:`write_missing` is
the one step that touches files, and it never overwrites one.

What is carried:
- each school's 本年 figures become its 上年 figures;
- the city workbook's 上年 column holds last year's city figures as the report
  printed them (the catalog's rules, rounded like the report);
- region facts, reviewers, the 编制组 and the registry;
- the majors (code, name, year set up; a major stopped last year stays 停办).

What is not: 本年 figures, cases, photos, dates, the 发布核对 rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docxreport import layout as L
from docxreport.atomic import copy_atomically
from docxreport.catalog import Catalog
from docxreport.checks.history import carried_city
from docxreport.errors import InputError
from docxreport.issues import Issue
from docxreport.load import school_files
from docxreport.model import CURR, PREV, CityData, Dataset, Scalar, School, SchoolData
from docxreport.regional import REGION_FILE

if TYPE_CHECKING:
    from docxreport.checks.templatesections import Section
    from docxreport.workbook.write import Lists, Values

DATA_ROLE = "数据采集"
MAJOR_KEPT = ("code", "name", "since")


@dataclass(frozen=True)
class SchoolBook:
    """What one school's new workbook holds; ``source`` None: nothing to carry."""

    school: School
    values: Values
    lists: Lists
    source: str | None = None  # last year's file, relative to its year folder


@dataclass
class NewYear:
    """Everything the new year's workbooks are written from."""

    year: int
    source: int | None  # the year carried from; None: blank workbooks from a registry
    city: CityData
    city_values: Values = field(default_factory=dict)
    schools: list[SchoolBook] = field(default_factory=list)
    contact: str = ""


def previous_year(years: Sequence[int], year: int, chosen: int | None) -> int | None:
    """The year to carry from: ``chosen``, else the newest year before ``year``."""
    if chosen is not None:
        if chosen >= year:
            raise InputError(f"--from 的年度 {chosen} 应早于 {year}")
        if chosen not in years:
            shown = "、".join(map(str, years)) or "无"
            raise InputError(f"找不到 {chosen} 年的文件夹；已有年度：{shown}")
        return chosen
    earlier = [y for y in years if y < year]
    return earlier[-1] if earlier else None


def carry_city(prev: Dataset, cat: Catalog, year: int) -> tuple[CityData, Values]:
    """The new city workbook: last year's fixed facts, and its city figures as 上年."""
    old = prev.city
    city = CityData(
        file=L.CITY_FILE,
        region=old.region,
        region_full=old.region_full,
        code=old.code,
        bureau=old.bureau,
        year=year,
        reviewers=old.reviewers,
        province=old.province,
        limits=dict(old.limits),
        team=list(old.team),
        registry=list(old.registry),
        contacts=dict(old.contacts),
    )
    values: Values = {(key, PREV): value for key, (value, _fig) in carried_city(prev, cat).items()}
    return city, values


def carry_school(sd: SchoolData, cat: Catalog) -> tuple[Values, Lists]:
    """A school's 本年 cells become its 上年 cells; its majors are listed again."""
    values: Values = {}
    for ind in cat.indicators:
        cell = sd.values.get((ind.key, CURR))
        if cell is not None and not cell.empty:
            values[(ind.key, PREV)] = cell.value
    return values, {"majors": carry_majors(sd, cat)}


def carry_majors(sd: SchoolData, cat: Catalog) -> list[dict[str, Scalar]]:
    """Majors persist: code, name and year set up; this year's numbers are left blank.

    A major stopped last year stays marked 停办; the others wait for the school to
    choose 未调/新增/调整/停办.
    """
    spec = cat.list("majors")
    rows = []
    for row in sd.lists.get("majors", []):
        new = {key: row[key].value for key in MAJOR_KEPT if key in row}
        if spec.inactive_column:
            status = row.get(spec.inactive_column)
            if status is not None and status.value in spec.inactive_values:
                new[spec.inactive_column] = status.value
        rows.append(new)
    return rows


def contact(city: CityData) -> str:
    """Whom a school asks: the bureau's 编制组, the data collectors first."""
    team = sorted(city.team, key=lambda m: DATA_ROLE not in m.role)
    people = "、".join(
        f"{m.name}（{'，'.join(x for x in (m.role, m.title) if x)}）" for m in team if m.name
    )
    if not people:
        return city.bureau
    return f"{city.bureau}编制组 {people}" if city.bureau else people


def _find(prev: Dataset, school: School) -> SchoolData | None:
    names = set(school.names())
    return next((sd for sd in prev.schools if names & set(sd.school.names())), None)


def plan(year: int, cat: Catalog, prev: Dataset | None, registry: CityData | None) -> NewYear:
    """The new year's workbooks.

    ``registry`` is the new year's city workbook when it already exists: its
    registry and 编制组 are used, and it is not written again. Without it, the
    city workbook is carried from ``prev``. A school not found in ``prev`` gets a
    blank workbook.
    """
    if prev is None and registry is None:
        raise InputError(f"没有可结转的年度，也没有 {year} 年的市级数据表")
    if prev is not None:
        city, city_values = carry_city(prev, cat, year)
    else:
        city, city_values = registry, {}
    who = registry if registry is not None and registry.registry else city
    new = NewYear(year, prev.year if prev else None, city, city_values, contact=contact(who))
    for school in who.registry:
        sd = _find(prev, school) if prev else None
        if sd is None:
            new.schools.append(SchoolBook(school, {}, {}))
        else:
            values, lists = carry_school(sd, cat)
            new.schools.append(SchoolBook(school, values, lists, sd.file))
    return new


def notes(new: NewYear, book: SchoolBook) -> list[str]:
    """Lines for the 填表说明 sheet saying what was carried into this workbook."""
    if book.source is None:
        return [f"“{new.year - 1} 年（上年）”列没有可结转的数据，请按上年报告填写。"]
    return [
        f"“{new.year - 1} 年（上年）”列已由编制组从贵校 {new.source} 年数据表的“本年”列结转；"
        "如需更正请直接修改并告知编制组（检查时会列出与去年填报不一致之处）。",
        "“专业设置”表已列出上年的专业（代码、名称、设置时间），班级数和人数已清空："
        "请逐行填写本年数字，并在“专业调整情况”中选择未调、新增、调整或停办"
        "（上年已停办的专业已选“停办”）；新开专业请在表末添加一行。",
        "案例、图片不结转，请填写本年的案例和图片。",
    ]


@dataclass(frozen=True)
class Outcome:
    """One file or folder of the new year: ``written`` False means it was kept."""

    rel: str
    written: bool


def refuse_bad_registry(issues: Sequence[Issue]) -> None:
    """Stop before anything is written when the registry (学校名册) has an error:
    a school whose 简称 cannot be a file name, or a row without its names."""
    bad = [i for i in issues if i.is_error and i.loc.sheet == L.REGISTRY_SHEET]
    if bad:
        lines = "\n".join(f"  {i.loc} {i.message}" for i in bad)
        raise InputError(f"学校名册有误，没有写入任何文件；请改正后再运行：\n{lines}")


def school_file(folder: Path, school: School) -> Path | None:
    """The school's file in ``folder`` under any of its names (even a .xls), if there is one."""
    names = set(school.names())
    return next((p for p in school_files(folder) if p.stem.strip() in names), None)


def missing(folder: Path, registry: Sequence[School]) -> bool:
    """True when the city workbook or any school's workbook is not yet in ``folder``."""
    if not (folder / L.CITY_FILE).exists():
        return True
    return any(school_file(folder, s) is None for s in registry)


@dataclass(frozen=True)
class Chapters:
    """The chapters with room for cases and photos: the city template's, and those of
    either template (a school's cases may go into both reports)."""

    city: tuple[Section, ...] = ()
    any: tuple[Section, ...] = ()


def chapters(templates: Path) -> Chapters:
    """The chapters of the templates in ``templates`` (none when the folder is missing)."""
    from docxreport.checks.templatesections import template_sections  # reads .docx

    city, school = templates / L.CITY_TEMPLATE, templates / L.SCHOOL_TEMPLATE
    return Chapters(tuple(template_sections([city])), tuple(template_sections([city, school])))


def carry_catalog(inputs: Path, source: int | None, year: int) -> list[Outcome]:
    """Copy the region's catalog file of ``source`` into the new year, unless it has one."""
    new = inputs / str(year) / REGION_FILE
    if new.exists():
        return [Outcome(REGION_FILE, False)]
    old = inputs / str(source) / REGION_FILE if source is not None else None
    if old is None or not old.is_file():
        return []
    return [Outcome(REGION_FILE, copy_atomically(old, new, new.parent))]


def write_missing(
    folder: Path, cat: Catalog, new: NewYear, sections: Chapters | None = None
) -> list[Outcome]:
    """Write every workbook of ``new`` that is not in ``folder`` yet; keep the others.
    ``sections`` become the 章节 drop-down of the 案例 and 图片 sheets.

    Each file is created exclusively (see :mod:`docxreport.atomic`): one that appears
    meanwhile is kept too. A school's file must be a plain name in 学校/.
    """
    sections = sections or Chapters()
    out = []
    from docxreport.workbook.write import write_city, write_school  # openpyxl: only to write

    city_path = folder / L.CITY_FILE
    written = not city_path.exists() and write_city(
        city_path,
        cat,
        new.city,
        new.year,
        new.city_values,
        within=folder,
        exclusive=True,
        sections=sections.city,
    )
    out.append(Outcome(L.CITY_FILE, written))
    for book in new.schools:
        found = school_file(folder, book.school)
        if found is not None:
            out.append(Outcome(f"{L.SCHOOL_DIR}/{found.name}", False))
            continue
        problem = L.short_name_problem(book.school.short)
        if problem is not None:  # the registry's reader refuses these; never a path
            raise InputError(f"学校名册中的简称“{book.school.short}”不能用作文件名：{problem}")
        written = write_school(
            folder / L.SCHOOL_DIR / book.school.filename,
            cat,
            book.school,
            new.year,
            book.values,
            book.lists,
            contact=new.contact,
            notes=notes(new, book),
            sections=sections.any,
            within=folder / L.SCHOOL_DIR,
            exclusive=True,
        )
        out.append(Outcome(f"{L.SCHOOL_DIR}/{book.school.filename}", written))
    photos = folder / L.PHOTO_DIR
    out.append(Outcome(f"{L.PHOTO_DIR}/", not photos.is_dir()))
    photos.mkdir(parents=True, exist_ok=True)
    return out
