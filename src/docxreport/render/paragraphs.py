"""One reading of a rendered body: every paragraph's text, style and bookmarks.

The steps after rendering each look at every paragraph: where each mark stands
(:func:`~.marks.places`), what numbering numbers and where the contents lists go
(:mod:`.numbering`), whether a tag was left over (:mod:`.document`). Reading a
paragraph through python-docx's element classes costs more than any of those steps
does with it, so they share this one reading, made in a single pass over the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser

_P, _T, _PPR, _PSTYLE = qn("w:p"), qn("w:t"), qn("w:pPr"), qn("w:pStyle")
_BOOKMARK, _VAL, _NAME = qn("w:bookmarkStart"), qn("w:val"), qn("w:name")
_TEXT_BOX = qn("w:txbxContent")  # the one place a paragraph holds paragraphs
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_NSMAP = {"w": _W}


def w_element(name: str) -> Any:
    """A new ``w:<name>`` element, as python-docx's ``OxmlElement("w:<name>")`` makes it
    (same class, same namespace declaration) without parsing the prefixed name."""
    return oxml_parser.makeelement(f"{{{_W}}}{name}", nsmap=_W_NSMAP)


@dataclass(slots=True)
class Paragraph:
    """A ``w:p``, its text (its ``w:t`` texts joined), its style id and the names of the
    bookmarks that start inside it."""

    p: Any
    text: str
    style: str | None = None
    bookmarks: list[str] = field(default_factory=list)


def read_paragraphs(root: Any) -> list[Paragraph]:
    """Every paragraph under ``root``, in document order.

    A paragraph in a text box is also part of the paragraph holding the box (its text
    and bookmarks count there too), as ``p.iter()`` would find them.
    """
    if next(root.iter(_TEXT_BOX), None) is not None:
        return [_one(p) for p in root.iter(_P)]
    found: list[Paragraph] = []
    texts: list[str] = []
    current: Paragraph | None = None
    for el in root.iter(_P, _T, _PSTYLE, _BOOKMARK):
        tag = el.tag
        if tag == _T:
            if el.text:
                texts.append(el.text)
        elif tag == _P:
            if current is not None:
                current.text = "".join(texts)
            current, texts = Paragraph(el, ""), []
            found.append(current)
        elif current is None:
            continue  # before the first paragraph
        elif tag == _PSTYLE:
            ppr = el.getparent()
            if current.style is None and ppr.tag == _PPR and ppr.getparent() is current.p:
                current.style = el.get(_VAL)
        elif next(el.iterancestors(_P), None) is current.p:  # not between paragraphs
            current.bookmarks.append(el.get(_NAME, ""))
    if current is not None:
        current.text = "".join(texts)
    return found


def _one(p: Any) -> Paragraph:
    ppr = p.find(_PPR)
    style = ppr.find(_PSTYLE) if ppr is not None else None
    return Paragraph(
        p,
        "".join(t.text or "" for t in p.iter(_T)),
        style.get(_VAL) if style is not None else None,
        [b.get(_NAME, "") for b in p.iter(_BOOKMARK)],
    )
