"""Load one year's inputs: read every workbook, validate, and roll up.

This is the edge where files are found; everything after it works on plain data.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from docxreport import layout as L
from docxreport import photos
from docxreport.catalog import DEFAULT_PROVINCE, Catalog, checked, default_catalog, shipped_data
from docxreport.checks.confirmation import Confirmation, confirmations
from docxreport.checks.history import carried_city, check_history, compare_city
from docxreport.checks.progress import check_city_blank
from docxreport.checks.values import check_dataset, check_school
from docxreport.errors import CatalogError, InputError
from docxreport.issues import Issue, Report, error, warning
from docxreport.model import (
    PENDING,
    PERIODS,
    CityData,
    Dataset,
    Location,
    School,
    SchoolData,
    Value,
)
from docxreport.page import MAX_PHOTO_HEIGHT_MM, TEXT_WIDTH_MM
from docxreport.regional import REGION_FILE, merge, summary
from docxreport.rollup import roll_up
from docxreport.selection import Selection, select
from docxreport.selection.limits import selection_issues
from docxreport.workbook import read_city, read_province, read_school
from docxreport.workbook.identify import SCHOOL, identify

BACKUP_MARK = ".备份-"  # <简称>.备份-<日期时间>.xlsx, the naming of every backup


def year_folders(inputs: Path) -> list[int]:
    if not inputs.is_dir():
        return []
    return sorted(
        int(p.name) for p in inputs.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)
    )


def resolve_year(inputs: Path, year: int | None) -> int:
    """The requested year, or the newest year folder under ``inputs``."""
    first = "第一次为本地区编制报告时，先运行 docxreport new 年度（如 docxreport new 2025）"
    if not inputs.is_dir():
        raise InputError(f"找不到输入文件夹 {inputs}。{first}")
    years = year_folders(inputs)
    if year is None:
        if not years:
            raise InputError(f"{inputs} 下没有年度文件夹（如 {inputs}/2024）。{first}")
        return years[-1]
    if year not in years:
        raise InputError(
            f"找不到 {inputs / str(year)}；已有年度：{'、'.join(map(str, years)) or '无'}"
        )
    return year


@dataclass
class Loaded:
    """One year as read: ``data`` None when an error stops the build.

    ``schools`` are the workbooks that could be read and ``files`` each found
    school's workbook (short name → path relative to the year folder), errors or not.
    """

    data: Dataset | None
    report: Report
    folder: Path
    city: CityData | None = None  # read even when the year has errors
    schools: list[SchoolData] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    pending: list[School] = field(default_factory=list)  # a draft's schools still to come
    confirmations: list[Confirmation] = field(default_factory=list)
    selection: Selection | None = None  # the city report's cases and photos (遴选)


def school_files(folder: Path) -> list[Path]:
    """The school workbooks, ignoring Excel/WPS lock files, hidden temporaries and backups."""
    sdir = folder / L.SCHOOL_DIR
    if not sdir.is_dir():
        return []
    return sorted(
        p
        for p in sdir.iterdir()
        if p.is_file()
        and not p.name.startswith(("~$", ".~", "."))
        and BACKUP_MARK not in p.name  # an earlier version kept by collect or by hand
        and p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".csv", "")
    )


def _misnamed(path: Path, rel: str, city: CityData, cat: Catalog) -> tuple[School | None, str]:
    """Whose workbook a file of an unknown name is, by its content, and what to do about it."""
    try:
        ident = identify(path.read_bytes(), rel, cat)
    except OSError:
        return None, ""
    if ident.kind != SCHOOL:
        return None, ""
    named = [s for s in map(city.school, (ident.school, ident.full)) if s is not None]
    if not named:
        return None, ""
    school, year = named[0], ident.year_text or "（未标年度）"
    said = f"；从内容看这是“{school.short}”的 {year} 年度工作簿"
    if (path.parent / school.filename).is_file():
        return school, (
            f"{said}，而 {L.SCHOOL_DIR}/{school.filename} 也已存在：请运行 docxreport collect "
            f"{path}（按保存时间把较新的一份放在 {school.filename}，另一份存为备份）"
        )
    return school, f"{said}：请运行 docxreport collect {path}，或把文件改名为 {school.filename}"


def _match_schools(
    city: CityData, files: list[Path], cat: Catalog
) -> tuple[list[tuple[Path, object]], list[Issue]]:
    issues: list[Issue] = []
    matched, seen, found = [], {}, {}
    for path in files:
        rel = f"{L.SCHOOL_DIR}/{path.name}"
        school = city.school(path.stem)
        if school is None:
            names = "、".join(s.short for s in city.registry)
            whose, hint = _misnamed(path, rel, city, cat)
            if whose is not None:
                found.setdefault(whose.short, rel)
            issues.append(
                error(Location(rel), f"文件名“{path.stem}”不是名册中的学校（{names}）{hint}")
            )
            continue
        if school.short in seen:
            other = path.parent / Path(seen[school.short]).name
            odd = other if path.stem == school.short else path  # the one not named by 简称
            issues.append(
                error(
                    Location(rel),
                    f"与 {seen[school.short]} 是同一所学校（{school.short}），只能保留一个；"
                    f"运行 docxreport collect {odd} 可按保存时间保留较新的一份，另一份存为备份",
                )
            )
            continue
        seen[school.short] = rel
        matched.append((path, school))
    for school in city.registry:
        if school.short not in seen:
            loc = Location(f"{L.SCHOOL_DIR}/{school.filename}")
            there = f"；{found[school.short]} 从内容看就是它" if school.short in found else ""
            issues.append(error(loc, f"缺少“{school.full}”的工作簿{there}"))
    return matched, issues


def _check_photos(data: Dataset, folder: Path) -> list[Issue]:
    """Each named photo exists, is an image staff's formats allow, and is sharp enough to print."""
    issues = []
    photo_dir = folder / L.PHOTO_DIR
    rows = [r for sd in data.schools for r in sd.lists.get("photos", [])]
    rows += data.city.lists.get("photos", [])
    for row in rows:
        cell = row.get("file")
        if cell is None or cell.empty:
            continue
        name = f"{L.PHOTO_DIR}/{cell.value}"
        path = L.photo_path(photo_dir, str(cell.value))
        if path is None:
            issues.append(error(cell.loc, f"“{cell.value}”{L.PHOTO_OUTSIDE}"))
            continue
        if not path.is_file():
            issues.append(warning(cell.loc, f"找不到图片文件 {name}，报告中将以占位框代替"))
            continue
        try:
            info = photos.verify(path)
        except photos.PhotoError as exc:
            issues.append(error(cell.loc, f"{name} {exc}"))
            continue
        width_mm, _ = photos.placed_size(info, TEXT_WIDTH_MM, MAX_PHOTO_HEIGHT_MM)
        ppi = info.ppi(width_mm)
        if ppi < photos.MIN_PPI:
            issues.append(
                warning(
                    cell.loc,
                    f"{name} 只有 {info.width}×{info.height} 像素，按 {width_mm:.0f} 毫米宽印出"
                    f"约 {ppi:.0f} ppi（低于 {photos.MIN_PPI}），印刷会模糊；请换用原图",
                )
            )
    return issues


def _city_history(inputs: Path, year: int, city: CityData, cat: Catalog) -> list[Issue]:
    """The city's 上年 column against what last year's inputs make its report print.

    Problems of last year's workbooks are not reported here: ``check --year`` of
    that year lists them, and nothing is compared when they stop its build.
    """
    if year - 1 not in year_folders(inputs):
        return []
    try:
        last_cat = region_catalog(inputs, year - 1)  # last year's workbooks, by its catalog
    except CatalogError:
        return []  # check --year of that year says what is wrong
    last = load_year(inputs, year - 1, last_cat, history=False)
    if last.data is None:
        return []
    return list(compare_city(city, carried_city(last.data, cat), year - 1, cat))


def _waiting_for(
    city: CityData, schools: list[SchoolData], files: dict[str, str], report: Report, cat: Catalog
) -> tuple[list[SchoolData], list[School]]:
    """A draft's schools: those without errors as read, the others all 【待补】."""
    bad = {i.loc.file for i in report.errors}
    ready = [sd for sd in schools if sd.file not in bad]
    have = {sd.school.short for sd in ready}
    pending = [s for s in city.registry if s.short not in have]
    for school in pending:
        rel = files.get(school.short, f"{L.SCHOOL_DIR}/{school.filename}")
        values = {
            (ind.key, period): Value(PENDING, Location(rel))
            for ind in cat.indicators
            for period in PERIODS
        }
        ready.append(SchoolData(school=school, file=rel, year=city.year, values=values))
    ready.sort(key=lambda s: s.school.order)
    return ready, pending


def _draftable(report: Report) -> bool:
    """A draft can be built when every error lies in a school's workbook (or its absence)."""
    return all(i.loc.file.startswith(f"{L.SCHOOL_DIR}/") for i in report.errors)


def region_catalog(inputs: Path, year: int | None, carried_from: int | None = None) -> Catalog:
    """The catalog of the region for ``year``: the shipped one in the region's words (its city
    workbook's 省级称谓, 省级 when unset), with the year's ``指标目录.xlsx`` laid over it.

    ``carried_from`` is the year ``init`` carries from: its city workbook and catalog file
    stand in for those ``year`` does not have yet. A missing or unreadable city workbook
    gives the shipped wording (the check reports its problems); a region catalog with
    problems raises :class:`CatalogError`, listing them all.
    """
    try:
        year = resolve_year(inputs, year)
    except InputError:
        if year is None or carried_from is None:
            return default_catalog()
    years = (year, carried_from) if carried_from is not None else (year,)
    city = next((c for y in years if (c := inputs / str(y) / L.CITY_FILE).is_file()), None)
    province = (read_province(city).strip() if city else "") or DEFAULT_PROVINCE
    found = next((f for y in years if (f := catalog_file(inputs, y))), None)
    return with_region(province, found) if found else default_catalog(province)


def catalog_file(inputs: Path, year: int) -> Path | None:
    """The region's catalog file of ``year``, when the year folder has one."""
    path = inputs / str(year) / REGION_FILE
    return path if path.is_file() else None


_regions: dict[tuple[str, bytes], Catalog] = {}  # the region catalogs read, by content


def with_region(province: str, path: Path) -> Catalog:
    """The shipped catalog with the region's file laid over it; each content read once."""
    from docxreport.workbook.regionbook import read_region

    data = path.read_bytes()
    key = (province, hashlib.sha256(data).digest())
    if key not in _regions:
        shipped = shipped_data(province)
        region = read_region(path, f"{path.parent.name}/{path.name}", shipped)
        if region.empty:
            _regions[key] = default_catalog(province)
        else:
            merged = merge(shipped, region)
            cat = checked(merged.data, str(path), merged.problems, merged.where)
            _regions[key] = replace(cat, region=f"{path}：{summary(region, shipped)}")
    return _regions[key]


def city_registry(inputs: Path, year: int | None, cat: Catalog) -> list[School] | None:
    """The city workbook's 学校名册, or None when it cannot be read (the check says why)."""
    try:
        year = resolve_year(inputs, year)
    except InputError:
        return None
    path = inputs / str(year) / L.CITY_FILE
    city = read_city(path, L.CITY_FILE, cat, year)[0] if path.is_file() else None
    return city.registry if city is not None else None


def load_year(
    inputs: Path, year: int | None, cat: Catalog, history: bool = True, draft: bool = False
) -> Loaded:
    """Read, validate and roll up one year. Data problems go into the report.

    ``history`` False skips the comparisons with the year before. ``draft`` builds
    the dataset even when school workbooks are missing or have errors: their
    figures, and every city figure computed from them, become 【待补】.
    """
    year = resolve_year(inputs, year)
    folder = inputs / str(year)
    report = Report()
    city_path = folder / L.CITY_FILE
    if not city_path.is_file():
        report.extend([error(Location(L.CITY_FILE), "缺少市级数据表")])
        return Loaded(None, report, folder)
    city, found = read_city(city_path, L.CITY_FILE, cat, year)
    report.extend(found)
    if city is None or not city.registry:
        if city is not None:
            report.extend([error(Location(L.CITY_FILE, L.REGISTRY_SHEET), "学校名册为空")])
        return Loaded(None, report, folder, city)
    report.extend(check_city_blank(city, cat))
    matched, found = _match_schools(city, school_files(folder), cat)
    report.extend(found)
    files = {school.short: f"{L.SCHOOL_DIR}/{path.name}" for path, school in matched}
    schools: list[SchoolData] = []
    for path, school in matched:
        sd, found = read_school(path, f"{L.SCHOOL_DIR}/{path.name}", cat, school, year)
        report.extend(found)
        if sd is not None:
            report.extend(check_school(sd, cat))
            schools.append(sd)
    if history:
        report.extend(check_history(inputs, year, schools, cat))
        report.extend(_city_history(inputs, year, city, cat))
    confirmed, found = confirmations(city, schools)
    report.extend(found)
    schools.sort(key=lambda s: s.school.order)
    selection = select(city, schools)
    report.extend(selection_issues(selection, city.file))
    read, pending = schools, []
    if not report.valid:
        if not (draft and _draftable(report)):
            return Loaded(None, report, folder, city, read, files, [], confirmed, selection)
        schools, pending = _waiting_for(city, read, files, report, cat)
    errors = len(report.errors)
    data = Dataset(year=year, city=city, schools=schools, selection=selection)
    report.extend(roll_up(data, cat))
    report.extend(check_dataset(data, cat))
    report.extend(_check_photos(data, folder))
    usable = len(report.errors) == errors  # the checks of the whole year found no error
    return Loaded(
        data if usable else None, report, folder, city, read, files, pending, confirmed, selection
    )
