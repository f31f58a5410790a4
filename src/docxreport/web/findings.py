"""The 检查 page's table and downloads: the check's issues, filtered, worded as on screen."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from docxreport.checks.progress import year_progress
from docxreport.issues import BLANK, ERROR, WARNING, Issue
from docxreport.web.workspace import Overview, Workspace

LEVELS = (ERROR, WARNING, "空白待补")
MAX_ROWS = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Filter:
    file: str = ""
    sheet: str = ""
    level: str = ""

    @classmethod
    def of(cls, query: Mapping[str, str]) -> Filter:
        return cls(query.get("file", ""), query.get("sheet", ""), query.get("level", ""))

    def keeps(self, issue: Issue) -> bool:
        blank = issue.kind == BLANK
        if self.level == "空白待补":
            if not blank:
                return False
        elif blank or (self.level and issue.level != self.level):
            return False
        return (not self.file or issue.loc.file == self.file) and (
            not self.sheet or issue.loc.sheet == self.sheet
        )


@dataclass(frozen=True)
class Table:
    rows: list[Issue]
    shown: int
    matched: int
    files: list[str]
    sheets: list[str]
    blank: int


def table(view: Overview, chosen: Filter) -> Table:
    issues = list(view.issues())
    matched = [i for i in issues if chosen.keeps(i)]
    files = sorted({i.loc.file for i in issues})
    sheets = sorted({i.loc.sheet for i in issues if i.loc.sheet})
    blank = sum(i.kind == BLANK for i in issues)
    return Table(
        matched[:MAX_ROWS], min(len(matched), MAX_ROWS), len(matched), files, sheets, blank
    )


def download(ws: Workspace, school: str | None) -> tuple[bytes, str, str]:
    """One school's findings workbook (``school`` its short name), or all of them as a .zip.

    The workbooks are those ``check --report-dir`` writes.
    """
    from docxreport.workbook.findings import write_year_findings

    read = ws.read()
    progress = year_progress(read.loaded, read.catalog)
    known = {p.school.short for p in progress}
    if school is not None and school not in known:
        raise LookupError(school)
    with tempfile.TemporaryDirectory(prefix="docxreport-findings-") as tmp:
        only = [school] if school else None
        written = write_year_findings(read.loaded, progress, folder=Path(tmp), only=only)
        if school is not None:
            return written[0].read_bytes(), written[0].name, XLSX
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in written:
                z.write(path, path.name)
        return buffer.getvalue(), f"各校检查结果（{ws.year()}）.zip", "application/zip"
