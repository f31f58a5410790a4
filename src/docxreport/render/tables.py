"""Write the report's data tables as Word tables.

:mod:`docxreport.view.grids` decides what a table shows (a :class:`Grid` of
cell texts plus merged rectangles); :func:`emit_grid` writes the grid as a
bordered, fixed-layout Word table that fits the 156 mm text block. The
low-level formatting helpers here are shared with :mod:`.blocks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Length, Pt, Twips
from docx.table import Table, _Cell

from docxreport.catalog import Catalog, TableSpec
from docxreport.model import Dataset
from docxreport.page import LANDSCAPE_WIDTH_MM, TEXT_WIDTH_MM
from docxreport.text import clean_text
from docxreport.view.grids import Cell, Grid, build_grid, fit_weights

CELL_STYLE = "表格文字"
TABLE_FONT = "宋体"
SIZE_NORMAL, SIZE_SMALL = Pt(10.5), Pt(9)  # 五号, 小五

_ALIGN = {"center": WD_PARAGRAPH_ALIGNMENT.CENTER, "left": WD_PARAGRAPH_ALIGNMENT.LEFT}
# Elements that must follow the named element inside its parent (OOXML sequence order).
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
_AFTER_TC_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:vAlign")
_AFTER_TC_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign")
_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
_AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del")


# -- low-level formatting shared with blocks.py ---------------------------------------------


def _border_element(tag: str, size: int = 4, val: str = "single") -> Any:
    """``<w:tblBorders>``/``<w:tcBorders>`` with ``val`` lines (single, nil) on every side."""
    borders = OxmlElement(tag)
    sides = ("top", "left", "bottom", "right")
    if tag == "w:tblBorders":
        sides += ("insideH", "insideV")
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), val)
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "auto")
        borders.append(el)
    return borders


def set_table_borders(table: Table, val: str = "single") -> None:
    """Borders around and inside ``table``: single lines, or none with ``val="nil"``."""
    tblPr = table._tbl.tblPr
    for old in tblPr.findall(qn("w:tblBorders")):
        tblPr.remove(old)
    tblPr.insert_element_before(_border_element("w:tblBorders", val=val), *_AFTER_TBL_BORDERS)


def set_cell_borders(cell: _Cell) -> None:
    tcPr = cell._tc.get_or_add_tcPr()
    tcPr.insert_element_before(_border_element("w:tcBorders"), *_AFTER_TC_BORDERS)


def shade_cell(cell: _Cell, fill: str) -> None:
    """Give ``cell`` a solid background colour (hex RGB, e.g. ``F2F2F2``)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(shd, *_AFTER_TC_SHD)


def set_table_width(table: Table, widths: list[int]) -> None:
    """Fixed layout, centred, with explicit grid and cell widths (twips)."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout type="fixed"
    tblW = table._tbl.tblPr.find(qn("w:tblW"))
    if tblW is None:
        tblW = OxmlElement("w:tblW")
        table._tbl.tblPr.insert_element_before(tblW, "w:jc", "w:tblInd", "w:tblBorders")
    tblW.set(qn("w:w"), str(sum(widths)))
    tblW.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            tc.width = Twips(sum(widths[col : col + tc.grid_span]))
            col += tc.grid_span


def mark_rows(table: Table, header_rows: int) -> None:
    """No row splits across pages; the first ``header_rows`` repeat on every page."""
    for i, row in enumerate(table.rows):
        trPr = row._tr.get_or_add_trPr()
        trPr.insert_element_before(OxmlElement("w:cantSplit"), *_AFTER_CANT_SPLIT)
        if i < header_rows:
            trPr.insert_element_before(OxmlElement("w:tblHeader"), *_AFTER_TBL_HEADER)


def set_run_font(run: Any, size: Length | None, east_asia: str = TABLE_FONT) -> None:
    """Set the East Asian font slot (w:eastAsia) and the size of ``run``."""
    rFonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    rFonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = size


def set_indent_chars(target: Any, left: int = 0, first_line: int | None = None) -> None:
    """Indents of a paragraph or paragraph style in characters (100 = one character)."""
    ind = target._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:leftChars"), str(100 * left))
    ind.set(qn("w:left"), str(210 * left))  # for readers that ignore *Chars
    if first_line is not None:
        ind.set(qn("w:firstLineChars"), str(100 * first_line))
        ind.set(qn("w:firstLine"), str(210 * first_line))


def has_style(container: Any, name: str) -> bool:
    """Whether the document behind ``container`` defines a style called ``name``."""
    return style_id(container, name) is not None


def style_id(container: Any, name: str) -> str | None:
    """The id of the style called ``name`` in the document behind ``container``, or None.

    python-docx finds a style by name by scanning every style; the ids are looked up once
    per document part and kept on it.
    """
    part = container.part
    known = part.__dict__.get("_docxreport_style_ids")
    if known is None:
        known = {s.name: s.style_id for s in part.styles}
        part.__dict__["_docxreport_style_ids"] = known
    if name not in known and name in part.styles:  # added since
        known[name] = part.styles[name].style_id
    return known.get(name)


def write_cell(cell: _Cell, spec: Cell, size: Length, style_id: str | None) -> None:
    """Put ``spec.text`` into ``cell``'s first paragraph, formatted for a table.

    ``style_id`` is the id of style "表格文字" when the document has it: set directly,
    because looking a style up by name scans every style of the document.
    """
    paragraph = cell.paragraphs[0]
    if style_id:
        paragraph._p.style = style_id
    else:
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
        set_indent_chars(paragraph, 0, 0)
    if spec.indent:
        set_indent_chars(paragraph, spec.indent)
    paragraph.alignment = _ALIGN[spec.align]
    set_run_font(paragraph.add_run(clean_text(spec.text)), size)


# -- grid → Word table ----------------------------------------------------------------------


def column_widths(weights: list[float], width_mm: float = TEXT_WIDTH_MM) -> list[int]:
    """Split ``width_mm`` (in twips, rounded down) between columns by weight."""
    total = int(width_mm * 1440 / 25.4)
    return [int(total * w / sum(weights)) for w in weights]


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def borders_xml(val: str = "single", inside: bool = True) -> str:
    """The sides of ``w:tblBorders`` (with ``inside``) or ``w:tcBorders``, all ``val`` lines."""
    sides = ("top", "left", "bottom", "right") + (("insideH", "insideV") if inside else ())
    return "".join(
        f'<w:{side} w:val="{val}" w:sz="4" w:space="0" w:color="auto"/>' for side in sides
    )


_BORDERS = borders_xml()
_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
    'w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
)
_PLAIN_PPR = (  # a cell paragraph's format where the document has no style 表格文字
    '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
)


def _cell_xml(
    spec: Cell, width: int, span: int, vmerge: str, rpr: str, style: str, text: str | None
) -> str:
    """One ``w:tc``; ``text`` None leaves the paragraph without a text node (empty cell)."""
    props = f'<w:tcW w:type="dxa" w:w="{width}"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge:
        props += vmerge
    props += '<w:vAlign w:val="center"/>'
    if spec is None:  # covered by a vertical merge
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p/></w:tc>"
    if style:
        ppr = style
        if spec.indent:
            ppr += f'<w:ind w:leftChars="{100 * spec.indent}" w:left="{210 * spec.indent}"/>'
    else:
        ind = 100 * spec.indent
        ppr = (
            f'{_PLAIN_PPR}<w:ind w:leftChars="{ind}" w:left="{210 * spec.indent}" '
            'w:firstLineChars="0" w:firstLine="0"/>'
        )
    ppr += f'<w:jc w:val="{spec.align}"/>'
    run = rpr if text is None else f'{rpr}<w:t xml:space="preserve">{text}</w:t>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr><w:r>{run}</w:r></w:p></w:tc>"


def table_xml(widths: list[int], rows: list[str], borders: str = _BORDERS) -> str:
    """A fixed-layout, centred ``w:tbl`` with ``widths`` (twips) around ``rows`` (``w:tr``)."""
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblW w:type="dxa" w:w="{sum(widths)}"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/>{_LOOK}</w:tblPr><w:tblGrid>{cols}</w:tblGrid>'
        + "".join(rows)
        + "</w:tbl>"
    )


def grid_xml(
    grid: Grid,
    width_mm: float = TEXT_WIDTH_MM,
    style_id: str | None = None,
    first: Callable[[str], str] | None = None,
) -> str:
    """The ``w:tbl`` XML of ``grid``: bordered, fixed layout, centred, fitting ``width_mm``.

    Written as text in one pass (the python-docx API walks the tree for every property).
    The first cell always holds a text node; ``first`` may rewrite its text (a mark).
    ``style_id`` is the id of style 表格文字 when the document has it.
    """
    ncols = len(grid.weights)
    weights, points = fit_weights(grid, width_mm, (SIZE_NORMAL.pt, SIZE_SMALL.pt))
    widths = column_widths(weights, width_mm)
    spans: dict[tuple[int, int], tuple[int, int]] = {}  # top-left → (rows, columns)
    below: dict[tuple[int, int], int] = {}  # covered first column of a merge → its span
    for r0, c0, r1, c1 in grid.merges:
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0 + 1, r1 + 1):
            below[(r, c0)] = c1 - c0 + 1
    style = f'<w:pStyle w:val="{escape(style_id)}"/>' if style_id else ""
    rpr = f'<w:rPr><w:rFonts w:eastAsia="{TABLE_FONT}"/><w:sz w:val="{round(points * 2)}"/></w:rPr>'
    out = []
    for r, row in enumerate(grid.rows):
        # a table in column groups has a header per group: repeating the first would mislabel
        head = "<w:tblHeader/>" if r < grid.header_rows and not grid.block else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{head}</w:trPr>")
        c = 0
        while c < ncols:
            spec = row[c]
            if spec is None and (r, c) not in below:
                c += 1  # covered by a horizontal merge
                continue
            if spec is None:
                nrows, span, vmerge = 0, below[(r, c)], "<w:vMerge/>"
            else:
                nrows, span = spans.get((r, c), (1, 1))
                vmerge = '<w:vMerge w:val="restart"/>' if nrows > 1 else ""
            width = sum(widths[c : c + span])
            text = None
            if spec is not None and (spec.text or (r, c) == (0, 0)):
                text = clean_text(spec.text)
                if (r, c) == (0, 0) and first is not None:
                    text = first(text)
                text = escape(text, quote=False)
            out.append(_cell_xml(spec, width, span, vmerge, rpr, style, text))
            c += span
        out.append("</w:tr>")
    return table_xml(widths, out)


def text_xml(text: str) -> str:
    """The inside of a run holding ``text`` (already cleaned), as python-docx writes it:
    a tab becomes ``w:tab``, a line break ``w:br``."""
    parts = re.split(r"(\t|\r\n|\n|\r)", text)
    out = []
    for part in parts:
        if part == "\t":
            out.append("<w:tab/>")
        elif part in ("\n", "\r", "\r\n"):
            out.append("<w:br/>")
        elif part:
            out.append(f'<w:t xml:space="preserve">{escape(part, quote=False)}</w:t>')
    return "".join(out)


def append_xml(container: Any, xml: str) -> Any:
    """Parse ``xml`` (one block element, ``w`` declared) and append it to ``container``
    (a Document, a Subdoc or a cell), before the body's section properties."""
    element = parse_xml(xml)
    parent = getattr(container, "_body", container)._element
    end = parent.find(qn("w:sectPr"))
    if end is not None:
        end.addprevious(element)
    else:
        parent.append(element)
        if parent.tag == qn("w:tc") and element.tag == qn("w:tbl"):
            element.addnext(OxmlElement("w:p"))  # a cell ends with a paragraph (python-docx)
    return element


def cell_style_id(container: Any) -> str | None:
    """The id of style 表格文字 in the document behind ``container``, if it has one."""
    return style_id(container, CELL_STYLE)


def emit_grid(container: Any, grid: Grid, width_mm: float = TEXT_WIDTH_MM) -> Table:
    """Append ``grid`` to ``container`` (a Document, a Subdoc or a cell) as a Word table."""
    tbl = append_xml(container, grid_xml(grid, width_mm, cell_style_id(container)))
    return Table(tbl, container)


def add_table(
    container: Any,
    spec: TableSpec,
    data: Dataset,
    catalog: Catalog,
    school: str | None = None,
) -> Table:
    """Append table ``spec`` to ``container`` (a Document, a docxtpl Subdoc or a cell)."""
    width = LANDSCAPE_WIDTH_MM if spec.landscape else TEXT_WIDTH_MM
    return emit_grid(container, build_grid(spec, data, catalog, school), width)
