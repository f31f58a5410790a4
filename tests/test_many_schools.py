"""A region of 30 schools: every table fits the text block at a legible size."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from docxreport.load import load_year, region_catalog
from docxreport.model import Dataset, School
from docxreport.page import LANDSCAPE_WIDTH_MM, TEXT_WIDTH_MM
from docxreport.rollup import roll_up
from docxreport.text import display_width
from docxreport.view.fit import TABLE_SIZES_PT, TOLERANCE_MM, fit_weights, fits
from docxreport.view.grids import build_grid, ledger_rows

INPUTS = Path(__file__).resolve().parents[1] / "inputs"
CELL_MARGINS_MM = 2 * 1.9  # Word's default cell margins, left and right
N = 30


@pytest.fixture(scope="module")
def thirty():
    """The sample's seven schools copied into a region of 30 (names 第01职校 …)."""
    cat = region_catalog(INPUTS, 2024)
    sample = load_year(INPUTS, 2024, cat).data
    registry, schools = [], []
    for i in range(N):
        src = sample.schools[i % len(sample.schools)]
        school = School(f"第{i + 1:02d}职校", f"某市第{i + 1:02d}职业学校", (), i)
        registry.append(school)
        schools.append(dataclasses.replace(src, school=school, file=f"学校/{school.short}.xlsx"))
    city = dataclasses.replace(sample.city, registry=registry, published=[])
    data = Dataset(2024, city, schools)
    roll_up(data, cat)
    return data, cat


def test_every_table_fits_and_no_figure_is_squeezed(thirty):
    data, cat = thirty
    for spec in cat.tables:
        if spec.kind == "list":
            continue
        width = LANDSCAPE_WIDTH_MM if spec.landscape else TEXT_WIDTH_MM
        grid = build_grid(spec, data, cat)
        weights, size = fit_weights(grid, width, TABLE_SIZES_PT)
        assert size >= 9.0, spec.id
        assert fits(grid, width, size), spec.id
        widths = [width * w / sum(weights) for w in weights]
        for row in grid.rows:
            for c, cell in enumerate(row):
                if cell is None or cell.figure is None or isinstance(cell.figure.value, str):
                    continue  # a note (备注) wraps like any text
                needed = display_width(cell.text) * size * 0.3528 / 2 + CELL_MARGINS_MM
                assert widths[c] + TOLERANCE_MM >= needed, (spec.id, cell.text, widths[c], needed)


def test_a_table_with_a_column_per_school_comes_in_groups_with_its_row_labels(thirty):
    data, cat = thirty
    grid = build_grid(cat.table("6-1"), data, cat)
    assert grid.block and len(grid.rows) % grid.block == 0
    blocks = len(grid.rows) // grid.block
    assert 2 <= blocks <= 4
    heads = [grid.rows[b * grid.block] for b in range(blocks)]
    shown = [c.text for h in heads for c in h[grid.lead :] if c is not None and c.text]
    assert shown == [s.short for s in data.city.registry] + ["合计"]  # each once, total last
    labels = [[c.text if c else None for c in row[: grid.lead]] for row in grid.rows]
    assert labels[: grid.block] * blocks == labels  # row labels repeated in every block
    listed = {(column, text) for _row, column, text, _f in ledger_rows(grid)}
    assert any(column == "第30职校" for column, _text in listed)


def test_seven_schools_keep_one_column_each(thirty):
    cat = thirty[1]
    sample = load_year(INPUTS, 2024, cat).data
    assert build_grid(cat.table("6-1"), sample, cat).block == 0
