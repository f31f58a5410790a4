"""The receipt and reminder list (收表登记.xlsx): written with openpyxl, read back by cells.

Two sheets, both printable like the other workbooks (:mod:`.printing`):

- 收表登记: every file received, one row each, kept across runs;
- 催报: the schools to phone, rewritten each run; a 备注 typed by staff stays with its school.

Every text cell is stored as text: a school's file name or contact such as
``=HYPERLINK(…)`` or ``+86…`` never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from docxreport.atomic import write_atomically
from docxreport.normalize import cell_text
from docxreport.workbook.printing import fit_row_heights, set_up_printing
from docxreport.workbook.read import open_book
from docxreport.workbook.textcells import keep_text

RECEIPTS, REMINDERS = "收表登记", "催报"
NOTE = "备注"
RECEIPT_HEADERS = (
    "收到时间",
    "来源文件",
    "类型",
    "学校",
    "工作簿保存时间",
    "版本",
    "状态",
    "说明",
    "存放位置",
    "内容校验",
    NOTE,
)
RECEIPT_WIDTHS = (16, 28, 6, 9, 16, 13, 14, 30, 20, 13, 12)
REMINDER_HEADERS = (
    "序号",
    "学校",
    "学校全称",
    "情况",
    "错误",
    "空白待补",
    "联系人",
    "联系电话",
    "联系方式来源",
    "最近收到",
    NOTE,
)
REMINDER_WIDTHS = (6, 10, 28, 14, 6, 9, 10, 15, 13, 16, 20)
_FILL = PatternFill("solid", fgColor="DDEBF7")

Row = tuple[object, ...]


def read_rows(path: Path) -> tuple[dict[str, list[dict[str, str]]], str]:
    """The rows of an earlier list by sheet, each a dict by header; or why it cannot be read.

    A missing file gives no rows and no problem.
    """
    if not path.is_file():
        return {}, ""
    book, issues = open_book(path, path.name)
    if book is None:
        return {}, issues[0].message if issues else "无法读取"
    out: dict[str, list[dict[str, str]]] = {}
    for sheet, headers in ((RECEIPTS, RECEIPT_HEADERS), (REMINDERS, REMINDER_HEADERS)):
        if sheet not in book.values.sheetnames:
            return {}, f"没有“{sheet}”工作表，不是本工具写的收表登记"
        ws = book.values[sheet]
        found = [
            cell_text(ws.cell(row=1, column=c).value) or "" for c in range(1, ws.max_column + 1)
        ]
        if tuple(found[: len(headers)]) != headers:
            return {}, f"“{sheet}”表的表头被改动，不是本工具写的收表登记"
        rows = []
        for r in range(2, ws.max_row + 1):
            values = [as_text(ws.cell(row=r, column=c).value) for c in range(1, len(headers) + 1)]
            if any(values):
                rows.append(dict(zip(headers, values, strict=True)))
        out[sheet] = rows
    return out, ""


def as_text(value: object) -> str:
    """A cell as the text it shows (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(value) or str(value)


def write_register(
    path: Path, title: str, receipts: Sequence[Row], reminders: Sequence[Row]
) -> None:
    """Write both sheets to ``path`` (atomically); ``title`` heads every printed page."""
    wb = Workbook()
    _table(wb.active, RECEIPTS, RECEIPT_HEADERS, RECEIPT_WIDTHS, receipts, wrap=(2, 7, 8, 9))
    _table(wb.create_sheet(), REMINDERS, REMINDER_HEADERS, REMINDER_WIDTHS, reminders, wrap=(4, 11))
    if not reminders:
        wb[REMINDERS].append(["", "各校都已交表，且工作簿没有错误"])
    for ws in wb.worksheets:
        fit_row_heights(ws)
        set_up_printing(ws, title)
    write_atomically(lambda tmp: wb.save(tmp), path, path.parent)


def _table(
    ws: Worksheet,
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Row],
    wrap: Sequence[int],
) -> None:
    ws.title = title
    ws.append(list(headers))
    for col, (cell, width) in enumerate(zip(ws[1], widths, strict=True), start=1):
        cell.font, cell.fill = Font(bold=True), _FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            keep_text(cell)  # "=…" stays the text it is
            cell.alignment = Alignment(vertical="top", wrap_text=c in wrap)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(2, ws.max_row)}"
