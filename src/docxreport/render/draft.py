"""The 征求意见稿 mark of a draft: a line at the top of every page's header."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

DRAFT_MARK = "征求意见稿"


def _headers(doc: Any, section: Any) -> list[Any]:
    found = [section.header]
    if section.different_first_page_header_footer:
        found.append(section.first_page_header)
    if doc.settings.odd_and_even_pages_header_footer:
        found.append(section.even_page_header)
    return found


def _mark(header: Any) -> None:
    paragraphs = header.paragraphs
    if paragraphs and not paragraphs[0].text.strip():
        para = paragraphs[0]
    elif paragraphs:
        para = paragraphs[0].insert_paragraph_before()
    else:
        para = header.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(DRAFT_MARK)
    run.bold = True
    run.font.size = Pt(12)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    run.font.name = "黑体"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")


def mark_draft(doc: Any) -> None:
    """Put 征求意见稿 at the top of every header of ``doc`` (a python-docx Document).

    A header linked to the previous section's shows that section's mark; the first
    section's is always made its own.
    """
    for i, section in enumerate(doc.sections):
        for header in _headers(doc, section):
            if header.is_linked_to_previous:
                if i:
                    continue
                header.is_linked_to_previous = False
            _mark(header)
