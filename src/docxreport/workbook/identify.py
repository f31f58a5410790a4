"""What a workbook is, from its content alone: whose, which year, which version.

A returned workbook keeps whatever name its sender gave it (``附件1.xlsx``), so its
identity is read from inside: the structure says whether it is one of ours (a
基本信息 sheet and indicator sheets with the key column), 基本信息 says which school
and year, the cells give its version fingerprint and docProps its saved time.
Reading goes through :mod:`.read`, with the guards of :mod:`.guard`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.normalize import cell_text, parse_year
from docxreport.workbook.cells import Cells
from docxreport.workbook.confirmed import content_digest
from docxreport.workbook.read import open_data

SCHOOL, CITY, OTHER, UNREADABLE = "school", "city", "other", "unreadable"
_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>\s*([^<\s]+)\s*<")
_INFO_ROWS = 60  # 基本信息 has a handful of rows; a label further down is not ours


@dataclass(frozen=True)
class Identity:
    """Who a workbook belongs to, as it says itself; ``problem`` when it cannot say.

    ``photos`` are the file names its 图片 sheet lists, with the cell of each.
    """

    kind: str
    problem: str = ""
    school: str = ""  # 学校（简称） as stamped
    full: str = ""  # 学校全称 as stamped
    year: int | None = None
    year_text: str = ""
    contact: str = ""
    phone: str = ""
    digest: str = ""
    saved: datetime | None = None
    photos: tuple[tuple[str, str], ...] = ()


def saved_time(data: bytes) -> datetime | None:
    """The workbook's own last-saved time (docProps/core.xml ``dcterms:modified``), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo("docProps/core.xml")
            if info.file_size > 2**20:
                return None
            found = _MODIFIED.search(package.read(info))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    if not found:
        return None
    try:
        stamp = datetime.fromisoformat(found.group(1).decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone().replace(tzinfo=None)  # local time, as the user reads it
    return stamp


def macro_enabled(data: bytes) -> bool:
    """Whether a workbook package carries macros (an .xlsm): it cannot be kept as .xlsx."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "xl/vbaProject.bin" in names or b"macroEnabled" in types


def _info(cells: Cells) -> dict[str, object] | None:
    """基本信息 by field key, or None when the sheet is not laid out as ours."""
    if L.INFO_SHEET not in cells.sheetnames:
        return None
    ws = cells[L.INFO_SHEET]
    heads = tuple(cell_text(ws.cell(row=1, column=c).value) for c in (1, 2))
    if heads != L.INFO_HEADERS:
        return None
    labels = {label: key for key, label in L.SCHOOL_INFO}
    out: dict[str, object] = {}
    for r in range(2, min(ws.max_row, _INFO_ROWS) + 1):
        key = labels.get(cell_text(ws.cell(row=r, column=1).value) or "")
        if key and key not in out:
            out[key] = ws.cell(row=r, column=2).value
    return out


def _indicator_sheets(cells: Cells, cat: Catalog) -> int:
    """How many of the school's indicator sheets are there with their key column."""
    found = 0
    for name, inds in L.school_sheets(cat):
        if name not in cells.sheetnames:
            continue
        ws = cells[name]
        if cell_text(ws.cell(row=1, column=1).value) != L.indicator_headers(0)[0]:
            continue
        keys = {i.key for i in inds}
        column = (cell_text(ws[f"{L.KEY_COL}{r}"].value) for r in range(2, ws.max_row + 1))
        if any(k in keys for k in column):
            found += 1
    return found


def _photos(cells: Cells, cat: Catalog) -> tuple[tuple[str, str], ...]:
    spec = cat.list("photos")
    if spec.sheet not in cells.sheetnames:
        return ()
    col = next((i for i, c in enumerate(spec.columns, start=1) if c.key == "file"), 0)
    if not col:
        return ()
    ws = cells[spec.sheet]
    out = []
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(row=r, column=col)
        name = cell_text(cell.value)
        if name:
            out.append((name, f"{spec.sheet}!{cell.coordinate}"))
    return tuple(out)


def identify(data: bytes, rel: str, cat: Catalog) -> Identity:
    """What the workbook in ``data`` is; never raises on bad input."""
    book, issues = open_data(data, rel)
    if book is None:
        return Identity(UNREADABLE, issues[0].message if issues else "无法读取")
    if macro_enabled(data):
        return Identity(
            UNREADABLE,
            "工作簿含有宏（.xlsm），请在 Excel/WPS 中另存为“Excel 工作簿 (*.xlsx)”后重新发送",
        )
    cells = book.values
    names = set(cells.sheetnames)
    if {L.REGISTRY_SHEET, L.CITY_VALUES_SHEET} <= names:
        return Identity(CITY, "这是市级数据表（编制组自己的工作簿），不是学校交回的数据表")
    info = _info(cells)
    if info is None or not _indicator_sheets(cells, cat):
        return Identity(
            OTHER,
            "不是本报告的学校数据表（没有“基本信息”表和带“指标代码”列的指标表）",
        )
    year_raw = info.get("year")
    return Identity(
        SCHOOL,
        school=cell_text(info.get("school")) or "",
        full=cell_text(info.get("school_full")) or "",
        year=parse_year(year_raw),
        year_text="" if year_raw is None else str(year_raw),
        contact=cell_text(info.get("contact")) or "",
        phone=cell_text(info.get("phone")) or "",
        digest=content_digest(cells),
        saved=saved_time(data),
        photos=_photos(cells, cat),
    )
