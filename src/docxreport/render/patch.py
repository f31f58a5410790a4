"""Patch a built report that staff may have edited: only the marked pieces change.

A :class:`ReportFile` holds the report's parts as they are in the .docx. Refreshing a
figure rewrites the text inside its bookmark (keeping the run's formatting); refreshing
a table rewrites the cells whose text changed, or puts a freshly built table in its
place when the table's shape changed. Every other part of the package is copied byte
for byte, and the XML of ``word/document.xml`` outside the marked pieces is kept as it
was parsed (staff's wording, formatting, comments and tracked changes included).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from docxreport.errors import OutputError
from docxreport.page import LANDSCAPE_WIDTH_MM, TEXT_WIDTH_MM
from docxreport.render.draft import DRAFT_MARK
from docxreport.render.marks import START, Mark, paragraph_text
from docxreport.render.package import write_members
from docxreport.render.revisions import COMMENTS, Revisions, add_comment, between, comments_root
from docxreport.render.schemaorder import put_in_order
from docxreport.render.sideparts import SIDE_TYPES, labels
from docxreport.render.state import State, read_state
from docxreport.render.tablepatch import TablePatch, decode, patch_table
from docxreport.render.tidy import Stamp
from docxreport.view.grids import Grid

DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CORE = "docProps/core.xml"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@dataclass
class Bookmark:
    start: Any
    end: Any | None
    part: str = DOCUMENT  # the package part holding it (the body, or a header…)

    def runs(self) -> list[Any]:
        """The runs from the start to the end, when both stand in one paragraph."""
        if self.end is None or self.start.getparent() is not self.end.getparent():
            return []
        out, node = [], self.start.getnext()
        while node is not None and node is not self.end:
            if node.tag == qn("w:r"):
                out.append(node)
            out += [r for r in node.iter(qn("w:r")) if r is not node]
            node = node.getnext()
        return out

    def text(self) -> str:
        return "".join(t.text or "" for r in self.runs() for t in r.iter(qn("w:t")))

    def spill(self, printed: str) -> str:
        """The end of ``printed`` standing just after the bookmark's end, if it does.

        LibreOffice, saving a run of mixed Chinese and digits ("2025 年 1 月"), may put the
        bookmark's end a character early; the text is still the one we printed.
        """
        current = self.text()
        if self.end is None or not printed.startswith(current) or current == printed:
            return ""
        rest = printed[len(current) :]
        after = "".join(t.text or "" for t in _texts_after(self.end, len(rest)))
        return rest if after.startswith(rest) else ""

    def take_spill(self, spill: str) -> None:
        """Remove ``spill`` from the text after the bookmark's end."""
        left = len(spill)
        for t in _texts_after(self.end, left):
            text = t.text or ""
            cut = min(left, len(text))
            t.text = text[cut:]
            left -= cut
            if not left:
                break


_REVISIONS = (qn("w:ins"), qn("w:del"))


def _hoist_bookmarks(root: Any) -> None:
    """A bookmark end standing first or last inside a tracked change is put just outside it.

    LibreOffice, saving a figure with a pending data update, moves the bookmark's start
    into the ``w:del``; the same place, one level up, keeps start and end siblings.
    """
    for b in list(root.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))):
        parent = b.getparent()
        if parent is None or parent.tag not in _REVISIONS:
            continue
        if b.tag == qn("w:bookmarkStart") and b.getprevious() is None:
            parent.addprevious(b)
        elif b.tag == qn("w:bookmarkEnd") and b.getnext() is None:
            parent.addnext(b)


def _end_of(start: Any, candidates: list[Any]) -> Any | None:
    """The end of the bookmark ``start`` among the ends sharing its id: the one in its
    own paragraph (a copied paragraph holds a copy of both), else the only one."""
    parent = start.getparent()
    same = [e for e in candidates if e.getparent() is parent]
    if same:
        at = parent.index(start)
        return next((e for e in same if parent.index(e) > at), same[-1])
    return candidates[0] if candidates else None


def _texts_after(node: Any, enough: int) -> list[Any]:
    """The w:t elements after ``node`` in its paragraph, until ``enough`` characters."""
    out, count = [], 0
    sibling = node.getnext()
    while sibling is not None and count < enough:
        for t in sibling.iter(qn("w:t")):
            out.append(t)
            count += len(t.text or "")
        sibling = sibling.getnext()
    return out


class ReportFile:
    """A built report, opened for patching."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as package:
                self.infos = package.infolist()
                self.blobs = {info.filename: package.read(info.filename) for info in self.infos}
                found = read_state(package)
            self.root = etree.fromstring(self.blobs[DOCUMENT], _SAFE)
        except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            raise OutputError(f"{path} 不是可读的 Word 文件（{type(exc).__name__}）") from exc
        self.state_name, self.state = found if found else ("", None)
        self.changed_parts: set[str] = set()
        self.roots = {DOCUMENT: self.root, **self._side_roots()}
        for root in self.roots.values():
            _hoist_bookmarks(root)
        self.revisions: Revisions | None = None  # set: changes are written as tracked
        self._comments: Any = None

    def track(self, when: datetime | None = None) -> None:
        """From now on, write changed texts as tracked changes (see :mod:`.revisions`)."""
        comments = [etree.fromstring(self.blobs[COMMENTS], _SAFE)] if COMMENTS in self.blobs else []
        self.revisions = Revisions([*self.roots.values(), *comments], when)

    def comment(self, first: Any, last: Any, lines: list[str]) -> None:
        """A comment by docxreport over ``first``…``last`` (in one paragraph)."""
        assert self.revisions is not None
        if self._comments is None:
            self._comments = comments_root(self.blobs, self.infos)
        add_comment(self.revisions, self._comments, first, last, lines)
        self.changed_parts.update({COMMENTS, DOCUMENT})

    def _side_roots(self) -> dict[str, Any]:
        """The parsed headers, footers and footnotes, by part name."""
        rels = self.side_rels()
        roots = {}
        for name, _ in rels.values():
            if name in self.blobs:
                try:
                    roots[name] = etree.fromstring(self.blobs[name], _SAFE)
                except etree.XMLSyntaxError as exc:
                    raise OutputError(f"{self.path} 的 {name} 不是合法的 XML") from exc
        return roots

    def side_rels(self) -> dict[str, tuple[str, str]]:
        """rId → (part name, type) of the document's headers, footers and footnotes."""
        blob = self.blobs.get(DOCUMENT_RELS)
        if blob is None:
            return {}
        found = {}
        for rel in etree.fromstring(blob, _SAFE):
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            if kind in SIDE_TYPES and rel.get("TargetMode") != "External":
                name = target.lstrip("/") if target.startswith("/") else f"word/{target}"
                found[rel.get("Id", "")] = (name, kind)
        return found

    def side_labels(self) -> dict[str, str]:
        """Part name → ``第 1 节页眉`` (see :mod:`.sideparts`)."""
        return labels(self.root, self.side_rels())

    def bookmarks(self) -> dict[str, Bookmark]:
        """Bookmark name → where it stands, in the body, headers, footers and footnotes.

        A name that appears twice (a paragraph copied with its bookmark) maps to its
        first; :meth:`all_bookmarks` gives every one."""
        found: dict[str, Bookmark] = {}
        for name, bookmark in self.all_bookmarks():
            found.setdefault(name, bookmark)
        return found

    def all_bookmarks(self) -> list[tuple[str, Bookmark]]:
        """Every bookmark, in order of the parts and of the document, duplicates kept."""
        out = []
        for part, root in self.roots.items():
            ends: dict[str, list[Any]] = {}
            for e in root.iter(qn("w:bookmarkEnd")):
                ends.setdefault(e.get(qn("w:id")), []).append(e)
            for b in root.iter(qn("w:bookmarkStart")):
                bid = b.get(qn("w:id"))
                end = _end_of(b, ends.get(bid, []))
                out.append((b.get(qn("w:name"), ""), Bookmark(b, end, part)))
        return out

    # -- changes ----------------------------------------------------------------------------

    def set_text(self, mark: Bookmark, text: str, spill: str = "") -> None:
        """Put ``text`` in the bookmark's first run, empty its other runs; formatting stays.

        ``spill``: the end of the old text that stands after the bookmark (see
        :meth:`Bookmark.spill`); it is removed there.
        """
        tracked = self.revisions is not None and not spill and mark.end is not None
        if tracked and self.revisions.replace(between(mark.start, mark.end), text):
            self.changed_parts.add(mark.part)
            return
        texts = [t for r in mark.runs() for t in r.iter(qn("w:t"))]
        if not texts:
            return
        if spill:
            mark.take_spill(spill)
        texts[0].text = text
        for t in texts[1:]:
            t.text = ""
        self.changed_parts.add(mark.part)

    def update_table(
        self, mark: Bookmark, fresh: Any, printed: str, header_rows: int = 1
    ) -> TablePatch:
        """Bring the table holding ``mark`` up to ``fresh`` (a new w:tbl); ``printed``:
        the mark's cell texts (see :mod:`.tablepatch`)."""
        old = next((a for a in mark.start.iterancestors(qn("w:tbl"))), None)
        if old is None:
            return TablePatch("missing")
        result = patch_table(old, fresh, decode(printed), mark.start, header_rows, self.revisions)
        if result.how == "rebuilt" or result.changed:
            self.changed_parts.add(mark.part)
        return result

    def remove_draft_mark(self) -> bool:
        """Take the 征求意见稿 line out of every header; whether there was one."""
        removed = False
        for name, root in self.roots.items():
            if not name.startswith("word/header") or DRAFT_MARK.encode() not in self.blobs[name]:
                continue
            for p in list(root.iter(qn("w:p"))):
                if paragraph_text(p).strip() == DRAFT_MARK:
                    p.getparent().remove(p)
                    removed = True
                    self.changed_parts.add(name)
        return removed

    def set_state(self, state: State) -> None:
        if self.state_name:
            self.blobs[self.state_name] = state.to_xml()
            self.changed_parts.add(self.state_name)
        self.state = state

    # -- writing -----------------------------------------------------------------------------

    def write(self, target: Path) -> None:
        """Write the package to ``target``: changed parts re-serialised, others as they were
        (but tidied, see :mod:`~docxreport.render.tidy`: this is one more revision of the
        file, its creation time kept)."""
        put_in_order(self.root)  # what a LibreOffice save left out of schema order
        self.blobs[DOCUMENT] = _serialise(self.root)
        for name, root in self.roots.items():  # headers, footers, footnotes
            if name != DOCUMENT and name in self.changed_parts:
                self.blobs[name] = _serialise(root)
        if self._comments is not None:  # a tracked refresh's comments
            self.blobs[COMMENTS] = _serialise(self._comments)
        stamp = Stamp.after(self.blobs.get(CORE))
        names = [i.filename for i in self.infos if i.filename in self.blobs]  # adopt drops some
        with open(target, "wb") as out:
            write_members(out, {name: self.blobs[name] for name in names}, stamp)

    def has_marks_left(self) -> bool:
        return START.encode("utf-8") in _serialise(self.root)


def _serialise(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class TableMaker:
    """Builds fresh tables with a report's own styles (the report is read once)."""

    def __init__(self, report: Path) -> None:
        from docx import Document

        self.doc = Document(str(report))
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    def make(self, grid: Grid, landscape: bool) -> Any:
        """A new w:tbl for ``grid``, detached from any document."""
        from docxreport.render.tables import emit_grid

        table = emit_grid(self.doc, grid, LANDSCAPE_WIDTH_MM if landscape else TEXT_WIDTH_MM)
        tbl = table._tbl
        tbl.getparent().remove(tbl)
        return tbl


__all__ = ["Bookmark", "Mark", "ReportFile", "TableMaker"]
