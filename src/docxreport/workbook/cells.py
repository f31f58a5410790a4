"""A workbook's cells read straight from its sheet XML, as openpyxl would load them.

openpyxl builds the whole object model of a workbook it loads: styles, data validations,
conditional formats, a descriptor-checked object per attribute. For a school's workbook
that is about 0.13 s; the cells alone take a few milliseconds to read with lxml. The
readers only need the cells, so :func:`read_cells` gives them, exactly as
``openpyxl.load_workbook(..., data_only=True)`` would:

- the same value types: ``int`` or ``float`` by how the number was written, ``str``,
  ``bool``, ``datetime``/``time``/``timedelta`` for numbers in a date or duration format
  (1900 or 1904 date system), error codes as text (``#N/A``);
- shared and inline strings joined from their runs, phonetic guides left out;
- ``None`` in every cell a merge covers but its top-left one;
- the same number formats (built-in codes, and the file's own), and the same extent
  (``max_row``/``max_column`` count every cell written, and the cells a merge covers);
- hidden rows and columns, and the merged ranges.

Read in the same pass: the cells holding a formula without a cached result (a file
written by a program that does not calculate, never opened in Excel or WPS), which
openpyxl's values-only load cannot tell from empty cells.

``tests/test_cells.py`` holds the two readers to the same answers. The sheet objects offer
the small part of openpyxl's worksheet interface the readers use (``ws["B3"]``,
``ws.cell()``, ``iter_rows``/``iter_cols``, ``merged_cells.ranges``, ``row_dimensions``,
``column_dimensions``), so :mod:`.guard` and :mod:`.confirmed` serve both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_C, _V, _T, _R, _IS, _ROW, _F = (f"{{{_MAIN}}}{t}" for t in ("c", "v", "t", "r", "is", "row", "f"))
_SI, _XF, _NUMFMT, _COL = (f"{{{_MAIN}}}{t}" for t in ("si", "xf", "numFmt", "col"))
_SHEET_DATA, _MERGE, _CELLXFS = (f"{{{_MAIN}}}{t}" for t in ("sheetData", "mergeCell", "cellXfs"))
_DIGITS = "0123456789"
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")
_COORD = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")

# ECMA-376 18.8.30: the number formats every application knows by number (as openpyxl has them).
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}  # fmt: skip
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # literals, colours, locales
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_WINDOWS_EPOCH, _MAC_EPOCH = dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1)
_DAY_MS = 86_400_000


def is_date_format(fmt: str | None) -> bool:
    """Whether numbers in format ``fmt`` are dates or times (its first section decides)."""
    return fmt is not None and bool(_DATE_PART.search(_STRIP.sub("", fmt.split(";")[0])))


def is_duration_format(fmt: str | None) -> bool:
    return fmt is not None and bool(_DURATION.search(fmt.split(";")[0]))


def unescape(text: str) -> str:
    """Excel's escaped characters in text (``_x0007_``) as the characters themselves."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=1024)
def _column(letters: str) -> int:
    if not letters.isalpha() or not letters.isascii():
        raise ValueError(f"not a cell reference: {letters!r}")
    return column_index(letters)


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index


@lru_cache(maxsize=65536)  # every workbook uses the same few thousand cells
def split_coordinate(coord: str) -> tuple[int, int]:
    """``B7`` → (7, 2); raises ValueError on anything else."""
    found = _COORD.match(coord)
    if not found:
        raise ValueError(f"not a cell reference: {coord!r}")
    return int(found.group(2)), column_index(found.group(1))


def from_serial(value: float, epoch: dt.datetime, duration: bool) -> object:
    """An Excel serial number as the date, time or duration it shows."""
    if duration:
        td = dt.timedelta(days=value)
        if td.microseconds:  # to the millisecond, as Excel keeps it
            td = dt.timedelta(
                seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3)
            )
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * _DAY_MS))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == _WINDOWS_EPOCH:
        day += 1  # Excel's 1900-02-29 that never was
    return epoch + dt.timedelta(days=day) + diff


@dataclass(slots=True)
class Cell:
    row: int
    column: int
    value: object = None
    number_format: str = "General"

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.column)}{self.row}"

    @property
    def column_letter(self) -> str:
        return column_letter(self.column)


@dataclass(frozen=True, slots=True)
class Range:
    """A merged range: ``coord`` as written (``D5:E5``), its corners as numbers."""

    coord: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @classmethod
    def parse(cls, ref: str) -> Range:
        first, _, last = ref.partition(":")
        (r1, c1), (r2, c2) = split_coordinate(first), split_coordinate(last or first)
        r1, r2, c1, c2 = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
        coord = f"{column_letter(c1)}{r1}"
        if (r1, c1) != (r2, c2):
            coord += f":{column_letter(c2)}{r2}"
        return cls(coord, r1, c1, r2, c2)

    def __contains__(self, coord: str) -> bool:
        row, col = split_coordinate(coord)
        return self.min_row <= row <= self.max_row and self.min_col <= col <= self.max_col

    def cells(self) -> Iterator[tuple[int, int]]:
        for row in range(self.min_row, self.max_row + 1):
            for col in range(self.min_col, self.max_col + 1):
                yield row, col


@dataclass(frozen=True, slots=True)
class Dimension:
    hidden: bool = False
    min: int = 0
    max: int = 0


@dataclass
class Merged:
    ranges: list[Range] = field(default_factory=list)


@dataclass
class Sheet:
    """One worksheet's cells, read-only, with openpyxl's names for what the readers use."""

    title: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merged_cells: Merged = field(default_factory=Merged)
    row_dimensions: dict[int, Dimension] = field(default_factory=dict)
    column_dimensions: dict[str, Dimension] = field(default_factory=dict)
    max_row: int = 1
    max_column: int = 1
    uncalculated: dict[str, str] = field(default_factory=dict)  # cell → ``=formula``

    def cell(self, row: int, column: int) -> Cell:
        found = self.cells.get((row, column))
        return found if found is not None else Cell(row, column)

    def __getitem__(self, key: str | int) -> Cell | tuple[Cell, ...]:
        if isinstance(key, int):
            return tuple(self.cell(key, c) for c in range(1, self.max_column + 1))
        return self.cell(*split_coordinate(key))

    def iter_rows(
        self,
        min_row: int | None = None,
        max_row: int | None = None,
        min_col: int | None = None,
        max_col: int | None = None,
        values_only: bool = False,
    ) -> Iterator[tuple]:
        if not self.cells and not any((min_row, max_row, min_col, max_col)):
            return
        cols = range(min_col or 1, (max_col or self.max_column) + 1)
        for r in range(min_row or 1, (max_row or self.max_row) + 1):
            line = tuple(self.cell(r, c) for c in cols)
            yield tuple(c.value for c in line) if values_only else line

    def iter_cols(self, min_col: int | None = None, max_col: int | None = None) -> Iterator[tuple]:
        rows = range(1, self.max_row + 1)
        for c in range(min_col or 1, (max_col or self.max_column) + 1):
            yield tuple(self.cell(r, c) for r in rows)


@dataclass
class Cells:
    """A workbook's worksheets by title (``sheetnames`` also lists its chart sheets)."""

    sheetnames: list[str]
    worksheets: list[Sheet]

    def __getitem__(self, title: str) -> Sheet:
        for ws in self.worksheets:
            if ws.title == title:
                return ws
        if title in self.sheetnames:
            return Sheet(title)  # a chart sheet: no cells
        raise KeyError(title)


@dataclass
class Styles:
    """Each cell style's number format, and which of them show dates or durations."""

    formats: list[str]
    dates: set[int]
    durations: set[int]

    @classmethod
    def parse(cls, root: etree._Element | None) -> Styles:
        if root is None:
            return cls(["General"], set(), set())
        custom = {int(n.get("numFmtId", "-1")): n.get("formatCode", "") for n in root.iter(_NUMFMT)}
        formats, dates, durations = [], set(), set()
        xfs = root.find(_CELLXFS)
        for i, xf in enumerate(xfs.iter(_XF) if xfs is not None else ()):
            number = int(xf.get("numFmtId") or 0)
            code = custom.get(number, BUILTIN_FORMATS.get(number))
            formats.append(code if code is not None else "General")
            if is_date_format(code):
                dates.add(i)
            if is_duration_format(code):
                durations.add(i)
        return cls(formats or ["General"], dates, durations)

    def format(self, index: int) -> str:
        return self.formats[index] if index < len(self.formats) else "General"


def shared_strings(root: etree._Element | None) -> list[str]:
    if root is None:
        return []
    return [_text(si).replace("x005F_", "") for si in root.iter(_SI)]


def _text(node: etree._Element) -> str:
    """A string item's text: its plain text, then its runs' (phonetic guides left out)."""
    if len(node) == 1 and node[0].tag == _T:
        return node[0].text or ""  # the usual item: one plain text
    plain = node.find(_T)
    text = plain.text or "" if plain is not None else ""
    return text + "".join(r.findtext(_T) or "" for r in node.iter(_R))


def read_sheet(
    title: str, root: etree._Element, strings: list[str], styles: Styles, date1904: bool
) -> Sheet:
    ws = Sheet(title)
    epoch = _MAC_EPOCH if date1904 else _WINDOWS_EPOCH
    cells, formats = ws.cells, styles.formats
    data = root.find(_SHEET_DATA)
    formulas = data is not None and data.find(f".//{_F}") is not None
    row_no = 0
    shared: dict[str, tuple[str, str]] = {}  # shared formula index → (cell, formula)
    for row in data.iter(_ROW) if data is not None else ():
        r = row.get("r")
        row_no = int(float(r)) if r else row_no + 1
        if _flag(row.get("hidden")):
            ws.row_dimensions[row_no] = Dimension(hidden=True)
        col_no = 0
        for c in row.iter(_C):
            coord = c.get("r")
            if coord:
                letters = coord.rstrip(_DIGITS)
                row_at, col_no = int(coord[len(letters) :]), _column(letters)
            else:
                row_at, col_no = row_no, col_no + 1
            style = int(c.get("s") or 0)
            value = _value(c, c.get("t", "n"), style, strings, styles, epoch)
            fmt = formats[style] if style < len(formats) else "General"
            cells[(row_at, col_no)] = Cell(row_at, col_no, value, fmt)
            formula = c.find(_F) if formulas else None
            if formula is not None:
                text = _formula(formula, coord or "", shared)
                cached = c.find(_V)
                if text and (cached is None or cached.text is None):
                    ws.uncalculated[coord or column_letter(col_no) + str(row_at)] = f"={text}"
    for merge in root.iter(_MERGE):
        rng = Range.parse(merge.get("ref", ""))
        ws.merged_cells.ranges.append(rng)
        for i, (r, col) in enumerate(rng.cells()):
            if i:  # openpyxl keeps only the top-left cell's value
                cells[(r, col)] = Cell(r, col)
            elif (r, col) not in cells:
                cells[(r, col)] = Cell(r, col)  # and makes that cell when the file has none
    for col in root.iter(_COL):
        low, high = int(col.get("min") or 0), int(col.get("max") or 0)
        hidden = _flag(col.get("hidden"))
        ws.column_dimensions[column_letter(low)] = Dimension(hidden, low, high)
    if cells:
        ws.max_row = max(r for r, _ in cells)
        ws.max_column = max(c for _, c in cells)
    return ws


def _formula(f: etree._Element, coord: str, shared: dict[str, tuple[str, str]]) -> str:
    """A formula's text; a cell sharing another's formula gets it moved to its place."""
    kind, text = f.get("t"), f.text or ""
    if kind == "array":
        return ""
    if kind == "shared":
        index = f.get("si", "")
        if text:
            shared[index] = (coord, text)
        elif index in shared:
            from openpyxl.formula.translate import Translator  # rare: loaded when met

            origin, master = shared[index]
            text = Translator(f"={master}", origin).translate_formula(coord)[1:]
    return text


def _flag(value: str | None) -> bool:
    """An XML boolean attribute as openpyxl reads it: anything but false, f, 0 or empty."""
    return bool(value) and value not in ("false", "f", "0")


def _value(
    c: etree._Element, kind: str, style: int, strings: list[str], styles: Styles, epoch: dt.datetime
) -> object:
    if kind == "inlineStr":
        inline = c.find(_IS)
        return _text(inline) if inline is not None else None
    text = c.findtext(_V) or None
    if text is None:
        return None
    if kind == "n":
        number: int | float = float(text) if ("." in text or "e" in text.lower()) else int(text)
        if style not in styles.dates:
            return number
        try:
            return from_serial(number, epoch, style in styles.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"
    if kind == "s":
        return strings[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        from openpyxl.utils.datetime import from_ISO8601  # rare: only some tools write these

        return from_ISO8601(text)
    return text  # "str" (a formula's text result) and "e" (an error code)
