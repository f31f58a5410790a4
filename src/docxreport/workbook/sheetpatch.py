"""Writing one sheet's cells into an existing workbook, leaving every other part as it was.

The city workbook is the bureau's: staff may have added formatting, comments, pictures or
sheets of their own that openpyxl would drop on a round trip. So the package is patched:
the sheet's ``sheetData`` (and ``dimension``) is replaced in its part, or, when the sheet
does not exist yet, a new part is added with its entry in ``workbook.xml``, its
relationship and its content type. Every other part is copied byte for byte.

Text is written as inline strings, never as formulas: a school's title starting with
``=`` stays text.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from docxreport.text import clean_text
from docxreport.workbook.cells import column_letter
from docxreport.workbook.package import Package, _parse

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_WORKSHEET_TYPE = f"{_REL}/worksheet"
_WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_TEXT_FORMAT = "49"  # Excel's built-in "@"

Cell = str | int | float | None


@dataclass(frozen=True)
class SheetSpec:
    """How a new sheet looks: column widths, text columns, and drop-down lists."""

    widths: Sequence[float]
    text_columns: str = ""  # letters of columns kept as text (e.g. section numbers 1.10)
    choices: tuple[tuple[str, tuple[str, ...], str], ...] = ()  # (column, values, prompt)
    prompts: tuple[tuple[str, str, str], ...] = ()  # (column, title, prompt)


def _q(tag: str) -> str:
    return f"{{{_MAIN}}}{tag}"


def _style_ids(package: Package, header_sheet: str) -> tuple[str, str]:
    """The style of a header cell elsewhere in the workbook (A1 of ``header_sheet``) and a
    text-format style, when the workbook has them ("" otherwise)."""
    header = ""
    part = package.sheets.get(header_sheet)
    if part:
        root = _parse(package.zip.read(part))
        a1 = root.find(f".//{_q('c')}[@r='A1']")
        header = a1.get("s", "") if a1 is not None else ""
    text = ""
    styles = package.parts.get("/styles")
    if styles and styles in package.zip.namelist():
        xfs = _parse(package.zip.read(styles)).find(_q("cellXfs"))
        for i, xf in enumerate(xfs if xfs is not None else []):
            if xf.get("numFmtId") == _TEXT_FORMAT:
                text = str(i)
                break
    return header, text


def _cell_xml(ref: str, value: Cell, style: str) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = clean_text(value)[:32767]
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'
    return f'<c r="{ref}"{s}><v>{value!r}</v></c>'


def _sheet_data(rows: Sequence[Sequence[Cell]], header: str, text: str, text_cols: str) -> str:
    out = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            letter = column_letter(c)
            style = header if r == 1 else (text if letter in text_cols else "")
            cells.append(_cell_xml(f"{letter}{r}", value, style))
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return f'<sheetData xmlns="{_MAIN}">{"".join(out)}</sheetData>'


def _new_sheet(rows: Sequence[Sequence[Cell]], spec: SheetSpec, header: str, text: str) -> bytes:
    last = f"{column_letter(len(rows[0]))}{len(rows)}"
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"'
        + (f' style="{text}"' if text and column_letter(i) in spec.text_columns else "")
        + "/>"
        for i, w in enumerate(spec.widths, start=1)
    )
    checks = []
    for col, values, prompt in spec.choices:
        checks.append(
            f'<dataValidation type="list" allowBlank="1" showInputMessage="1" '
            f'showErrorMessage="1" errorTitle="输入有误" error="请从下拉列表中选择" '
            f'promptTitle="{col}" prompt="{prompt}" sqref="{col}2:{col}5000">'
            f'<formula1>"{",".join(values)}"</formula1></dataValidation>'
        )
    for col, title, prompt in spec.prompts:
        checks.append(
            f'<dataValidation allowBlank="1" showInputMessage="1" promptTitle="{title}" '
            f'prompt="{prompt}" sqref="{col}1:{col}5000"/>'
        )
    validations = f'<dataValidations count="{len(checks)}">{"".join(checks)}</dataValidations>'
    xml = (
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        + _sheet_data(rows, header, text, spec.text_columns).replace(f' xmlns="{_MAIN}"', "")
        + (validations if checks else "")
        + '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
        'fitToHeight="0"/></worksheet>'
    )
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml.encode("utf-8")


def _replaced(
    old: bytes, rows: Sequence[Sequence[Cell]], header: str, text: str, cols: str
) -> bytes:
    """The sheet part with new cells; its widths, views, validations… stay."""
    root = _parse(old)
    data = root.find(_q("sheetData"))
    fresh = etree.fromstring(_sheet_data(rows, header, text, cols).encode("utf-8"))
    if data is None:
        root.append(fresh)
    else:
        data.getparent().replace(data, fresh)
    dimension = root.find(_q("dimension"))
    if dimension is not None:
        dimension.set("ref", f"A1:{column_letter(len(rows[0]))}{len(rows)}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def put_sheet(
    data: bytes,
    title: str,
    rows: Sequence[Sequence[Cell]],
    spec: SheetSpec,
    header_like: str = "",
) -> bytes:
    """The workbook ``data`` with sheet ``title`` holding ``rows`` (the first is the header).

    ``header_like`` names a sheet whose A1 style the header row takes.
    """
    package = Package(data)
    header, text = _style_ids(package, header_like)
    changed: dict[str, bytes] = {}
    part = package.sheets.get(title)
    if part is not None:
        changed[part] = _replaced(package.zip.read(part), rows, header, text, spec.text_columns)
    else:
        part = _add_sheet(package, title, changed)
        changed[part] = _new_sheet(rows, spec, header, text)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in package.zip.infolist():
            body = changed.pop(info.filename, None)
            zout.writestr(info, body if body is not None else package.zip.read(info.filename))
        for name, body in changed.items():  # the new sheet's part
            zout.writestr(name, body)
    return out.getvalue()


def _add_sheet(package: Package, title: str, changed: dict[str, bytes]) -> str:
    """Register a new sheet ``title`` (last in the workbook) and return its part name."""
    names = set(package.zip.namelist())
    n = 1
    while f"xl/worksheets/sheet{n}.xml" in names:
        n += 1
    part = f"xl/worksheets/sheet{n}.xml"
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = _parse(package.zip.read(rels_name))
    ids = {r.get("Id") for r in rels}
    k = len(ids) + 1
    while f"rId{k}" in ids:
        k += 1
    rel = etree.SubElement(rels, f"{{{_PKG_REL}}}Relationship")
    rel.set("Id", f"rId{k}")
    rel.set("Type", _WORKSHEET_TYPE)
    rel.set("Target", posixpath.relpath(part, "xl"))
    changed[rels_name] = etree.tostring(
        rels, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    book = _parse(package.zip.read("xl/workbook.xml"))
    sheets = book.find(_q("sheets"))
    ids = [int(s.get("sheetId", "0")) for s in sheets]
    sheet = etree.SubElement(sheets, _q("sheet"))
    sheet.set("name", title)
    sheet.set("sheetId", str(max(ids, default=0) + 1))
    sheet.set(f"{{{_REL}}}id", f"rId{k}")
    changed["xl/workbook.xml"] = etree.tostring(
        book, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    types = _parse(package.zip.read("[Content_Types].xml"))
    override = etree.SubElement(types, f"{{{_CT}}}Override")
    override.set("PartName", f"/{part}")
    override.set("ContentType", _WORKSHEET_CT)
    changed["[Content_Types].xml"] = etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return part
