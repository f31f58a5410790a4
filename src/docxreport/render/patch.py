"""Patch a built report that staff may have edited: only the marked pieces change.

A :class:`ReportFile` holds the report's parts as they are in the .docx. Refreshing a
figure rewrites the text inside its bookmark (keeping the run's formatting); refreshing
a table rewrites the cells whose text changed, or puts a freshly built table in its
place when the table's shape changed. Every other part of the package is copied byte
for byte, and the XML of ``word/document.xml`` outside the marked pieces is kept as it
was parsed (staff's wording, formatting, comments and tracked changes included).
"""

from __future__ import annotations

import copy
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from docxreport.errors import OutputError
from docxreport.page import LANDSCAPE_WIDTH_MM, TEXT_WIDTH_MM
from docxreport.render.draft import DRAFT_MARK
from docxreport.render.marks import START, Mark, paragraph_text
from docxreport.render.package import write_members
from docxreport.render.schemaorder import put_in_order
from docxreport.render.state import State, read_state
from docxreport.render.tidy import Stamp
from docxreport.view.grids import Grid

DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@dataclass
class Bookmark:
    start: Any
    end: Any | None

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

    def bookmarks(self) -> dict[str, Bookmark]:
        ends = {e.get(qn("w:id")): e for e in self.root.iter(qn("w:bookmarkEnd"))}
        return {
            b.get(qn("w:name"), ""): Bookmark(b, ends.get(b.get(qn("w:id"))))
            for b in self.root.iter(qn("w:bookmarkStart"))
        }

    # -- changes ----------------------------------------------------------------------------

    def set_text(self, mark: Bookmark, text: str, spill: str = "") -> None:
        """Put ``text`` in the bookmark's first run, empty its other runs; formatting stays.

        ``spill``: the end of the old text that stands after the bookmark (see
        :meth:`Bookmark.spill`); it is removed there.
        """
        texts = [t for r in mark.runs() for t in r.iter(qn("w:t"))]
        if not texts:
            return
        if spill:
            mark.take_spill(spill)
        texts[0].text = text
        for t in texts[1:]:
            t.text = ""
        self.changed_parts.add(DOCUMENT)

    def update_table(self, mark: Bookmark, fresh: Any) -> tuple[str, list[tuple[str, str]]]:
        """Bring the table holding ``mark`` up to ``fresh`` (a new w:tbl element).

        Returns ("cells", [(old, new)…]) when only cell texts changed, or ("rebuilt", [])
        when the shape differed and the whole table was replaced.
        """
        old = next((a for a in mark.start.iterancestors(qn("w:tbl"))), None)
        if old is None:
            return "missing", []
        if _shape(old) != _shape(fresh):
            name, bid = mark.start.get(qn("w:name")), mark.start.get(qn("w:id"))
            replacement = copy.deepcopy(fresh)
            first = next(replacement.iter(qn("w:r")), None)
            if first is not None:
                start, end = copy.deepcopy(mark.start), etree.Element(qn("w:bookmarkEnd"))
                start.set(qn("w:name"), name)
                end.set(qn("w:id"), bid)
                first.addprevious(start)
                first.addnext(end)
            old.addprevious(replacement)
            old.getparent().remove(old)
            self.changed_parts.add(DOCUMENT)
            return "rebuilt", []
        changes = []
        for old_tc, new_tc in zip(old.iter(qn("w:tc")), fresh.iter(qn("w:tc")), strict=True):
            before, after = _cell_text(old_tc), _cell_text(new_tc)
            if before != after:
                _set_cell_text(old_tc, after)
                changes.append((before, after))
        if changes:
            self.changed_parts.add(DOCUMENT)
        return "cells", changes

    def remove_draft_mark(self) -> bool:
        """Take the 征求意见稿 line out of every header; whether there was one."""
        removed = False
        for name, blob in list(self.blobs.items()):
            if not (name.startswith("word/header") and name.endswith(".xml")):
                continue
            if DRAFT_MARK.encode() not in blob:
                continue
            root = etree.fromstring(blob, _SAFE)
            for p in list(root.iter(qn("w:p"))):
                if paragraph_text(p).strip() == DRAFT_MARK:
                    p.getparent().remove(p)
                    removed = True
            self.blobs[name] = _serialise(root)
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
        stamp = Stamp.after(self.blobs.get(CORE))
        names = [i.filename for i in self.infos if i.filename in self.blobs]  # adopt drops some
        with open(target, "wb") as out:
            write_members(out, {name: self.blobs[name] for name in names}, stamp)

    def has_marks_left(self) -> bool:
        return START.encode("utf-8") in _serialise(self.root)


def _serialise(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _shape(tbl: Any) -> list[list[tuple[str, str]]]:
    """Rows of (gridSpan, vMerge) per cell: what "the same table shape" means here."""
    shape = []
    for tr in tbl.iter(qn("w:tr")):
        row = []
        for tc in tr.iter(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span = pr.find(qn("w:gridSpan")) if pr is not None else None
            merge = pr.find(qn("w:vMerge")) if pr is not None else None
            row.append(
                (
                    "1" if span is None else span.get(qn("w:val"), "1"),
                    "" if merge is None else merge.get(qn("w:val"), "continue"),
                )
            )
        shape.append(row)
    return shape


def _cell_text(tc: Any) -> str:
    return "\n".join(paragraph_text(p) for p in tc.iter(qn("w:p")))


def _set_cell_text(tc: Any, text: str) -> None:
    """The cell's first text gets ``text``; its other texts are emptied (formatting kept)."""
    texts = list(tc.iter(qn("w:t")))
    if not texts:
        p = tc.find(qn("w:p"))
        run = etree.SubElement(p, qn("w:r"))
        texts = [etree.SubElement(run, qn("w:t"))]
    texts[0].text = text
    for t in texts[1:]:
        t.text = ""


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
