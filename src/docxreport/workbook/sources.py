"""Write ``数据来源.xlsx``: one row for every figure printed in any report."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from docxreport.files import write_atomically
from docxreport.ledger import Entry

HEADERS = ("报告", "表格或段落", "行", "列", "印出的数值", "来源（单元格或汇总规则）")
WIDTHS = (18, 22, 30, 16, 14, 90)


def read_rows(path: Path) -> list[tuple]:
    """The rows of an existing listing (without its header); [] when there is none."""
    if not path.is_file():
        return []
    try:
        ws = load_workbook(path, read_only=True).active
        return [tuple(row) for row in ws.iter_rows(min_row=2, values_only=True) if any(row)]
    except Exception:  # an unreadable listing is rebuilt from the reports refreshed
        return []


def write_rows(path: Path, rows: Iterable[tuple]) -> int:
    """Write listing rows as they are (报告, 表格或段落, 行, 列, 印出的数值, 来源)."""
    return _write(path, rows)


def write_sources(path: Path, entries: Iterable[Entry]) -> int:
    """Write the listing with filters and frozen headers; return the number of rows."""
    return _write(
        path, ((e.report, e.place, e.row, e.column, e.printed, e.source) for e in entries)
    )


def _write(path: Path, rows: Iterable[tuple]) -> int:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据来源"
    ws.append(HEADERS)
    for cell, width in zip(ws[1], WIDTHS, strict=True):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[cell.column_letter].width = width
    count = 0
    for row in rows:
        ws.append(tuple(row))
        ws.cell(row=ws.max_row, column=6).alignment = Alignment(wrap_text=False)
        count += 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{max(ws.max_row, 1)}"
    write_atomically(lambda tmp: wb.save(tmp), path)
    return count
