"""The small workbook embedded in every chart, so that Word's and WPS's 编辑数据 opens it.

The layout is the one Word itself writes and the chart XML refers to: on ``Sheet1``, the
series names across row 1 from B1, the categories down column A from A2, and the
values below each series name.

A build writes one workbook per chart, so it does not go through openpyxl: it fills the
sheet, number format and dates of ``chart.xlsx``, the empty workbook openpyxl writes
(:func:`template_workbook` makes it again), and gets the workbook openpyxl would write.
Refresh, which must keep whatever staff added to a workbook, reads and writes it with
openpyxl.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from lxml import etree

from docxreport.workbook.cells import column_letter
from docxreport.workbook.textcells import keep_text

SHEET = "Sheet1"
TEMPLATE = Path(__file__).with_name("chart.xlsx")
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHEET_PART, _STYLES_PART, _CORE_PART = (
    "xl/worksheets/sheet1.xml",
    "xl/styles.xml",
    "docProps/core.xml",
)
_TERMS = "http://purl.org/dc/terms/"
# openpyxl's ids of Excel's built-in number formats (the others are numbered from 164)
_BUILTIN_FORMATS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
}
_FIRST_CUSTOM_FORMAT = 164
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def write_chart_workbook(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    number_format: str = "General",
) -> bytes:
    """An .xlsx holding ``series`` (name, values) against ``categories``."""
    styled = number_format != "General"
    filled = {
        _SHEET_PART: _sheet_xml(categories, series, styled),
        _STYLES_PART: _styles_xml(number_format),
        _CORE_PART: _core_xml(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, blob in _template_parts():
            package.writestr(name, filled.get(name, blob))
    return out.getvalue()


@lru_cache(maxsize=1)
def _template_parts() -> tuple[tuple[str, bytes], ...]:
    with zipfile.ZipFile(TEMPLATE) as package:
        return tuple((name, package.read(name)) for name in package.namelist())


def _part(name: str) -> etree._Element:
    return etree.fromstring(dict(_template_parts())[name])


def _cell(row: etree._Element, ref: str, value: str | float | None, styled: bool) -> None:
    """A cell as openpyxl writes it: text inline, numbers as ``%.16g``."""
    cell = etree.SubElement(row, f"{{{_NS}}}c", r=ref)
    if isinstance(value, str):
        cell.set("t", "inlineStr")
        if value:
            text = etree.SubElement(etree.SubElement(cell, f"{{{_NS}}}is"), f"{{{_NS}}}t")
            if value != value.strip():
                text.set(_XML_SPACE, "preserve")
            text.text = value
        return
    if styled:
        cell.set("s", "1")
    cell.set("t", "n")
    if value is not None:
        etree.SubElement(cell, f"{{{_NS}}}v").text = f"{value:.16g}"


def _sheet_xml(
    categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], styled: bool
) -> bytes:
    root = _part(_SHEET_PART)
    data = root.find(f"{{{_NS}}}sheetData")
    rows: dict[int, list[tuple[int, str | float | None]]] = {}
    for r, category in enumerate(categories, start=2):
        rows.setdefault(r, []).append((1, category))
    for c, (name, values) in enumerate(series, start=2):
        rows.setdefault(1, []).append((c, name))
        for r, value in enumerate(values, start=2):
            rows.setdefault(r, []).append((c, value))
    for r in sorted(rows):
        row = etree.SubElement(data, f"{{{_NS}}}row", r=str(r))
        for c, value in sorted(rows[r], key=lambda cell: cell[0]):
            _cell(row, f"{column_letter(c)}{r}", value, styled and not isinstance(value, str))
    if rows:
        columns = [c for cells in rows.values() for c, _ in cells]
        first, last = (
            f"{column_letter(min(columns))}{min(rows)}",
            f"{column_letter(max(columns))}{max(rows)}",
        )
        root.find(f"{{{_NS}}}dimension").set("ref", f"{first}:{last}")
    width = max([10, *(2 * len(c) + 2 for c in categories)])
    cols = etree.Element(f"{{{_NS}}}cols")
    etree.SubElement(cols, f"{{{_NS}}}col", width=str(width), customWidth="1", min="1", max="1")
    data.addprevious(cols)
    return etree.tostring(root)


@lru_cache(maxsize=8)
def _styles_xml(number_format: str) -> bytes:
    """The template's styles, with a second cell format showing ``number_format``."""
    root = _part(_STYLES_PART)
    if number_format == "General":
        return etree.tostring(root)
    fmt_id = _BUILTIN_FORMATS.get(number_format)
    if fmt_id is None:
        fmt_id = _FIRST_CUSTOM_FORMAT
        formats = root.find(f"{{{_NS}}}numFmts")
        etree.SubElement(
            formats, f"{{{_NS}}}numFmt", numFmtId=str(fmt_id), formatCode=number_format
        )
        formats.set("count", "1")
    xfs = root.find(f"{{{_NS}}}cellXfs")
    xf = etree.fromstring(etree.tostring(xfs[0]))
    xf.set("numFmtId", str(fmt_id))
    xfs.append(xf)
    xfs.set("count", "2")
    return etree.tostring(root)


def _core_xml(stamp: str) -> bytes:
    root = _part(_CORE_PART)
    for name in ("created", "modified"):
        root.find(f"{{{_TERMS}}}{name}").text = stamp
    return etree.tostring(root)


def template_workbook() -> bytes:
    """``chart.xlsx``: the empty chart workbook, as openpyxl writes it."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = SHEET
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def update_chart_workbook(
    blob: bytes,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    number_format: str = "General",
) -> bytes:
    """The embedded workbook ``blob`` with the chart's cells rewritten; other sheets,
    cells and the staff's formatting elsewhere stay."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(blob))
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    width = max(ws.max_column, len(series) + 1)
    height = max(ws.max_row, len(categories) + 1)
    for row in ws.iter_rows(min_row=1, max_row=height, max_col=width):
        for cell in row:
            cell.value = None
    fill_sheet(ws, categories, series, number_format)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fill_sheet(ws, categories, series, number_format: str) -> None:  # type: ignore[no-untyped-def]
    for r, category in enumerate(categories, start=2):
        keep_text(ws.cell(r, 1, category))
    for c, (name, values) in enumerate(series, start=2):
        keep_text(ws.cell(1, c, name))
        for r, value in enumerate(values, start=2):
            cell = ws.cell(r, c, value)
            cell.number_format = number_format
    ws.column_dimensions["A"].width = max([10, *(2 * len(c) + 2 for c in categories)])


def read_chart_workbook(blob: bytes) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
    """(categories, [(series name, values)…]) of an embedded chart workbook."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(blob), data_only=True)
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    if not rows:
        return [], []
    categories = [str(r[0]) for r in rows[1:] if r and r[0] is not None]
    series = []
    for c, name in enumerate(rows[0][1:], start=1):
        if name is None:
            continue
        values = [r[c] if c < len(r) else None for r in rows[1 : len(categories) + 1]]
        series.append((str(name), [None if v is None else float(v) for v in values]))
    return categories, series
