"""Word output: the only part of docxreport that touches docxtpl and python-docx.

- :mod:`.fmt` turns figures into printed strings;
- :mod:`.tables` builds the data tables from the catalog's table specs;
- :mod:`.blocks` builds photos and case boxes;
- :mod:`.numbering` numbers headings and captions and fills the contents lists;
- :mod:`.document` renders a template, verifies the result and writes it.
"""

from docxreport.render.blocks import Case, Photo, cases_block, figures_block
from docxreport.render.document import (
    load_template,
    make_cases,
    make_env,
    make_figures,
    make_table,
    render_report,
    verify_docx,
)
from docxreport.render.fmt import Change, clean_text, format_change, format_value
from docxreport.render.numbering import NumberingSummary, number_document, toc_marker
from docxreport.render.tables import add_table

__all__ = [
    "Case",
    "Change",
    "NumberingSummary",
    "Photo",
    "add_table",
    "cases_block",
    "clean_text",
    "figures_block",
    "format_change",
    "format_value",
    "load_template",
    "make_cases",
    "make_env",
    "make_figures",
    "make_table",
    "number_document",
    "render_report",
    "toc_marker",
    "verify_docx",
]
