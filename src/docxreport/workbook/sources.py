"""Write ``数据来源.xlsx``: one row for every figure printed in any report."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from docxreport.atomic import Ready, write_atomically
from docxreport.ledger import Entry
from docxreport.text import clean_text
from docxreport.workbook.chartdata import TEMPLATE as CHART_TEMPLATE
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


def write_sources(path: Path, entries: Iterable[Entry | Row], ready: Ready | None = None) -> int:
    """Write the listing with filters and frozen headers; return the number of rows.

    The sheet's XML is written straight out, row after row: a province's listing has rows
    by the hundred thousand, and openpyxl's streaming writer takes 70 µs a row.
    """
    lines, count = [], 0
    for e in entries:
        count += 1
        lines.append(_row(count + 1, row_of(e) if isinstance(e, Entry) else e))
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(WIDTHS, 1)
    )
    last = f"F{count + 1}"
    sheet = (
        f'{_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_REL}"><dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"<cols>{cols}</cols><sheetData>{_row(1, HEADERS, style=1)}{''.join(lines)}</sheetData>"
        f'<autoFilter ref="A1:{last}"/></worksheet>'
    )
    book = (
        f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}"><sheets>'
        f'<sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets><definedNames>'
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"'{SHEET}'!$A$1:${last[0]}${last[1:]}</definedName></definedNames></workbook>"
    )
    parts = {**_FIXED, "xl/workbook.xml": book, "xl/worksheets/sheet1.xml": sheet}

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as package:
            for name, text in parts.items():
                package.writestr(name, text.encode("utf-8"))
            package.writestr(THEME, _theme())

    write_atomically(write, path, path.parent, ready=ready)
    return count


def _theme() -> bytes:
    """The Office theme openpyxl writes (Excel repairs a workbook without a theme)."""
    with zipfile.ZipFile(CHART_TEMPLATE) as package:
        return package.read(THEME)


def _row(number: int, values: Sequence[object], style: int = 0) -> str:
    """One sheet row of text cells (inline strings; None, no cell)."""
    s = f' s="{style}"' if style else ""
    cells = "".join(
        f'<c r="{letter}{number}" t="inlineStr"{s}><is><t xml:space="preserve">'
        f"{escape(clean_text(str(value)), quote=False)}</t></is></c>"
        for letter, value in zip("ABCDEF", values, strict=False)
        if value is not None
    )
    return f'<row r="{number}">{cells}</row>'


SHEET = "数据来源"
THEME = "xl/theme/theme1.xml"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_FIXED = {
    "[Content_Types].xml": (
        f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
        '<Override PartName="/xl/theme/theme1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'{_DECL}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_DECL}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC_REL}/theme" Target="theme/theme1.xml"/>'
        "</Relationships>"
    ),
    # style 1: the header row, bold on light blue
    "xl/styles.xml": (
        f'{_DECL}<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/>'
        '<name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>'
        '</fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill>'
        '<patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid">'
        '<fgColor rgb="FFDDEBF7"/></patternFill></fill></fills><borders count="1"><border>'
        '<left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
        'applyFill="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
        'builtinId="0"/></cellStyles></styleSheet>'
    ),
}
