"""What refresh did to a report: the changed figures, those no longer linked, the copies
left unmarked, and the notes; printed by ``docxreport refresh``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docxreport.figureaudit import Finding
from docxreport.ledger import Entry
from docxreport.render.marks import Mark
from docxreport.render.patch import Bookmark


@dataclass(frozen=True)
class Changed:
    """One figure that changed: in which report, where, from what to what."""

    report: str
    where: str
    old: str
    new: str

    def line(self) -> str:
        return f"{self.report} › {self.where}：{self.old or '（空）'} → {self.new}"


@dataclass(frozen=True)
class Unlinked:
    """A marked piece staff deleted or retyped: no longer bound to the data."""

    report: str
    mark: Mark
    why: str
    mixed: bool = False  # other figures of its sentence were updated: old and new side by side

    def line(self) -> str:
        was = f"（生成时为“{self.mark.printed}”）" if self.mark.printed else ""
        line = f"{self.report} › {self.mark.where}：{self.why}{was}，不再关联数据，未改动"
        if self.mixed:
            line += "；同一句中的其他数字已按新数据更新，这句话现在新旧数字混杂，请核对"
        return line


@dataclass(frozen=True)
class Copied:
    """A copy of a changed figure that no mark covers (Word copies text without its
    bookmark): listed, never changed, as it may have been meant to stay."""

    report: str
    where: str
    old: str
    new: str

    def line(self) -> str:
        return (
            f"{self.report} › {self.where}：复制的数字“{self.old}”未关联数据，"
            f"仍为旧值（数据现为 {self.new}），请核对"
        )


@dataclass
class Refreshed:
    """What refresh did to one report."""

    path: Path
    label: str
    changes: list[Changed] = field(default_factory=list)
    unlinked: list[Unlinked] = field(default_factory=list)
    copies: list[Copied] = field(default_factory=list)
    paragraphs: set[Any] = field(default_factory=set)  # where a figure was updated
    charts: list[tuple[Bookmark, str, list[str]]] = field(default_factory=list)  # changed
    handwritten: list[Finding] = field(default_factory=list)  # typed figures the data contradicts
    notes: list[str] = field(default_factory=list)
    listing: list[Entry] = field(default_factory=list)
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return bool(self.changes) or any(n.startswith("!") for n in self.notes)
