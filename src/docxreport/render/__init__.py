"""Word output: the only part of docxreport that touches docxtpl and python-docx.

It turns a report's view (:mod:`docxreport.view`) into a Word document:

- :mod:`.context` gives the template the view's figures, tables and blocks;
- :mod:`.marks` keeps every printed figure identifiable through docxtpl;
- :mod:`.tables` writes a table's grid as a Word table;
- :mod:`.blocks` builds photos and case boxes;
- :mod:`.numbering` numbers headings and captions and fills the contents lists;
- :mod:`.document` renders a template, verifies the result and writes it.
"""

from docxreport.render.blocks import cases_block, figures_block
from docxreport.render.document import (
    load_template,
    make_cases,
    make_env,
    make_figures,
    render_report,
    verify_docx,
)
from docxreport.render.numbering import NumberingSummary, number_document, toc_marker
from docxreport.render.tables import add_table
from docxreport.view.report import Case, Photo

__all__ = [
    "Case",
    "NumberingSummary",
    "Photo",
    "add_table",
    "cases_block",
    "figures_block",
    "load_template",
    "make_cases",
    "make_env",
    "make_figures",
    "number_document",
    "render_report",
    "toc_marker",
    "verify_docx",
]
