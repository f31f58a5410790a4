"""Build the report's data tables (python-docx tables) from the catalog's table specs.

Each builder turns a :class:`~docxreport.catalog.TableSpec` into a :class:`Grid`
(cell texts plus merged rectangles); :func:`emit_grid` then writes the grid as a
bordered, fixed-layout Word table that fits the 156 mm text block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt, Twips
from docx.table import Table, _Cell

from docxreport.catalog import Catalog, Indicator, TableSpec
from docxreport.errors import TemplateError
from docxreport.model import EMPTY, PREV, Dataset
from docxreport.render.fmt import DASH, clean_text, format_plain, format_value

TEXT_WIDTH_MM = 156.0  # portrait text block (GB/T 9704)
LANDSCAPE_WIDTH_MM = 225.0
WIDE_COLUMNS = 10  # above this many columns, tables use 小五
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


@dataclass
class Cell:
    """One cell of a grid: its text, alignment and left indent in characters."""

    text: str
    align: str = "center"
    indent: int = 0


@dataclass
class Grid:
    """Cell texts row by row; ``None`` marks a position covered by a merge."""

    rows: list[list[Cell | None]]
    weights: list[float]
    header_rows: int = 1
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        """Merge the rectangle (r0, c0)–(r1, c1); the top-left cell keeps its text."""
        if (r0, c0) == (r1, c1):
            return
        self.merges.append((r0, c0, r1, c1))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    self.rows[r][c] = None

    def merge_equal_down(self, col: int, keys: list[str], first: int) -> None:
        """Merge runs of equal non-empty ``keys`` (one per row from ``first``) in ``col``."""
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start] or not keys[start]:
                if i - start > 1 and keys[start]:
                    self.merge(first + start, col, first + i - 1, col)
                start = i


# -- low-level formatting shared with blocks.py ---------------------------------------------


def _border_element(tag: str, size: int = 4) -> Any:
    """``<w:tblBorders>``/``<w:tcBorders>`` with single lines on every side."""
    borders = OxmlElement(tag)
    sides = ("top", "left", "bottom", "right")
    if tag == "w:tblBorders":
        sides += ("insideH", "insideV")
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "auto")
        borders.append(el)
    return borders


def set_table_borders(table: Table) -> None:
    """Single-line borders around and inside ``table`` (no named table style needed)."""
    tblPr = table._tbl.tblPr
    for old in tblPr.findall(qn("w:tblBorders")):
        tblPr.remove(old)
    tblPr.insert_element_before(_border_element("w:tblBorders"), *_AFTER_TBL_BORDERS)


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


def write_cell(cell: _Cell, spec: Cell, size: Length, styled: bool) -> None:
    """Put ``spec.text`` into ``cell``'s first paragraph, formatted for a table."""
    paragraph = cell.paragraphs[0]
    if styled:
        paragraph.style = CELL_STYLE
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
    set_table_width(table, column_widths(grid.weights, width_mm))
    size = SIZE_SMALL if ncols > WIDE_COLUMNS else SIZE_NORMAL
    styled = has_style(container, CELL_STYLE)
    for r, row in enumerate(grid.rows):
        for c, spec in enumerate(row):
            if spec is not None:
                write_cell(table.cell(r, c), spec, size, styled)
    for tc in table._tbl.iter(qn("w:tc")):
        _Cell(tc, table).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    mark_rows(table, grid.header_rows)
    return table


# -- figures --------------------------------------------------------------------------------


def _value(data: Dataset, ind: Indicator, period: str, school: str | None) -> str:
    """The printed figure; empty for a registered school that sent no workbook."""
    try:
        figure = data.figure(ind.key, period, school)
    except StopIteration:
        figure = EMPTY
    return format_value(ind, figure.value)


def _total(data: Dataset, ind: Indicator, period: str) -> str:
    """A chapter table's 合计 cell: computed from the schools' rows by the catalog's rule."""
    return format_value(ind, data.total(ind.key, period).value)


def _year_label(data: Dataset, period: str, sep: str = " ") -> str:
    return f"{data.prev_year if period == PREV else data.year}{sep}年"


def _schools(data: Dataset) -> list[str]:
    return [s.short for s in data.city.registry]


def _row_label(
    ind: Indicator, label: str | None, unit: bool, seen: set[str], depth: int = 1
) -> str:
    """A row label; the first direct sub-row of a top-level row is prefixed "其中："."""
    text = label or (ind.label if unit else ind.name)
    if ind.parent and depth == 1 and ind.parent not in seen:
        seen.add(ind.parent)
        if not text.startswith("其中"):
            text = f"其中：{text}"
    return text


def _seq_keys(seqs: list[str | None]) -> list[str]:
    """序号 per row; a row without one belongs to the row above (merged with it)."""
    keys, last = [], ""
    for i, seq in enumerate(seqs):
        last = seq if seq else last
        keys.append(f"{last}\x00{i if not last else ''}")
    return keys


# -- builders, one per table kind -----------------------------------------------------------


def _schools_rows(spec: TableSpec, data: Dataset, catalog: Catalog, _school: str | None) -> Grid:
    cols = [(catalog.indicator(c.key), c) for c in spec.columns]
    grouped = any(c.group for c in spec.columns)
    header: list[list[Cell | None]] = [[Cell(spec.corner)] for _ in range(1 + grouped)]
    for ind, col in cols:
        if grouped and col.group:
            header[0].append(Cell(col.group))
            header[1].append(Cell(col.label or _year_label(data, col.period)))
        else:
            header[0].append(Cell(col.label or ind.label))
            if grouped:
                header[1].append(None)  # merged down from row 0
    body: list[list[Cell | None]] = [
        [Cell(s)] + [Cell(_value(data, i, c.period, s)) for i, c in cols] for s in _schools(data)
    ]
    if spec.total_label:
        total = [_total(data, i, c.period) if i.numeric else "" for i, c in cols]
        body.append([Cell(t) for t in [spec.total_label, *total]])
    grid = Grid(header + body, [1.4] + [1.0] * len(cols), len(header))
    if grouped:
        _merge_header(grid, [c.group for c in spec.columns])
    return grid


def _merge_header(grid: Grid, groups: list[str | None]) -> None:
    """Span each group over its columns; merge ungrouped header cells down both rows."""
    grid.merge(0, 0, 1, 0)
    start = 0
    for i in range(1, len(groups) + 1):
        if i == len(groups) or groups[i] != groups[start]:
            if groups[start]:
                grid.merge(0, start + 1, 0, i)
            else:
                for c in range(start, i):
                    grid.merge(0, c + 1, 1, c + 1)
            start = i


def _indicators_rows(spec: TableSpec, data: Dataset, catalog: Catalog, _school: str | None) -> Grid:
    schools = _schools(data)
    seen: set[str] = set()
    lead = (
        (["序号"] if spec.show_seq else []) + [spec.corner] + (["单位"] if spec.show_unit else [])
    )
    totals = [spec.total_label] if spec.total_label else []
    rows: list[list[Cell | None]] = [[Cell(t) for t in lead + schools + totals]]
    labels, seqs = [], []
    for row in spec.rows:
        ind = catalog.indicator(row.key)
        label = _row_label(ind, row.label, not spec.show_unit, seen, catalog.depth(ind.key))
        labels.append(label)
        seqs.append(row.seq)
        cells = [Cell(row.seq or "")] if spec.show_seq else []
        cells.append(Cell(label, "left", catalog.depth(row.key)))
        cells += [Cell(ind.unit or "")] if spec.show_unit else []
        cells += [Cell(_value(data, ind, "curr", s)) for s in schools]
        cells += [Cell(_total(data, ind, "curr"))] if totals else []
        rows.append(cells)
    weights = [0.6] * spec.show_seq + [2.4] + [0.8] * spec.show_unit
    grid = Grid(rows, weights + [1.0] * len(schools) + [1.2] * len(totals))
    if spec.show_seq:
        grid.merge_equal_down(0, _seq_keys(seqs), 1)
    grid.merge_equal_down(int(spec.show_seq), labels, 1)
    return grid


def _years_rows(spec: TableSpec, data: Dataset, catalog: Catalog, _school: str | None) -> Grid:
    if not spec.key:
        raise TemplateError(f"表格 {spec.id}（years_rows）缺少 key")
    ind, schools = catalog.indicator(spec.key), _schools(data)
    totals = [spec.total_label] if spec.total_label else []
    rows: list[list[Cell | None]] = [[Cell(t) for t in [spec.corner, *schools, *totals]]]
    for period in ("prev", "curr"):
        cells = [Cell(_year_label(data, period))]
        cells += [Cell(_value(data, ind, period, s)) for s in schools]
        cells += [Cell(_total(data, ind, period))] if totals else []
        rows.append(cells)
    return Grid(rows, [1.2] + [1.0] * (len(schools) + len(totals)))


def _annex(spec: TableSpec, data: Dataset, catalog: Catalog, school: str | None) -> Grid:
    head = ["序号", "指标", "单位", _year_label(data, "prev", ""), _year_label(data, "curr", "")]
    rows: list[list[Cell | None]] = [[Cell(t) for t in head]]
    labels, seqs = [], []
    seen: set[str] = set()
    for row in spec.rows:
        ind = catalog.indicator(row.key)
        label = _row_label(ind, row.label, False, seen, catalog.depth(ind.key))
        labels.append(label)
        seqs.append(row.seq)
        rows.append(
            [
                Cell(row.seq or ""),
                Cell(label, "left", catalog.depth(row.key)),
                Cell(ind.unit or ""),
                Cell(_value(data, ind, "prev", school)),
                Cell(_value(data, ind, "curr", school)),
            ]
        )
    grid = Grid(rows, [0.7, 4.2, 1.0, 1.4, 1.4])
    grid.merge_equal_down(0, _seq_keys(seqs), 1)
    grid.merge_equal_down(1, labels, 1)
    return grid


def _list(spec: TableSpec, data: Dataset, catalog: Catalog, school: str | None) -> Grid:
    if not school or not spec.list:
        raise TemplateError(f"表格 {spec.id} 是学校清单表，需要指定学校")
    columns = catalog.list(spec.list).columns
    names = [
        c.name.replace("{prev}", str(data.prev_year)).replace("{curr}", str(data.year))
        for c in columns
    ]
    try:
        items = data.school_data(school).lists.get(spec.list, [])
    except StopIteration:
        items = []
    rows: list[list[Cell | None]] = [[Cell(n) for n in names]]
    rows += [[Cell(format_plain(item.get(c.key))) for c in columns] for item in items]
    if not items:
        rows.append([Cell(DASH) for _ in columns])
    return Grid(rows, [1.3 if c.kind == "text" else 1.0 for c in columns])


_BUILDERS = {
    "schools_rows": _schools_rows,
    "indicators_rows": _indicators_rows,
    "years_rows": _years_rows,
    "annex": _annex,
    "list": _list,
}


def build_grid(spec: TableSpec, data: Dataset, catalog: Catalog, school: str | None = None) -> Grid:
    """The cell texts and merges of table ``spec``; ``school`` for annex and list tables."""
    if spec.kind not in _BUILDERS:
        raise TemplateError(f"表格 {spec.id} 的类型 {spec.kind} 无法生成")
    return _BUILDERS[spec.kind](spec, data, catalog, school)


def add_table(
    container: Any, spec: TableSpec, data: Dataset, catalog: Catalog, school: str | None = None
) -> Table:
    """Append table ``spec`` to ``container`` (a Document, a docxtpl Subdoc or a cell)."""
    width = LANDSCAPE_WIDTH_MM if spec.landscape else TEXT_WIDTH_MM
    return emit_grid(container, build_grid(spec, data, catalog, school), width)
