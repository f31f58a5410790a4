"""Fitting a table to the text block: column widths, font size and, for many schools,
column groups.

Figures never wrap: a column of figures is as wide as its longest figure. Table text is
五号, or 小五 where 五号 does not fit; never smaller. A table with one column per school
that does not fit at 小五 is split into column groups (see :func:`in_column_groups`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docxreport.text import display_width

if TYPE_CHECKING:
    from docxreport.view.grids import Grid


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


SHORT_LABEL = 12.0  # half-em units: a label this short is never squeezed
MIN_LABEL = 16.0  # a long label or note column keeps at least eight characters


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _needs(grid: Grid) -> tuple[list[float], list[bool]]:
    """Each column's width in half-em units, and whether it is a column of figures."""
    figure_cols, needs = [], []
    for c in range(len(grid.weights)):
        heads = {
            r
            for r in range(len(grid.rows))
            if (r % grid.block if grid.block else r) < grid.header_rows
        }
        body = [row[c] for r, row in enumerate(grid.rows) if r not in heads and row[c] is not None]
        head = [grid.rows[r][c] for r in heads if grid.rows[r][c] is not None]
        numbers = [c for c in body if c.figure is not None and _is_number(c.figure.value)]
        figure_cols.append(bool(body) and len(numbers) * 2 >= len(body))
        widest = max([min(display_width(cell.text), 28) for cell in body] + [4])
        words = max([min(display_width(cell.text), 6) for cell in head] + [4])
        needs.append(max(widest, words) + 3.0)  # + cell margins (2 × 1.9 mm) and slack
    return needs, figure_cols


def _room(width_mm: float, size_pt: float) -> float:
    """Half-em units across ``width_mm`` at ``size_pt``."""
    return width_mm / (size_pt * 0.3528 / 2)


def _weights(needs: list[float], figure_cols: list[bool], room: float) -> list[float]:
    """Figures keep their width; short labels (a school's name) keep theirs; long labels
    share what is left, each keeping at least a few characters."""
    fixed = sum(n for n, fig in zip(needs, figure_cols, strict=True) if fig)
    free = [n for n, fig in zip(needs, figure_cols, strict=True) if not fig]
    short = sum(n for n in free if n <= SHORT_LABEL)
    long_ = [n for n in free if n > SHORT_LABEL]
    left = max(room - fixed - short, MIN_LABEL * len(long_))
    scale = min(1.0, left / sum(long_)) if long_ else 1.0
    return [
        n if fig or n <= SHORT_LABEL else max(MIN_LABEL, n * scale)
        for n, fig in zip(needs, figure_cols, strict=True)
    ]


CELL_MARGINS_MM = 2 * 1.9  # Word's default left and right cell margins
SLACK = 3.0  # half-ems added to a column's text in :func:`_needs`
TOLERANCE_MM = 0.05  # under 3 twips: less than Word rounds a column width to


def _fits_at(needs: list[float], figure_cols: list[bool], width_mm: float, size_pt: float) -> bool:
    """Whether, with the columns scaled to the text block, every figure column still holds
    its widest figure plus the cell margins."""
    half_em = size_pt * 0.3528 / 2
    weights = _weights(needs, figure_cols, width_mm / half_em)
    scale = min(1.0, width_mm / half_em / sum(weights))
    return all(
        n * scale * half_em + TOLERANCE_MM >= (n - SLACK) * half_em + CELL_MARGINS_MM
        for n, fig in zip(needs, figure_cols, strict=True)
        if fig
    )


def fits(grid: Grid, width_mm: float, size_pt: float) -> bool:
    """Whether every figure of ``grid`` is printed whole, on one line, at ``size_pt``."""
    needs, figure_cols = _needs(grid)
    return _fits_at(needs, figure_cols, width_mm, size_pt)


def fit_weights(
    grid: Grid, width_mm: float, sizes_pt: tuple[float, ...]
) -> tuple[list[float], float]:
    """Column weights and font size from the content.

    Figure columns get the width of their longest figure so that numbers never wrap;
    label and note columns share what is left (at least a few characters) and wrap.
    The first font size in ``sizes_pt`` with room for every figure is chosen.
    """
    needs, figure_cols = _needs(grid)
    for size in sizes_pt:
        if _fits_at(needs, figure_cols, width_mm, size) or size == sizes_pt[-1]:
            return _weights(needs, figure_cols, _room(width_mm, size)), size
    raise AssertionError("unreachable")


# -- many schools: column groups --------------------------------------------------------------

TABLE_SIZES_PT = (10.5, 9.0)  # 五号, then 小五: table text is never smaller


def in_column_groups(grid: Grid, width_mm: float) -> Grid:
    """``grid`` as it is when it fits at 小五; else its school columns in groups.

    A table with one column per school that no longer fits (a region of 20–40 schools)
    is printed the way statistical yearbooks print a wide table: in blocks one under
    the other, each with the header row and the row labels (序号, 指标, 单位) repeated,
    as few blocks as fit at a legible size; the total column stays last.
    """
    if not grid.lead or grid.block or grid.header_rows != 1:
        return grid
    if fits(grid, width_mm, TABLE_SIZES_PT[-1]):
        return grid
    data = len(grid.weights) - grid.lead
    for groups in range(2, data + 1):
        stacked = _stacked(grid, -(-data // groups))
        if fits(stacked, width_mm, TABLE_SIZES_PT[-1]):
            return stacked
    return _stacked(grid, 1)


def _stacked(grid: Grid, per: int) -> Grid:
    """The school columns of ``grid`` in groups of ``per``, stacked as blocks of rows."""
    from docxreport.view.grids import Cell, Grid

    lead, data, height = grid.lead, len(grid.weights) - grid.lead, len(grid.rows)
    rows: list[list[Cell | None]] = []
    merges = []
    for start in range(0, data, per):
        cols = range(grid.lead + start, grid.lead + min(start + per, data))
        pad = per - len(cols)
        offset = len(rows)
        for row in grid.rows:
            filler = [Cell("") for _ in range(pad)]
            rows.append(row[:lead] + [row[c] for c in cols] + filler)
        merges += [
            (r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in grid.merges if c1 < lead
        ]
    weights = grid.weights[:lead] + [max(grid.weights[lead:])] * per
    return Grid(rows, weights, grid.header_rows, merges, lead, height)
