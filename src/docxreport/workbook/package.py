"""A workbook file read once: its bytes, and everything the readers ask of them.

:class:`Package` holds the file's bytes and answers from its XML, with lxml:

- :meth:`Package.extent`: each sheet's recorded size (its ``dimension``), or its
  rows counted, stopping past the limit, before any cell is read;
- :meth:`Package.load`: every worksheet's cells with their cached values, as openpyxl
  would load them, and the formulas that have none (see :mod:`.cells`), without
  openpyxl's object model.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from docxreport.workbook.cells import (
    Cells,
    Styles,
    column_index,
    read_sheet,
    shared_strings,
    split_coordinate,
)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_WORKSHEET, _STYLES, _STRINGS = "/worksheet", "/styles", "/sharedStrings"  # relationship types
_C, _ROW = f"{{{_MAIN}}}c", f"{{{_MAIN}}}row"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"')
_HEAD = 4096  # bytes of a sheet that hold its dimension (openpyxl reads it the same way)


class UnsafeXml(Exception):
    """A part of the package declares a DTD (refused: see :mod:`.guard`)."""


def _parse(data: bytes) -> etree._Element:
    """Parse one part; a DTD (raw ``<!DOCTYPE``/``<!ENTITY`` markup) is refused unread."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise UnsafeXml
    return etree.fromstring(data, _PARSER)


@dataclass
class Package:
    """One workbook file's bytes and the sheet parts by title."""

    data: bytes
    zip: zipfile.ZipFile = field(init=False)
    sheets: dict[str, str] = field(init=False)  # title → part name
    worksheets: list[str] = field(init=False)  # titles of the sheets with cells, in order
    date1904: bool = field(init=False)
    parts: dict[str, str] = field(init=False)  # relationship type's last segment → part name

    def __post_init__(self) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(self.data))
        book = _parse(self.zip.read("xl/workbook.xml"))
        rels = _parse(self.zip.read("xl/_rels/workbook.xml.rels"))
        targets, self.parts = {}, {}
        for r in rels.iter(f"{{{_PKG_REL}}}Relationship"):
            target, kind = r.get("Target", ""), r.get("Type", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[r.get("Id")] = (posixpath.normpath(name), kind)
            self.parts.setdefault(kind[kind.rfind("/") :], posixpath.normpath(name))
        self.sheets, self.worksheets = {}, []
        for sheet in book.iter(f"{{{_MAIN}}}sheet"):
            name, kind = targets.get(sheet.get(f"{{{_REL}}}id"), ("", ""))
            self.sheets[sheet.get("name")] = name
            if kind.endswith(_WORKSHEET):
                self.worksheets.append(sheet.get("name"))
        pr = book.find(f"{{{_MAIN}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")

    @classmethod
    def read(cls, path: Path) -> Package:
        return cls(path.read_bytes())

    def load(self) -> Cells:
        """Every worksheet's cells with their cached values (see :mod:`.cells`)."""
        strings = shared_strings(self._part(_STRINGS))
        styles = Styles.parse(self._part(_STYLES))
        sheets = [
            read_sheet(
                title, _parse(self.zip.read(self.sheets[title])), strings, styles, self.date1904
            )
            for title in self.worksheets
        ]
        return Cells(list(self.sheets), sheets)

    def _part(self, kind: str) -> etree._Element | None:
        name = self.parts.get(kind)
        return _parse(self.zip.read(name)) if name in self.zip.namelist() else None

    def extent(self, title: str, limit_rows: int, limit_cols: int) -> tuple[int, int]:
        """(rows, columns) of a sheet: its recorded dimension, or counted up to the limits."""
        part = self.sheets[title]
        with self.zip.open(part) as member:
            head = member.read(_HEAD)
        found = _DIMENSION.search(head)
        if found:
            last = found.group(2) or found.group(1)
            return split_coordinate(last.decode())
        rows = cols = 0
        with self.zip.open(part) as member:
            for _, row in etree.iterparse(member, tag=_ROW, resolve_entities=False):
                rows += 1
                refs = [c.get("r") for c in row.iter(_C) if c.get("r")]
                if refs:
                    letters = re.match(r"[A-Z]+", refs[-1])
                    cols = max(cols, column_index(letters.group()) if letters else 0)
                cols = max(cols, len(row))
                row.clear()
                if rows > limit_rows or cols > limit_cols:
                    break
        return rows, cols
