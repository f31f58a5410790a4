"""Word output: the only part of docxreport that touches docxtpl and python-docx.

It turns a report's view (:mod:`docxreport.view`) into a Word document:

- :mod:`.context` gives the template the view's figures, tables and blocks;
- :mod:`.marks` keeps every printed figure identifiable through docxtpl;
- :mod:`.tables` writes a table's grid as a Word table;
- :mod:`.blocks` builds photos and case boxes;
- :mod:`.numbering` numbers headings and captions and fills the contents lists;
- :mod:`.document` renders a template, verifies the result (:mod:`.verify`) and writes it.
"""

from importlib import import_module
from typing import Any

_HOME = {
    "cases_block": "blocks",
    "figures_block": "blocks",
    "load_template": "document",
    "make_cases": "document",
    "make_env": "document",
    "make_figures": "document",
    "render_report": "document",
    "verify_docx": "verify",
    "NumberingSummary": "numbering",
    "number_document": "numbering",
    "toc_marker": "numbering",
    "add_table": "tables",
}
_VIEW = {"Case", "Photo"}

__all__ = sorted([*_HOME, *_VIEW])


def __getattr__(name: str) -> Any:
    """The names above, each imported from its module when first asked for: importing one
    module of the package (``render.numbering`` for the template check) loads only that."""
    if name in _HOME:
        return getattr(import_module(f"docxreport.render.{_HOME[name]}"), name)
    if name in _VIEW:
        return getattr(import_module("docxreport.view.report"), name)
    raise AttributeError(name)
