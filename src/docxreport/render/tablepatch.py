"""Refreshing a marked table the way a marked figure is refreshed: staff's edits stay.

A table's mark keeps the texts it printed, cell by cell (``Mark.cells``). Against them,
refresh tells the staff's edits from the data's:

- a cell whose text differs from what was printed is the staff's: kept, and listed with
  its row and column;
- rows (or columns) staff deleted stay deleted; the remaining cells are matched by their
  row header (the text of the row's first cell) and column header, and still update;
- formatting (shading, bold, widths) stays, since only texts are rewritten;
- the table is built afresh only when the data's shape changed (a school added or
  removed), and then what was added or removed is named.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from docxreport.render.marks import paragraph_text
from docxreport.render.revisions import Revisions

Texts = list[list[str]]
_TR, _TC, _P = qn("w:tr"), qn("w:tc"), qn("w:p")
_NOT_CONTENT = (qn("w:pPr"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:proofErr"))


@dataclass(frozen=True)
class CellEdit:
    """One cell refresh changed (``new``) or left as staff wrote it (``kept``)."""

    row: str
    column: str
    old: str
    new: str

    @property
    def place(self) -> str:
        return f" “{self.row}”行“{self.column}”列"


@dataclass
class TablePatch:
    """What refreshing one table did."""

    how: str  # "cells", "rebuilt" or "missing"
    changed: list[CellEdit] = field(default_factory=list)
    kept: list[CellEdit] = field(default_factory=list)  # staff's text; ``new`` is the data's
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    cells: str = ""  # the texts the data prints now, for the mark


def table_texts(tbl: Any) -> Texts:
    """The text of every cell, row by row (a merged-over cell is not a ``w:tc``)."""
    return [[cell_text(tc) for tc in tr.findall(_TC)] for tr in tbl.findall(_TR)]


def encode(texts: Texts) -> str:
    return json.dumps(texts, ensure_ascii=False, separators=(",", ":"))


def decode(cells: str) -> Texts | None:
    try:
        found = json.loads(cells) if cells else None
    except ValueError:
        return None
    ok = isinstance(found, list) and all(isinstance(r, list) for r in found)
    return found if ok else None


def cell_text(tc: Any) -> str:
    return "\n".join(paragraph_text(p) for p in tc.iter(_P))


def row_keys(texts: Texts) -> list[tuple[str, int]]:
    """Each row's header (its first cell; a row whose first cell is merged from above
    takes the row above's with its own second cell), numbered when it repeats."""
    keys: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    last = ""
    for row in texts:
        first = row[0].strip() if row else ""
        key = first or f"{last}·{row[1].strip() if len(row) > 1 else ''}"
        last = first or last
        seen[key] = seen.get(key, 0) + 1
        keys.append((key, seen[key]))
    return keys


def patch_table(
    old: Any,
    fresh: Any,
    printed: Texts | None,
    mark: Any,
    header_rows: int = 1,
    revisions: Revisions | None = None,
) -> TablePatch:
    """Bring the staff's table ``old`` up to ``fresh`` (a new ``w:tbl``), given the texts
    the table ``printed`` when it was built or last refreshed; ``mark`` is the table's
    bookmark start (a rebuilt table gets it back on its first run); ``header_rows``
    name the columns in messages; with ``revisions`` changed cells are tracked changes."""
    now, new = table_texts(old), table_texts(fresh)
    printed = printed if printed is not None else now  # a report made before texts were kept
    result = TablePatch("cells", cells=encode(new))
    if _shape(printed) != _shape(new):
        result.how = "rebuilt"
        was, will = row_keys(printed), row_keys(new)
        result.added = [_key_name(k) for k in will if k not in was]
        result.removed = [_key_name(k) for k in was if k not in will]
        _replace(old, fresh, mark)
        return result
    rows = {key: i for i, key in enumerate(row_keys(printed))}
    named = _Headers(fresh, header_rows)
    columns = _columns(_Headers(old, header_rows).columns(), named.columns())
    trs = old.findall(_TR)
    for i, key in enumerate(row_keys(now)):
        at = rows.get(key)
        if at is None:
            continue  # a row staff added, or whose header they retyped: theirs
        tcs = trs[i].findall(_TC)
        for j, c in _mapped(len(tcs), len(printed[at]), columns):
            cur, was, will = now[i][j], printed[at][c], new[at][c]
            edit = CellEdit(_row_name(printed[at]), named(at, c), cur, will)
            if cur != was:
                if cur != will:
                    result.kept.append(CellEdit(edit.row, edit.column, cur, was))
            elif will != was:
                _set_cell_text(tcs[j], will, revisions)
                result.changed.append(CellEdit(edit.row, edit.column, was, will))
    return result


def _key_name(key: tuple[str, int]) -> str:
    return key[0] if key[1] == 1 else f"{key[0]}（第 {key[1]} 个）"


def _shape(texts: Texts) -> list[tuple[tuple[str, int], int]]:
    return [(key, len(row)) for key, row in zip(row_keys(texts), texts, strict=True)]


def _columns(have: list[str], printed: list[str]) -> dict[int, int] | None:
    """Staff's grid column → the printed one, matched by the column names, when staff
    deleted columns; None: no column deleted; {}: the columns no longer line up."""
    if len(have) >= len(printed):
        return None
    mapping, c = {}, 0
    for j, name in enumerate(have):
        while c < len(printed) and printed[c] != name:
            c += 1
        if c == len(printed):
            return {}
        mapping[j] = c
        c += 1
    return mapping


def _mapped(have: int, printed: int, columns: dict[int, int] | None) -> list[tuple[int, int]]:
    """Pairs (staff's cell, printed cell) of one row."""
    if have == printed:
        return [(j, j) for j in range(have)]
    if columns and printed > have and len(columns) == have:
        return sorted(columns.items())
    return []  # a row whose cells no longer line up: left as it is


def _row_name(row: list[str]) -> str:
    """A row's header: its first cell, or the second when the first is a 序号."""
    for text in row[:2]:
        if text.strip() and not text.strip().isdigit():
            return " ".join(text.split())
    return " ".join(row[0].split()) if row else ""


class _Headers:
    """Column names from a table's header rows: "在校生 2024 年" for a column under the
    merged "在校生" and its own "2024 年"."""

    def __init__(self, tbl: Any, header_rows: int) -> None:
        self.starts = [_starts(tr) for tr in tbl.findall(_TR)]
        names: dict[int, list[str]] = {}
        for tr, starts in zip(tbl.findall(_TR)[:header_rows], self.starts, strict=False):
            for tc, (first, span) in zip(tr.findall(_TC), starts, strict=True):
                text = " ".join(cell_text(tc).split())
                for col in range(first, first + span):
                    if text and text not in names.setdefault(col, []):
                        names[col].append(text)
        self.names = names
        self.width = max((a + b for starts in self.starts for a, b in starts), default=0)

    def columns(self) -> list[str]:
        """Each grid column's name ("" where the header rows say nothing)."""
        return [" ".join(self.names.get(col, [])) for col in range(self.width)]

    def __call__(self, row: int, cell: int) -> str:
        if row < len(self.starts) and cell < len(self.starts[row]):
            col = self.starts[row][cell][0]
            if self.names.get(col):
                return " ".join(self.names[col])
        return f"第 {cell + 1} 列"


def _starts(tr: Any) -> list[tuple[int, int]]:
    """(first grid column, span) of each cell of a row."""
    out, col = [], 0
    for tc in tr.findall(_TC):
        span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        width = int(span.get(qn("w:val"), "1")) if span is not None else 1
        out.append((col, width))
        col += width
    return out


def _replace(old: Any, fresh: Any, mark: Any) -> None:
    """Put ``fresh`` in the place of ``old``, with the mark's bookmark on its first run."""
    replacement = copy.deepcopy(fresh)
    first = next(replacement.iter(qn("w:r")), None)
    if mark is not None and first is not None:
        start, end = copy.deepcopy(mark), etree.Element(qn("w:bookmarkEnd"))
        end.set(qn("w:id"), mark.get(qn("w:id")))
        first.addprevious(start)
        first.addnext(end)
    old.addprevious(replacement)
    old.getparent().remove(old)


def _set_cell_text(tc: Any, text: str, revisions: Revisions | None = None) -> None:
    """The cell's first text gets ``text``; its other texts are emptied (formatting kept).
    With ``revisions``, a cell of one paragraph changes as a tracked change."""
    paragraphs = tc.findall(_P)
    if revisions is not None and len(paragraphs) == 1:
        p = paragraphs[0]
        nodes = [n for n in p if n.tag not in _NOT_CONTENT]
        if not nodes:
            revisions.insert(p, None, text)
            return
        if revisions.replace(nodes, text):
            return
    texts = list(tc.iter(qn("w:t")))
    if not texts:
        p = tc.find(qn("w:p"))
        run = etree.SubElement(p, qn("w:r"))
        texts = [etree.SubElement(run, qn("w:t"))]
    texts[0].text = text
    for t in texts[1:]:
        t.text = ""
