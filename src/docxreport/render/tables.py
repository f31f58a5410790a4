"""Write the report's data tables as Word tables.

:mod:`docxreport.view.grids` decides what a table shows (a :class:`Grid` of
cell texts plus merged rectangles); :func:`emit_grid` writes the grid as a
bordered, fixed-layout Word table that fits the 156 mm text block. The
low-level formatting helpers here are shared with :mod:`.blocks`.
"""

from __future__ import annotations

from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
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
    return name in container.part.styles


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


def emit_grid(container: Any, grid: Grid, width_mm: float = TEXT_WIDTH_MM) -> Table:
    """Write ``grid`` into ``container`` as a formatted Word table."""
    ncols = len(grid.weights)
    table = container.add_table(len(grid.rows), ncols)
    set_table_borders(table)
    for r0, c0, r1, c1 in grid.merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    weights, points = fit_weights(grid, width_mm, (SIZE_NORMAL.pt, SIZE_SMALL.pt))
    set_table_width(table, column_widths(weights, width_mm))
    size = Pt(points)
    style_id = (
        container.part.styles[CELL_STYLE].style_id if has_style(container, CELL_STYLE) else None
    )
    cells = table._cells  # computed once: table.cell(r, c) recomputes the whole grid each call
    for r, row in enumerate(grid.rows):
        for c, spec in enumerate(row):
            if spec is not None:
                write_cell(cells[r * ncols + c], spec, size, style_id)
    for tc in table._tbl.iter(qn("w:tc")):
        _Cell(tc, table).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    # a table in column groups has a header per group: repeating the first would mislabel
    mark_rows(table, 0 if grid.block else grid.header_rows)
    return table


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
