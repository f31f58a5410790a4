"""The workbook side of signed confirmations.

- :func:`content_digest`: the version fingerprint of a workbook, a SHA-256 over the
  value of every cell of every sheet. It changes when any value changes, and only
  then: opening a workbook and saving it again without an edit keeps it.
- :func:`read_confirmed`: the registry's optional 已确认版本 column, where the
  bureau records the fingerprint printed on the 数据确认表 a school signed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, time

from docxreport import layout as L
from docxreport.model import Location, Value
from docxreport.normalize import cell_text
from docxreport.workbook.cells import Cells, Sheet
from docxreport.workbook.cells import column_letter as get_column_letter


def _canonical(value: object) -> str | None:
    """One cell's value as text that is the same however the file was saved; None: empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return f"b:{value}"
    if isinstance(value, int | float):
        number = float(value)
        return f"n:{int(number)}" if number.is_integer() else f"n:{number!r}"
    if isinstance(value, datetime | date | time):
        return f"d:{value.isoformat()}"
    return f"s:{value}"


def content_digest(wb: Cells) -> str:
    """SHA-256 (hex) of every sheet's name and every non-empty cell's place and value.

    Sheets are taken in name order, so that moving a sheet does not count as a change.
    ``wb`` may also be a workbook openpyxl loaded with ``data_only=True``: both give the same.
    """
    digest = hashlib.sha256()
    for ws in sorted(wb.worksheets, key=lambda w: w.title):
        digest.update(f"\x1e{ws.title}\n".encode())
        for (r, c), value in _values(ws):
            text = _canonical(value)
            if text is not None:
                digest.update(f"{get_column_letter(c)}{r}\x1f{text}\n".encode())
    return digest.hexdigest()


def _values(ws: Sheet) -> Iterator[tuple[tuple[int, int], object]]:
    """A sheet's cell values by (row, column), row by row: only the cells the file has."""
    if isinstance(ws, Sheet):
        for place in sorted(ws.cells):
            yield place, ws.cells[place].value
        return
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):  # an openpyxl sheet
        for c, value in enumerate(row, start=1):
            yield (r, c), value


def confirmed_column(ws: Sheet) -> str:
    """The letter of the registry's 已确认版本 column, or "" when the sheet has none."""
    return header_column(ws, L.CONFIRMED_HEADER)


def header_column(ws: Sheet, header: str) -> str:
    """The letter of the column headed ``header`` in row 1, or ""."""
    for cell in ws[1]:
        if cell_text(cell.value) == header:
            return cell.column_letter
    return ""


def read_confirmed(rel: str, ws: Sheet, column: str, row: int) -> Value:
    """The 已确认版本 cell of one registry row, as typed (text, or a number Excel made of it)."""
    raw = ws[f"{column}{row}"].value
    value = cell_text(raw) if isinstance(raw, str) else raw
    return Value(value, Location(rel, ws.title, f"{column}{row}"))
