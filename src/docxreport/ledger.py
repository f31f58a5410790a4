"""Where every printed figure came from: one entry per number in any report.

Renderers call :meth:`Ledger.add` whenever they print a figure; the build writes
the entries to ``数据来源.xlsx`` so that the bureau can answer for any number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docxreport.model import Figure, is_pending


@dataclass(frozen=True)
class Entry:
    report: str  # e.g. 全市报告, or a school's short name
    place: str  # the table (表 1-5 / annex3) or the template paragraph
    row: str
    column: str
    printed: str
    figure: Figure

    @property
    def source(self) -> str:
        """The cells, in Chinese: one cell, or the rule and every cell it combined."""
        cells = "；".join(str(loc) for loc in self.figure.sources)
        if not self.figure.rule:
            return cells
        return f"{self.figure.rule}（{cells}）" if cells else self.figure.rule


@dataclass
class Ledger:
    report: str = ""
    entries: list[Entry] = field(default_factory=list)

    def add(self, place: str, row: str, column: str, printed: str, figure: Figure) -> None:
        if figure.empty or is_pending(figure):
            return  # neither a dash nor a draft's 【待补】 is a figure
        self.entries.append(Entry(self.report, place, row, column, printed, figure))

    def extend(self, other: Ledger) -> None:
        self.entries.extend(other.entries)
