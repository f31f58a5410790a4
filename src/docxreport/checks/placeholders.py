"""Placeholder paragraphs: the words only the region (or school) can write.

A starter template holds paragraphs such as ``【请撰写：本地区“立德树人”方面的主要做法与成效】``.
``check`` (on the templates) and ``build`` (on each report written) warn on every one
still there, naming its chapter, so that none reaches a published report unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from docxreport.issues import Issue, warning
from docxreport.model import Location
from docxreport.render.marks import strip
from docxreport.render.numbering import HEADING_STYLES, UNNUMBERED_STYLES

OPEN = "【请撰写："
PLACEHOLDER = re.compile(r"【请撰写[:：][^】]*】")
_FRONT = ("前置页标题", "目录标题", "封面标题")


def placeholder(what: str) -> str:
    """The text of a placeholder paragraph asking for ``what``."""
    return f"{OPEN}{what}】"


def _level(style_name: str) -> int:
    if style_name in HEADING_STYLES:
        return HEADING_STYLES[style_name]
    if style_name in UNNUMBERED_STYLES:
        return UNNUMBERED_STYLES[style_name]
    return 1 if style_name in _FRONT else 0


def chaptered(document: DocumentObject) -> Iterator[tuple[int, str, Any, str]]:
    """(paragraph number, chapter, w:p element, text) for each body paragraph that is not a
    heading; paragraphs are numbered as the template check numbers them."""
    styles = {s.style_id: s.name for s in document.styles}
    trail: list[str] = []
    for number, p in enumerate(document.element.body.iter(qn("w:p")), start=1):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        level = _level(styles.get(style.get(qn("w:val")), "") if style is not None else "")
        if level and text.strip():
            trail = [*trail[: level - 1], strip(text).strip()]
            continue
        yield number, " › ".join(trail) or "封面", p, text


def placeholders(source: Path | DocumentObject) -> Iterator[tuple[int, str, str]]:
    """(paragraph number, chapter, placeholder text) for each placeholder in the body of
    a .docx (a path, or a document already open)."""
    document = docx.Document(str(source)) if isinstance(source, Path) else source
    for number, chapter, _p, text in chaptered(document):
        for found in PLACEHOLDER.finditer(text):
            yield number, chapter, found.group(0)


def placeholder_issues(source: Path | DocumentObject, rel: str, part: str = "正文") -> list[Issue]:
    """A warning for every placeholder paragraph left in a .docx (a path, or opened)."""
    return [
        warning(
            Location(rel, part, f"段落 {number}"),
            f"待撰写的占位段落仍在（章节：{chapter}）：“{text}”。请改写为本地的文字或删除",
        )
        for number, chapter, text in placeholders(source)
    ]
