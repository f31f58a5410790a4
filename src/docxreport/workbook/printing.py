"""Page setup, so that a workbook prints as a usable form.

Every sheet prints on A4, one page wide (as many pages down as it needs), with
its header rows repeated on every page, gridlines, a header naming the school
(or region), the year and the sheet, and a footer "第 N 页 共 M 页". A sheet
wider than a portrait page prints landscape.
"""

from __future__ import annotations

import unicodedata

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# Column units (about 1.9 mm each) that fit across a portrait A4 page between the margins.
PORTRAIT_UNITS = 92
DEFAULT_WIDTH = 9.0  # a column whose width was never set
FOOTER = "第 &P 页 共 &N 页"
LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_HEIGHT = 409.0  # the tallest row Excel allows


def sheet_width(ws: Worksheet) -> float:
    """The printed width of the sheet's used columns, in column units."""
    total = 0.0
    for col in range(1, ws.max_column + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        total += dim.width if dim is not None and dim.width else DEFAULT_WIDTH
    return total


def _escape(text: str) -> str:
    """Header text with Excel's code character doubled, so that it prints as typed."""
    return text.replace("&", "&&")


def set_up_printing(ws: Worksheet, title: str, header_rows: int = 1) -> None:
    """A4, one page wide, repeated header rows, header ``title · sheet`` and page numbers.

    ``header_rows`` 0 repeats nothing (the 填表说明 sheet has no table header).
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    wide = sheet_width(ws) > PORTRAIT_UNITS
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if wide else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # 0: as many pages as needed
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"
    ws.print_options.gridLines = bool(header_rows)  # a table; the 填表说明 is plain text
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    ws.page_margins.header = ws.page_margins.footer = 0.3
    header = _escape(f"{title}　{ws.title}")
    for part in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        part.center.text = header
        part.center.size = 10
    for part in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        part.center.text = FOOTER
        part.center.size = 9


def text_width(text: str) -> int:
    """Width in column units: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_row_heights(ws: Worksheet) -> None:
    """Give rows with wrapped text the height of their longest cell.

    Neither Excel nor LibreOffice grows a row to fit wrapped text on opening a
    file written by a program, so the text would be cut off at one line on
    screen and on paper. Rows whose height is already set are left alone.
    """
    widths = {
        col: (ws.column_dimensions[get_column_letter(col)].width or DEFAULT_WIDTH)
        for col in range(1, ws.max_column + 1)
    }
    for row in ws.iter_rows():
        r = row[0].row
        if ws.row_dimensions[r].height is not None:
            continue
        lines = 1
        for cell in row:
            if cell.value is None or not cell.alignment.wrap_text:
                continue
            room = max(1.0, widths.get(cell.column, DEFAULT_WIDTH) - 1)
            parts = str(cell.value).split("\n")
            lines = max(lines, sum(max(1, -(-text_width(p) // room)) for p in parts))
        if lines > 1:
            ws.row_dimensions[r].height = min(MAX_HEIGHT, LINE_HEIGHT * lines)
