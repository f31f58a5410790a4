"""Write ``数据来源.xlsx``: one row for every figure printed in any report."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from docxreport.atomic import write_atomically
from docxreport.ledger import Entry
from docxreport.workbook.package import Package

HEADERS = ("报告", "表格或段落", "行", "列", "印出的数值", "来源（单元格或汇总规则）")
WIDTHS = (18, 22, 30, 16, 14, 90)
Row = tuple[str, str, str, str, str, str]


def read_rows(path: Path) -> list[Row]:
    """The rows of an existing listing (without its header); [] when there is none."""
    if not path.is_file():
        return []
    try:
        ws = Package.read(path).load().worksheets[0]
        return [tuple(row) for row in ws.iter_rows(min_row=2, values_only=True) if any(row)]
    except Exception:  # an unreadable listing is rebuilt from the reports at hand
        return []


def row_of(e: Entry) -> Row:
    """One listing row as plain text (a report's entries travel and wait as these)."""
    return (e.report, e.place, e.row, e.column, e.printed, e.source)


def write_sources(path: Path, entries: Iterable[Entry | Row]) -> int:
    """Write the listing with filters and frozen headers; return the number of rows.

    Written in openpyxl's streaming mode: a province's listing has rows by the hundred
    thousand.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据来源")
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill = bold, fill
        header.append(cell)
    ws.append(header)
    count = 0
    for e in entries:
        ws.append(row_of(e) if isinstance(e, Entry) else e)
        count += 1
    ws.auto_filter.ref = f"A1:F{count + 1}"
    write_atomically(lambda tmp: wb.save(tmp), path)
    return count
