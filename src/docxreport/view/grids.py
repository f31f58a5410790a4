"""What a report table shows: cell texts and merges built from the catalog's table specs.

Each builder turns a :class:`~docxreport.catalog.TableSpec` into a :class:`Grid`;
:mod:`docxreport.render.tables` writes the grid as a Word table.

A builder given a ``school`` shows that school only, as a school's own report
needs: a row per school becomes the school's one row without a total, a column
per school becomes the school's previous-year and this-year columns. Annex and
list tables always show one school (or, without one, the city).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docxreport.catalog import Catalog, Indicator, TableSpec
from docxreport.errors import TemplateError
from docxreport.model import (
    CURR,
    EMPTY,
    GRADUATES,
    PERIODS,
    PREV,
    Dataset,
    Figure,
    Value,
    is_pending,
)
from docxreport.page import LANDSCAPE_WIDTH_MM, TEXT_WIDTH_MM
from docxreport.view.fit import fit_weights, in_column_groups  # noqa: F401 (fit_weights: re-exported for render.tables)
from docxreport.view.fmt import DASH, format_plain, format_value

TEXT_COLUMN_WEIGHT = 3.0  # a text column (备注) of a row-per-school table is wider


@dataclass
class Cell:
    """One cell of a grid: its text, alignment and left indent in characters."""

    text: str
    align: str = "center"
    indent: int = 0
    figure: Figure | None = None  # the printed figure, for the data-source listing


@dataclass
class Grid:
    """Cell texts row by row; ``None`` marks a position covered by a merge."""

    rows: list[list[Cell | None]]
    weights: list[float]
    header_rows: int = 1
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    lead: int = 0  # row-header columns (序号, 指标, 单位) before one column per school
    block: int = 0  # rows per column group, each with its own header row (0: one block)

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


# -- figures --------------------------------------------------------------------------------


def printed_figure(data: Dataset, ind: Indicator, period: str, school: str | None = None) -> Figure:
    """The figure printed for the city or for ``school``: empty (—) when it is empty, when the
    school sent no workbook, or when the figure is about graduates and the school had none."""
    if school is not None and ind.about_graduates and not data.has_graduates(school, period):
        # a draft's school still to come: its graduate figures wait too (【待补】)
        waiting = is_pending(data.figure(GRADUATES, period, school))
        return data.figure(ind.key, period, school) if waiting else EMPTY
    return data.figure(ind.key, period, school)


def _figure_cell(data: Dataset, ind: Indicator, period: str, school: str | None) -> Cell:
    figure = printed_figure(data, ind, period, school)
    return Cell(format_value(ind, figure.value), figure=figure)


def _total(data: Dataset, ind: Indicator, period: str) -> Cell:
    """A chapter table's 合计 cell: computed from the schools' rows by the catalog's rule."""
    figure = data.total(ind.key, period)
    return Cell(format_value(ind, figure.value), figure=figure)


def _year_label(data: Dataset, period: str, sep: str = " ") -> str:
    return f"{data.prev_year if period == PREV else data.year}{sep}年"


def _schools(data: Dataset, school: str | None = None) -> list[str]:
    """The short names a table shows: every registered school, or only ``school``."""
    if school is None:
        return [s.short for s in data.city.registry]
    found = data.city.school(school)
    return [found.short if found else school]


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


def _schools_rows(spec: TableSpec, data: Dataset, catalog: Catalog, school: str | None) -> Grid:
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
        [Cell(s)] + [_figure_cell(data, i, c.period, s) for i, c in cols]
        for s in _schools(data, school)
    ]
    if spec.total_label and school is None:
        total = [_total(data, i, c.period) if i.numeric else Cell("") for i, c in cols]
        body.append([Cell(spec.total_label), *total])
    weights = [1.4] + [1.0 if i.numeric else TEXT_COLUMN_WEIGHT for i, _ in cols]
    grid = Grid(header + body, weights, len(header))
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


def _indicators_rows(spec: TableSpec, data: Dataset, catalog: Catalog, school: str | None) -> Grid:
    """One row per indicator; a column per school (+ total), or one school's two years."""
    if school is None:
        columns = [(s, CURR) for s in _schools(data)]
        heads = [s for s, _ in columns] + ([spec.total_label] if spec.total_label else [])
    else:
        short = _schools(data, school)[0]
        columns = [(short, period) for period in PERIODS]
        # tables with 序号 are annex tables (附表), whose year headers read "2024年"
        heads = [_year_label(data, p, "" if spec.show_seq else " ") for p in PERIODS]
    totals = bool(spec.total_label) and school is None
    seen: set[str] = set()
    lead = (
        (["序号"] if spec.show_seq else []) + [spec.corner] + (["单位"] if spec.show_unit else [])
    )
    rows: list[list[Cell | None]] = [[Cell(t) for t in lead + heads]]
    labels, seqs = [], []
    for row in spec.rows:
        ind = catalog.indicator(row.key)
        label = _row_label(ind, row.label, not spec.show_unit, seen, catalog.depth(ind.key))
        labels.append(label)
        seqs.append(row.seq)
        cells = [Cell(row.seq or "")] if spec.show_seq else []
        cells.append(Cell(label, "left", catalog.depth(row.key)))
        cells += [Cell(ind.unit or "")] if spec.show_unit else []
        cells += [_figure_cell(data, ind, p, s) for s, p in columns]
        cells += [_total(data, ind, CURR)] if totals else []
        rows.append(cells)
    weights = [0.6] * spec.show_seq + [2.4] + [0.8] * spec.show_unit
    grid = Grid(rows, weights + [1.0] * len(columns) + [1.2] * totals)
    grid.lead = len(weights) if school is None else 0
    if spec.show_seq:
        grid.merge_equal_down(0, _seq_keys(seqs), 1)
    grid.merge_equal_down(int(spec.show_seq), labels, 1)
    return grid


def _years_rows(spec: TableSpec, data: Dataset, catalog: Catalog, school: str | None) -> Grid:
    """One row per year for indicator ``key``; a column per school (+ total), or one school's."""
    if not spec.key:
        raise TemplateError(f"表格 {spec.id}（years_rows）缺少 key")
    ind, schools = catalog.indicator(spec.key), _schools(data, school)
    totals = [spec.total_label] if spec.total_label and school is None else []
    heads = schools if school is None else [ind.label]
    rows: list[list[Cell | None]] = [[Cell(t) for t in [spec.corner, *heads, *totals]]]
    for period in PERIODS:
        cells = [Cell(_year_label(data, period))]
        cells += [_figure_cell(data, ind, period, s) for s in schools]
        cells += [_total(data, ind, period)] if totals else []
        rows.append(cells)
    return Grid(rows, [1.2] + [1.0] * (len(schools) + len(totals)), lead=int(school is None))


def _annex(spec: TableSpec, data: Dataset, catalog: Catalog, school: str | None) -> Grid:
    head = ["序号", "指标", "单位", _year_label(data, PREV, ""), _year_label(data, CURR, "")]
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
                _figure_cell(data, ind, PREV, school),
                _figure_cell(data, ind, CURR, school),
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
    sd = data.school_data(school)
    items = sd.lists.get(spec.list, []) if sd is not None else []
    rows: list[list[Cell | None]] = [[Cell(n) for n in names]]
    rows += [[_list_cell(item.get(c.key)) for c in columns] for item in items]
    if not items:
        rows.append([Cell(DASH) for _ in columns])
    return Grid(rows, [1.3 if c.kind == "text" else 1.0 for c in columns])


def _list_cell(value: Value | None) -> Cell:
    """A list cell; every non-empty one (codes included) is traced to its workbook cell."""
    text = format_plain(value)
    if value is None or value.empty:
        return Cell(text)
    return Cell(text, figure=Figure(value.value, (value.loc,)))


def ledger_rows(grid: Grid) -> list[tuple[str, str, str, Figure]]:
    """(row label, column label, printed text, figure) for every figure cell of ``grid``."""

    def above(r: int, c: int) -> Cell | None:
        while r >= 0 and grid.rows[r][c] is None:
            r -= 1
        return grid.rows[r][c] if r >= 0 else None

    def header(c: int, base: int) -> str:
        parts = []
        for r in range(base, base + grid.header_rows):
            cc = c
            while cc > 0 and grid.rows[r][cc] is None and above(r, cc) is None:
                cc -= 1
            cell = grid.rows[r][cc] or above(r, cc)
            if cell and cell.text and cell.text not in parts:
                parts.append(cell.text)
        return " ".join(parts)

    out = []
    for r in range(grid.header_rows, len(grid.rows)):
        base = r // grid.block * grid.block if grid.block else 0
        if r < base + grid.header_rows:
            continue  # the header row of a column group
        labels = [above(r, c) for c in range(len(grid.rows[r]))]
        label = " ".join(x.text for x in labels if x and x.figure is None and x.text)
        label = label or (labels[0].text if labels and labels[0] else "")
        for c, cell in enumerate(grid.rows[r]):
            if cell is not None and cell.figure is not None and not cell.figure.empty:
                out.append((label, header(c, base), cell.text, cell.figure))
    return out


_BUILDERS = {
    "schools_rows": _schools_rows,
    "indicators_rows": _indicators_rows,
    "years_rows": _years_rows,
    "annex": _annex,
    "list": _list,
}


def build_grid(spec: TableSpec, data: Dataset, catalog: Catalog, school: str | None = None) -> Grid:
    """The cell texts and merges of table ``spec``, for the city or for ``school`` only;
    a table with a column per school too many to fit comes in column groups."""
    if spec.kind not in _BUILDERS:
        raise TemplateError(f"表格 {spec.id} 的类型 {spec.kind} 无法生成")
    grid = _BUILDERS[spec.kind](spec, data, catalog, school)
    return in_column_groups(grid, LANDSCAPE_WIDTH_MM if spec.landscape else TEXT_WIDTH_MM)
