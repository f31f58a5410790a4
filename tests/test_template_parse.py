"""The filled body is parsed with its document part, and table grids are fitted as docxtpl does."""

from __future__ import annotations

import pytest
from docxtpl import DocxTemplate
from lxml import etree

from docxreport.render.template import fit_table_grids

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def table(grid: list[int], rows: list[list[int]]) -> str:
    """A table with ``grid`` column widths and rows of cells, each cell's span given."""
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    body = "".join(
        "<w:tr>"
        + "".join(
            f'<w:tc><w:tcPr><w:gridSpan w:val="{s}"/></w:tcPr></w:tc>' if s > 1 else "<w:tc/>"
            for s in row
        )
        + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl><w:tblGrid>{cols}</w:tblGrid>{body}</w:tbl>"


CASES = {
    "a loop made more cells": table([3000, 3000], [[1, 1, 1, 1], [1, 1]]),
    "a loop made fewer cells": table([2000, 2000, 2000, 2000], [[1, 1], [1]]),
    "spans fill the grid": table([1000, 1000, 1000], [[2, 1], [1, 1, 1]]),
    "spans leave columns over": table([1000, 1000, 1000, 1000], [[2, 1]]),
    "already right": table([1500, 2500], [[1, 1], [1, 1]]),
}


@pytest.mark.parametrize("xml", CASES.values(), ids=CASES.keys())
def test_grids_are_fitted_as_docxtpl_fits_them(xml: str) -> None:
    body = f'<w:body xmlns:w="{W}">{xml}</w:body>'
    theirs = DocxTemplate.fix_tables(None, body)  # type: ignore[arg-type]  # uses no state
    ours = etree.fromstring(body)
    fit_table_grids(ours)
    assert etree.tostring(ours) == etree.tostring(theirs)
