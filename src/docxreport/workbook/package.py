"""A workbook file read once: its bytes, then what openpyxl's one load cannot tell.

openpyxl loads either the cached values or the formulas of a workbook, not both, and
its read-only mode (used to measure sheets before a full load) is a load of its own.
:class:`Package` reads the file once and answers both from the sheet XML, with lxml:

- :meth:`Package.oversized`: each sheet's recorded size (its ``dimension``), or its
  rows counted, stopping past the limit, before openpyxl loads any cell;
- :meth:`Package.uncalculated`: the cells holding a formula without a cached result.

The values are then loaded by openpyxl once, from the same bytes (:meth:`Package.load`).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.utils import column_index_from_string, coordinate_to_tuple

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_C, _F, _V, _ROW = (f"{{{_MAIN}}}{t}" for t in ("c", "f", "v", "row"))
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

    def __post_init__(self) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(self.data))
        book = _parse(self.zip.read("xl/workbook.xml"))
        rels = _parse(self.zip.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{_PKG_REL}}}Relationship")}
        self.sheets = {}
        for sheet in book.iter(f"{{{_MAIN}}}sheet"):
            target = targets.get(sheet.get(f"{{{_REL}}}id"), "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            self.sheets[sheet.get("name")] = posixpath.normpath(name)

    @classmethod
    def read(cls, path: Path) -> Package:
        return cls(path.read_bytes())

    def load(self) -> openpyxl.Workbook:
        """The workbook's cached values, loaded by openpyxl from the bytes already read."""
        return openpyxl.load_workbook(io.BytesIO(self.data), data_only=True)

    def extent(self, title: str, limit_rows: int, limit_cols: int) -> tuple[int, int]:
        """(rows, columns) of a sheet: its recorded dimension, or counted up to the limits."""
        part = self.sheets[title]
        with self.zip.open(part) as member:
            head = member.read(_HEAD)
        found = _DIMENSION.search(head)
        if found:
            last = found.group(2) or found.group(1)
            return coordinate_to_tuple(last.decode())
        rows = cols = 0
        with self.zip.open(part) as member:
            for _, row in etree.iterparse(member, tag=_ROW, resolve_entities=False):
                rows += 1
                refs = [c.get("r") for c in row.iter(_C) if c.get("r")]
                if refs:
                    letters = re.match(r"[A-Z]+", refs[-1])
                    cols = max(cols, column_index_from_string(letters.group()) if letters else 0)
                cols = max(cols, len(row))
                row.clear()
                if rows > limit_rows or cols > limit_cols:
                    break
        return rows, cols

    def uncalculated(self) -> dict[tuple[str, str], str]:
        """Cells holding a formula but no cached result: (sheet, cell) → ``=formula``."""
        found: dict[tuple[str, str], str] = {}
        for title, part in self.sheets.items():
            if part not in self.zip.namelist():
                continue
            data = self.zip.read(part)
            if b"<f" not in data and b":f" not in data:
                continue
            masters: dict[str, tuple[str, str]] = {}  # shared formula index → (cell, formula)
            for c in _parse(data).iter(_C):
                f = c.find(_F)
                if f is None or f.get("t") == "array":
                    continue
                coord = c.get("r", "")
                text = f.text or ""
                if f.get("t") == "shared":
                    index = f.get("si", "")
                    if text:
                        masters[index] = (coord, text)
                    elif index in masters:
                        origin, master = masters[index]
                        text = Translator(f"={master}", origin).translate_formula(coord)[1:]
                v = c.find(_V)
                if (v is None or v.text is None) and text:
                    found[(title, coord)] = f"={text}"
        return found
