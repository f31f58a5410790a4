"""Copies of marked figures: a sentence staff copied and pasted elsewhere.

A copy comes in three forms:

- python-docx, WPS and some editors copy the bookmark with the text: the same name
  stands twice;
- LibreOffice renames the copy's bookmark ``_dr000046_Copy_1`` (and a header it repeats
  for each section ``…_Copy_2_Copy_3``);
- Word keeps a bookmark's name once, so the copy is plain text: it is found by the
  figure's printed text with the words around it, standing where no mark is.

The first two are bound copies (refresh updates them while they still show the printed
text); the third can only be listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from docxreport.render.marks import PREFIX, walk_places
from docxreport.render.patch import DOCUMENT, Bookmark, ReportFile

_COPY = re.compile(r"(?:_Copy_\d+)+$")
_IDS = etree.XPath(
    "//w:bookmarkStart/@w:id",
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
)
_T, _START, _END = qn("w:t"), qn("w:bookmarkStart"), qn("w:bookmarkEnd")
BEFORE, AFTER = 6, 4  # characters around a figure that make its copy recognisable
HIDDEN = "\0"


def base_name(name: str) -> str:
    """The mark a bookmark copies: ``_dr000046`` for ``_dr000046_Copy_1``."""
    return _COPY.sub("", name)


@dataclass
class Occurrence:
    """One bookmark of a mark: the mark's own (the first) or a copy."""

    bookmark: Bookmark
    where: str
    copy: bool = False


Walked = list[tuple[Any, str]]  # (Paragraph, where) of the body, see walk_places


def occurrences(report: ReportFile, walked: Walked | None = None) -> dict[str, list[Occurrence]]:
    """Mark name → its bookmarks in the report, its own first, then the copies."""
    walked = walk_places(report.root) if walked is None else walked
    here = {para.p: where for para, where in walked}
    labels = report.side_labels()
    found: dict[str, list[Occurrence]] = {}
    for name, bookmark in report.all_bookmarks():
        if not name.startswith(PREFIX) or bookmark.end is None:
            continue
        if bookmark.part == DOCUMENT:
            p = next(bookmark.start.iterancestors(qn("w:p")), None)
            where = here.get(p, "")
        else:
            where = labels.get(bookmark.part, bookmark.part)
        found.setdefault(base_name(name), []).append(
            Occurrence(bookmark, where, base_name(name) != name)
        )
    for listed in found.values():
        listed.sort(key=lambda o: o.copy)  # the exact name first; the sort is stable
        for later in listed[1:]:
            later.copy = True
    return found


def mend(report: ReportFile, found: dict[str, list[Occurrence]]) -> None:
    """Give each copy that kept its original's bookmark name (and id) a name and id of its
    own, ``_dr000046_Copy_1`` as LibreOffice names them: Word wants both unique."""
    ids = [int(v) for root in report.roots.values() for v in _IDS(root) if v.isdigit()]
    next_id = max(ids, default=0) + 1
    for name, listed in found.items():
        taken = {o.bookmark.start.get(qn("w:name")) for o in listed}
        n = 0
        for copy in listed[1:]:
            start, end = copy.bookmark.start, copy.bookmark.end
            if start.get(qn("w:name")) != name:
                continue
            n += 1
            while f"{name}_Copy_{n}" in taken:
                n += 1
            start.set(qn("w:name"), f"{name}_Copy_{n}")
            start.set(qn("w:id"), str(next_id))
            end.set(qn("w:id"), str(next_id))
            next_id += 1
            report.changed_parts.add(copy.bookmark.part)


class Plain:
    """The body's paragraphs with every marked text hidden: where a copy Word unbound
    can be found. Read once, before refresh changes anything."""

    def __init__(self, report: ReportFile, walked: Walked | None = None) -> None:
        walked = walk_places(report.root) if walked is None else walked
        self.paragraphs = [(where, _masked(para.p)) for para, where in walked]

    @staticmethod
    def prose(root: Any, walked: Walked | None = None) -> list[tuple[str, str, str]]:
        """(chapter, text with marked texts hidden, text) of every paragraph outside tables."""
        return [(w, masked, text) for _, w, masked, text in prose_paragraphs(root, walked)]

    def window(self, bookmark: Bookmark, printed: str) -> str | None:
        """The printed text with a few characters around it, as its paragraph reads."""
        p = bookmark.start.getparent()
        if p is None or p.tag != qn("w:p"):
            return None
        before: list[str] = []
        for el in p.iter(_T, _START):
            if el is bookmark.start:
                break
            if el.tag == _T:
                before.append(el.text or "")
        else:
            return None
        whole = "".join(t.text or "" for t in p.iter(_T))
        head = "".join(before)
        if not whole.startswith(head + printed):
            return None
        tail = whole[len(head) + len(printed) :]
        around = head[-BEFORE:], tail[:AFTER]
        if len(around[0].strip()) + len(around[1].strip()) < AFTER:
            return None  # too little text around it to tell a copy from a coincidence
        return around[0] + printed + around[1]

    def find(self, window: str) -> list[str]:
        """Where ``window`` stands in unmarked text."""
        return [where for where, text in self.paragraphs if window in text]


def _masked(p: Any) -> str:
    """The text of ``p`` with the texts inside our bookmarks hidden."""
    open_ids: set[str] = set()
    out: list[str] = []
    for el in p.iter(_T, _START, _END):
        if el.tag == _START:
            if el.get(qn("w:name"), "").startswith(PREFIX):
                open_ids.add(el.get(qn("w:id"), ""))
        elif el.tag == _END:
            open_ids.discard(el.get(qn("w:id"), ""))
        else:
            text = el.text or ""
            out.append(HIDDEN * len(text) if open_ids else text)
    return "".join(out)


def prose_paragraphs(root: Any, walked: Walked | None = None) -> list[tuple[Any, str, str, str]]:
    """(w:p, chapter, text with marked texts hidden, text) of each paragraph outside tables,
    read now (``walked``, an earlier walk of the same body, only saves finding them)."""
    walked = walk_places(root) if walked is None else walked
    return [
        (
            para.p,
            where.split(" › ")[0] if " › " in where else "",
            _masked(para.p),
            "".join(t.text or "" for t in para.p.iter(_T)),
        )
        for para, where in walked
        if not where.endswith("表格")
    ]
