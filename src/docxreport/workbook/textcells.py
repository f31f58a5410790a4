"""Text stays text in every workbook docxreport writes.

openpyxl stores a string that starts with ``=`` as a formula: a school's
``=HYPERLINK("http://x","click")`` carried into next year's workbook would run as one,
show "click", and leave a formula without a value for the check to refuse. Every string
cell written is therefore typed as a string, and one that Excel would take for the start
of a formula when retyped (``= + - @``) is quote-prefixed, as Excel marks text typed
with a leading apostrophe.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")


def keep_text(cell: Any) -> Any:
    """``cell`` (an openpyxl cell) typed as text when it holds a string; returned."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def keep_all_text(wb: Any) -> None:
    """:func:`keep_text` for every cell of ``wb`` (a workbook that holds no formula of ours)."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # the cells that exist; iter_rows would add empty ones
            keep_text(cell)
