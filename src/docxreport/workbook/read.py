"""Reading workbooks: plain values tagged with file, sheet and cell.

Readers return the data plus the problems they met; they never raise on bad
input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docxreport import layout as L
from docxreport.catalog import Catalog, Indicator, ListSpec
from docxreport.issues import Issue, error, warning
from docxreport.model import (
    CityData,
    Location,
    Published,
    Row,
    School,
    SchoolData,
    TeamMember,
    Value,
)
from docxreport.normalize import cell_text, parse_date, parse_number, parse_year
from docxreport.workbook import guard
from docxreport.workbook.cells import Cells, unescape
from docxreport.workbook.cells import Sheet as Worksheet
from docxreport.workbook.confirmed import (
    confirmed_column,
    content_digest,
    header_column,
    read_confirmed,
)
from docxreport.workbook.package import Package, UnsafeXml
from docxreport.workbook.selection import read_choices, read_limits


@dataclass
class Book:
    """An opened workbook: its cells (cached values, formulas without one) and its label.

    ``expected`` names the sheets the reader looks for (for a hint when one was renamed);
    ``bad`` holds the cells whose value cannot be trusted, already reported.
    """

    rel: str
    values: Cells
    issues: list[Issue] = field(default_factory=list)
    expected: frozenset[str] = frozenset()
    bad: set[tuple[str, str]] = field(default_factory=set)
    _seen: set[str] = field(default_factory=set)
    _seen_merges: set[tuple[str, str]] = field(default_factory=set)

    def sheet(self, name: str) -> Worksheet | None:
        if name not in self.values.sheetnames:
            message = guard.missing_sheet(name, self.values.sheetnames, self.expected)
            self.issues.append(error(Location(self.rel, name), message))
            return None
        ws = self.values[name]
        if name not in self._seen:
            self._seen.add(name)
            for cell, message in guard.hidden_data(ws):
                self.issues.append(warning(self.loc(ws, cell), message))
        return ws

    def loc(self, ws: Worksheet, cell: str) -> Location:
        return Location(self.rel, ws.title, cell)

    def raw(self, ws: Worksheet, cell: str) -> object:
        """A cell's cached value; reports a merged cell or a formula that was never calculated."""
        merged = guard.merged_range_at(ws, cell)
        if merged:
            self.bad.add((ws.title, cell))
            if (ws.title, merged) not in self._seen_merges:
                self._seen_merges.add((ws.title, merged))
                self.issues.append(error(self.loc(ws, cell), guard.merged_message(merged)))
        value = ws[cell].value
        if isinstance(value, str):
            value = unescape(value)  # Excel writes control characters as _x0007_
        if value is None:
            formula = ws.uncalculated.get(cell)
            if formula is not None:
                self.bad.add((ws.title, cell))
                self.issues.append(
                    error(
                        self.loc(ws, cell),
                        f"公式 {formula} 没有计算结果（文件未在 Excel/WPS 中打开并保存过），"
                        "请打开后保存再提交",
                    )
                )
        return value

    def is_bad(self, ws: Worksheet, cell: str) -> bool:
        return (ws.title, cell) in self.bad


def open_book(
    path: Path, rel: str, expected: frozenset[str] = frozenset()
) -> tuple[Book | None, list[Issue]]:
    """Open ``path``; on failure return a located error instead of raising."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(Location(rel), f"无法读取文件：{exc.strerror}")]
    return open_data(data, rel, expected)


def open_data(
    data: bytes, rel: str, expected: frozenset[str] = frozenset()
) -> tuple[Book | None, list[Issue]]:
    """Open a workbook held in memory (a file received, a zip entry); errors as in :func:`open_book`."""
    loc = Location(rel)
    found = _parsed(data)
    if isinstance(found, list):
        if rel.lower().endswith(".xls"):  # not renamed: an old workbook saved as such
            found = [(s, guard.OLD_XLS if t == guard.RENAMED_XLS else t) for s, t in found]
        return None, [error(Location(rel, sheet) if sheet else loc, text) for sheet, text in found]
    return Book(rel, found, expected=expected), []


_Parsed = Cells | list[tuple[str, str]]
_recent: dict[bytes, _Parsed] = {}  # the last workbooks parsed, by content


def _parsed(data: bytes) -> _Parsed:
    """A workbook's cells, or its problems as (sheet, message).

    The last two are kept by content: the region's wording is read from the city workbook
    just before the whole year is, and a workbook is parsed once for both.
    """
    if data in _recent:
        return _recent[data]
    found = _parse_workbook(data)
    if len(_recent) >= 2:
        _recent.pop(next(iter(_recent)))
    _recent[data] = found
    return found


def parsed_cells(data: bytes) -> _Parsed:
    """A workbook's cells from its bytes, or its problems as (sheet, message)."""
    return _parsed(data)


def _parse_workbook(data: bytes) -> _Parsed:
    problem = guard.sniff(data)
    if problem:
        return [("", problem)]
    try:
        package = Package(data)
        oversized = guard.oversized_sheets(package)
        if oversized:
            return oversized
        return package.load()
    except Exception as exc:  # zipfile, lxml and number parsing raise many kinds on damaged files
        if guard.caused_by(exc, UnsafeXml):
            return [("", guard.UNSAFE_XML)]
        return [("", f"文件已损坏，无法作为 .xlsx 读取（{type(exc).__name__}）")]


def _check_headers(book: Book, ws: Worksheet, expected: tuple[str, ...]) -> bool:
    ok = True
    for col, want in enumerate(expected, start=1):
        cell = ws.cell(row=1, column=col)
        got = cell_text(cell.value) or ""
        if got != want:
            moved = "" if not ok else guard.moved_header_hint(ws, want, cell.coordinate)
            ok = False
            book.issues.append(
                error(
                    book.loc(ws, cell.coordinate),
                    f"表头应为“{want}”，实际为“{got}”；请勿移动或改写表头{moved}",
                )
            )
    return ok


def _keyed_rows(book: Book, ws: Worksheet) -> dict[str, int]:
    rows: dict[str, int] = {}
    for r in range(L.FIRST_ROW, ws.max_row + 1):
        key = cell_text(ws[f"{L.KEY_COL}{r}"].value)
        if not key:
            continue
        if key in rows:
            book.issues.append(error(book.loc(ws, f"A{r}"), f"指标代码 {key} 重复出现"))
        rows.setdefault(key, r)
    return rows


def read_value(book: Book, ws: Worksheet, cell: str, ind: Indicator) -> Value:
    """Read and normalise one indicator cell, reporting what is wrong with it."""
    loc = book.loc(ws, cell)
    raw = book.raw(ws, cell)
    flawed = book.is_bad(ws, cell)
    if not ind.numeric:
        return Value(cell_text(raw), loc, invalid=flawed)
    parsed = parse_number(raw, ind.kind, ws[cell].number_format)
    if parsed.error:
        book.issues.append(error(loc, parsed.error, ind.name))
    if parsed.warning:
        book.issues.append(warning(loc, parsed.warning, ind.name))
    held = raw if parsed.error else None
    return Value(parsed.value, loc, invalid=flawed or bool(parsed.error), held=held)


def _read_indicator_sheet(
    book: Book,
    ws: Worksheet,
    inds: list[Indicator],
    headers: tuple[str, ...],
    cols: dict[str, str],
    city: bool = False,
) -> dict[tuple[str, str], Value]:
    values: dict[tuple[str, str], Value] = {}
    if not _check_headers(book, ws, headers):
        return values
    rows = _keyed_rows(book, ws)
    known = {i.key for i in inds}
    for key, r in rows.items():
        if key not in known:
            book.issues.append(warning(book.loc(ws, f"A{r}"), f"未知的指标代码 {key}，已忽略"))
    for ind in inds:
        if ind.key not in rows:
            book.issues.append(_missing_row(book, ws, ind, city))
            continue
        for period, col in cols.items():
            values[(ind.key, period)] = read_value(book, ws, f"{col}{rows[ind.key]}", ind)
    return values


def _missing_row(book: Book, ws: Worksheet, ind: Indicator, city: bool) -> Issue:
    """A row the catalog has and the workbook lacks: made under an earlier catalog, or deleted.

    The city workbook's row of a figure computed from the schools only holds last year's
    published figure: without it that figure is blank, a warning. Any other row is an error.
    """
    add = (
        f"在表末加一行，A 列填 {ind.key}、B 列填“{ind.name}”，再填数"
        "（先在“审阅”中撤销工作表保护，没有密码）"
    )
    where = Location(book.rel, ws.title)
    text = f"缺少指标行（代码 {ind.key}）：工作簿可能是按较早的指标目录生成的；"
    if city and ind.city.rule != "given":
        return warning(
            where, text + f"上年的全市数按空白处理（报告中印“—”）；需要时{add}", ind.name
        )
    return error(where, text + "请" + add, ind.name)


def _read_list(book: Book, spec: ListSpec, year: int) -> list[Row]:
    ws = book.sheet(spec.sheet)
    if ws is None or not _check_headers(book, ws, L.list_headers(spec, year)):
        return []
    rows: list[Row] = []
    for r in range(2, ws.max_row + 1):
        row: Row = {}
        for c, col in enumerate(spec.columns, start=1):
            cell = ws.cell(row=r, column=c).coordinate
            loc = book.loc(ws, cell)
            raw = book.raw(ws, cell)
            flawed = book.is_bad(ws, cell)
            if col.kind == "text":
                row[col.key] = Value(cell_text(raw), loc, invalid=flawed)
                continue
            parsed = parse_number(raw, col.kind)
            if parsed.error:
                book.issues.append(error(loc, parsed.error, col.name))
            held = raw if parsed.error else None
            row[col.key] = Value(parsed.value, loc, flawed or bool(parsed.error), held)
        if any(not v.empty for v in row.values()):
            rows.append(row)
    return rows


def _read_info(book: Book, fields: tuple[tuple[str, str], ...]) -> dict[str, Value]:
    ws = book.sheet(L.INFO_SHEET)
    if ws is None or not _check_headers(book, ws, L.INFO_HEADERS):
        return {}
    by_label = {cell_text(ws[f"A{r}"].value): r for r in range(2, ws.max_row + 1)}
    info = {}
    for key, label in fields:
        r = by_label.get(label)
        if r is None and key in L.OPTIONAL_INFO:
            continue
        if r is None:
            book.issues.append(error(Location(book.rel, ws.title), f"缺少“{label}”一行"))
            continue
        info[key] = Value(book.raw(ws, f"B{r}"), book.loc(ws, f"B{r}"))
    return info


def read_school(
    path: Path, rel: str, cat: Catalog, school: School, year: int
) -> tuple[SchoolData | None, list[Issue]]:
    """Read one school's workbook; ``school`` is the registry slot it was found in."""
    sheets = [L.INFO_SHEET] + [name for name, _ in L.school_sheets(cat)]
    sheets += [cat.list(list_id).sheet for list_id in L.LIST_SHEETS.school]
    book, issues = open_book(path, rel, frozenset(sheets))
    if book is None:
        return None, issues
    data = SchoolData(school=school, file=rel, digest=content_digest(book.values))
    info = _read_info(book, L.SCHOOL_INFO)
    stamped = len(book.issues)
    _check_stamp(book, info, school, year)
    data.year = parse_year(info["year"].value) if "year" in info else None
    data.contact, data.phone = (
        cell_text(info[k].value) or "" if k in info else "" for k in ("contact", "phone")
    )
    if len(book.issues) > stamped:
        # Another school's or another year's workbook: its sheets would only add noise.
        return data, book.issues
    for sheet_name, inds in L.school_sheets(cat):
        ws = book.sheet(sheet_name)
        if ws is not None:
            data.values.update(
                _read_indicator_sheet(book, ws, inds, L.indicator_headers(year), L.PERIOD_COL)
            )
    for list_id in L.LIST_SHEETS.school:
        data.lists[list_id] = _read_list(book, cat.list(list_id), year)
    return data, book.issues


def _check_stamp(book: Book, info: dict[str, Value], school: School, year: int) -> None:
    if "school" in info:
        stamped = cell_text(info["school"].value)
        if not stamped:
            book.issues.append(error(info["school"].loc, "未填写学校名称"))
        elif stamped not in school.names():
            book.issues.append(
                error(
                    info["school"].loc,
                    f"此工作簿标注的学校是“{stamped}”，但文件放在“{school.short}”的位置；"
                    "请确认是否交错了文件",
                )
            )
    if "year" in info:
        stamped_year = parse_year(info["year"].value)
        if stamped_year != year:
            shown = info["year"].value if info["year"].value is not None else "（空）"
            book.issues.append(
                error(info["year"].loc, f"此工作簿标注的年度是 {shown}，应为 {year}")
            )


def read_city(path: Path, rel: str, cat: Catalog, year: int) -> tuple[CityData | None, list[Issue]]:
    """Read the bureau's workbook (市级.xlsx)."""
    sheets = [L.INFO_SHEET, L.TEAM_SHEET, L.REGISTRY_SHEET, L.CITY_VALUES_SHEET, L.PUBLISHED_SHEET]
    sheets += [cat.list(list_id).sheet for list_id in L.LIST_SHEETS.city]
    book, issues = open_book(path, rel, frozenset(sheets))
    if book is None:
        return None, issues
    city = CityData(file=rel)
    info = _read_info(book, L.CITY_INFO)
    _fill_city_info(book, city, info, year)
    city.limits = read_limits(book, info)
    city.team = _read_team(book)
    city.registry = _read_registry(book, city)
    ws = book.sheet(L.CITY_VALUES_SHEET)
    if ws is not None:
        cols = L.CITY_PERIOD_COL
        city.values = _read_indicator_sheet(
            book, ws, L.city_indicators(cat), L.city_value_headers(year), cols, city=True
        )
    city.published = _read_published(book, cat, year, city)
    for list_id in L.LIST_SHEETS.city:
        city.lists[list_id] = _read_list(book, cat.list(list_id), year)
    city.choices = read_choices(book)
    return city, book.issues


def read_province(path: Path) -> str:
    """The city workbook's 省级称谓 (its region's word for the province level), or "".

    Problems are left to :func:`read_city`, which reports them when the year is read.
    """
    book, _issues = open_book(path, L.CITY_FILE)
    if book is None or L.INFO_SHEET not in book.values.sheetnames:
        return ""
    info = _read_info(book, tuple(f for f in L.CITY_INFO if f[0] == "province"))
    return cell_text(info["province"].value) or "" if "province" in info else ""


def _fill_city_info(book: Book, city: CityData, info: dict[str, Value], year: int) -> None:
    text = {k: cell_text(v.value) or "" for k, v in info.items()}
    city.region, city.region_full = text.get("region", ""), text.get("region_full", "")
    city.code, city.bureau = text.get("code", ""), text.get("bureau", "")
    city.reviewers = text.get("reviewers", "")
    city.province = text.get("province", "")
    for key in ("region", "region_full", "bureau"):
        if key in info and not text[key]:
            book.issues.append(error(info[key].loc, "此项必填"))
    if "year" in info:
        city.year = parse_year(info["year"].value)
        if city.year != year:
            book.issues.append(
                error(info["year"].loc, f"市级数据表标注的年度是 {info['year'].value}，应为 {year}")
            )
    for key in ("declaration_date", "publish_date"):
        if key in info:
            parsed = parse_date(info[key].value)
            if info[key].value is not None and parsed is None:
                book.issues.append(
                    error(info[key].loc, f"“{info[key].value}”不是日期，请写成 2025年1月22日")
                )
            setattr(city, key, parsed)


def _table_rows(book: Book, sheet: str, headers: tuple[str, ...]) -> list[tuple[int, list]]:
    ws = book.sheet(sheet)
    if ws is None or not _check_headers(book, ws, headers):
        return []
    rows = []
    for r in range(2, ws.max_row + 1):
        cells = [book.raw(ws, ws.cell(row=r, column=c).coordinate) for c in range(1, 7)]
        if any(cell_text(c) for c in cells):
            rows.append((r, cells))
    return rows


def _read_team(book: Book) -> list[TeamMember]:
    members = []
    for _r, cells in _table_rows(book, L.TEAM_SHEET, L.TEAM_HEADERS):
        role, name, title = (cell_text(c) or "" for c in cells[:3])
        members.append(TeamMember(role, name, title))
    return members


def _read_registry(book: Book, city: CityData) -> list[School]:
    schools = []
    rows = _table_rows(book, L.REGISTRY_SHEET, L.REGISTRY_HEADERS)
    ws = book.values[L.REGISTRY_SHEET] if rows else None
    city.confirmed_column = confirmed_column(ws) if ws is not None else ""
    contacts = [header_column(ws, h) if ws is not None else "" for h in L.CONTACT_HEADERS]
    for r, cells in rows:
        short, full = cell_text(cells[1]) or "", cell_text(cells[2]) or ""
        if not short or not full:
            loc = Location(book.rel, L.REGISTRY_SHEET, f"{'B' if not short else 'C'}{r}")
            book.issues.append(error(loc, "学校简称和全称都必须填写"))
            continue
        problem = L.short_name_problem(short)
        if problem is not None:
            loc = Location(book.rel, L.REGISTRY_SHEET, f"B{r}")
            book.issues.append(error(loc, f"{problem}。{L.SHORT_NAME_RULE}"))
            continue
        aliases = tuple(a for a in re.split(r"[、,，;；\s]+", cell_text(cells[3]) or "") if a)
        schools.append(School(short, full, aliases, order=len(schools)))
        if city.confirmed_column:
            city.confirmed[short] = read_confirmed(book.rel, ws, city.confirmed_column, r)
        if ws is not None and any(contacts):
            city.contacts[short] = tuple(
                cell_text(ws[f"{c}{r}"].value) or "" if c else "" for c in contacts
            )
    return schools


def _read_published(book: Book, cat: Catalog, this_year: int, city: CityData) -> list[Published]:
    if L.PUBLISHED_SHEET not in book.values.sheetnames:
        return []  # optional sheet
    out = []
    for r, cells in _table_rows(book, L.PUBLISHED_SHEET, L.PUBLISHED_HEADERS):
        loc = Location(book.rel, L.PUBLISHED_SHEET, f"E{r}")
        table, key = cell_text(cells[0]) or "", cell_text(cells[1]) or ""
        if not cat.has(key):
            book.issues.append(
                error(Location(book.rel, L.PUBLISHED_SHEET, f"B{r}"), f"未知的指标代码“{key}”")
            )
            continue
        parsed = parse_number(cells[4], cat.indicator(key).kind)
        row_year = parse_year(cells[3])
        if parsed.error or parsed.value is None or row_year not in (this_year, this_year - 1):
            book.issues.append(
                error(loc, parsed.error or f"发布值缺失或年份不是 {this_year - 1}/{this_year}")
            )
            continue
        period = "curr" if row_year == this_year else "prev"
        named = cell_text(cells[2]) or ""
        school = city.school(named) if named else None
        if named and school is None:
            where = Location(book.rel, L.PUBLISHED_SHEET, f"C{r}")
            book.issues.append(error(where, f"学校“{named}”不在学校名册中"))
            continue
        out.append(
            Published(
                table,
                key,
                period,
                school.short if school else "",
                parsed.value,
                loc,
                cell_text(cells[5]) or "",
            )
        )
    return out
