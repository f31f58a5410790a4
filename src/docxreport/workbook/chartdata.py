"""The small workbook embedded in every chart, so that Word's and WPS's 编辑数据 opens it.

The layout is the one Word itself writes and the chart XML refers to: on ``Sheet1``, the
series names across row 1 from B1, the categories down column A from A2, and the
values below each series name. Written and read with openpyxl, like every workbook.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl

SHEET = "Sheet1"


def write_chart_workbook(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    number_format: str = "General",
) -> bytes:
    """An .xlsx holding ``series`` (name, values) against ``categories``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    fill_sheet(ws, categories, series, number_format)
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
        ws.cell(r, 1, category)
    for c, (name, values) in enumerate(series, start=2):
        ws.cell(1, c, name)
        for r, value in enumerate(values, start=2):
            cell = ws.cell(r, c, value)
            cell.number_format = number_format
    ws.column_dimensions["A"].width = max([10, *(2 * len(c) + 2 for c in categories)])


def read_chart_workbook(blob: bytes) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
    """(categories, [(series name, values)…]) of an embedded chart workbook."""
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
