"""Write the check's findings as a workbook each school can act on (``check --report``).

A 汇总 sheet holds one line per school (returned or not, how complete, how many
problems); then one sheet per school lists its errors and warnings, one row each
(cell, indicator, what the cell holds, what is wrong and what is expected), and
links every row to the cell in the school's own workbook.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from docxreport.checks.progress import SchoolProgress
from docxreport.issues import BLANK, Issue
from docxreport.layout import safe_filename
from docxreport.model import Location, Scalar
from docxreport.workbook.write import save_atomic

SUMMARY_SHEET = "汇总"
OTHER_SHEET = "市级及其他"
SUMMARY_HEADERS = ("学校", "工作簿", "状态", "错误", "警告", "其中空白待补", "已填/应填")
ISSUE_HEADERS = ("级别", "位置", "工作表", "单元格", "指标", "单元格现有内容", "问题与应填内容")
ISSUE_WIDTHS = (8, 40, 16, 8, 30, 18, 100)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Section:
    """One sheet of findings: a school's (``progress`` set) or the rest."""

    title: str
    issues: Sequence[Issue]
    progress: SchoolProgress | None = None


def sheet_title(name: str) -> str:
    """A valid, at most 31-character sheet name (Excel also refuses a leading or trailing ')."""
    return _BAD_TITLE.sub("_", name)[:31].strip("'") or "学校"


def _link(cell, target: str, location: str = "") -> None:
    cell.hyperlink = Hyperlink(
        ref=cell.coordinate, target=target or None, location=location or None
    )
    cell.font = Font(color="0563C1", underline="single")


def _headers(ws: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    ws.append(list(headers))
    for cell, width in zip(ws[1], widths, strict=False):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"


def _summary(ws: Worksheet, sections: Sequence[Section], links: bool) -> None:
    sheets = next((s.progress.sheets for s in sections if s.progress and s.progress.sheets), ())
    headers = list(SUMMARY_HEADERS) + [s.sheet for s in sheets]
    _headers(ws, headers, [14, 22, 10, 8, 8, 14, 12] + [12] * len(sheets))
    for section in sections:
        p = section.progress
        if p is None:
            errors = sum(i.is_error for i in section.issues)
            blank = sum(i.kind == BLANK for i in section.issues)
            ws.append([section.title, "", "", errors, len(section.issues) - errors, blank])
        else:
            row = [p.school.short, p.file, p.state, p.errors, p.warnings, p.blank]
            row.append(f"{p.filled}/{p.expected}" if p.sheets else "")
            ws.append(row + [f"{s.filled}/{s.expected}" for s in p.sheets])
        if links:
            _link(ws.cell(ws.max_row, 1), "", f"'{sheet_title(section.title)}'!A1")
    ws.auto_filter.ref = f"A1:{ws.cell(1, len(headers)).column_letter}{ws.max_row}"


def _issues(
    ws: Worksheet,
    section: Section,
    values: Mapping[Location, Scalar],
    link_to: Path,
    year_folder: Path,
) -> None:
    _headers(ws, ISSUE_HEADERS, ISSUE_WIDTHS)
    for issue in section.issues:
        loc = issue.loc
        found = values.get(loc) if loc.cell else None
        shown = "（空）" if loc.cell and found is None else ("" if found is None else found)
        ws.append(
            [issue.level, str(loc), loc.sheet, loc.cell, issue.indicator, shown, issue.message]
        )
        ws.cell(ws.max_row, 7).alignment = Alignment(wrap_text=True, vertical="top")
        target = os.path.relpath(year_folder / loc.file, link_to).replace(os.sep, "/")
        where = f"'{loc.sheet}'!{loc.cell}" if loc.sheet and loc.cell else ""
        _link(ws.cell(ws.max_row, 2), target, where)
    if not section.issues:
        ws.append(["", "未发现问题"])
    ws.auto_filter.ref = f"A1:G{ws.max_row}"


def write_findings(
    path: Path,
    sections: Sequence[Section],
    values: Mapping[Location, Scalar],
    year_folder: Path,
    within: Path | None = None,
) -> None:
    """Write the summary and one sheet per section to ``path`` (atomically, in the folder
    ``within``, by default its own).

    Each row links to ``year_folder``/its file, relative to ``path``'s folder, at
    its sheet and cell.
    """
    wb = Workbook()
    _summary(wb.active, sections, links=True)
    wb.active.title = SUMMARY_SHEET
    for section in sections:
        ws = wb.create_sheet(sheet_title(section.title))
        _issues(ws, section, values, path.parent.resolve(), year_folder.resolve())
    save_atomic(wb, path, within)


def cell_contents(holders: Sequence[Any]) -> dict[Location, Scalar]:
    """What each cell of the workbooks read holds, for the 单元格现有内容 column: the
    figure read, or the text typed into a number cell (which reads as no figure)."""
    return {
        v.loc: v.held if v.held is not None else v.value
        for holder in holders
        for v in holder.values.values()
    }


def sections_of(progress: Sequence[SchoolProgress], issues: Sequence[Issue]) -> list[Section]:
    """One section per school (its workbook's issues), then the rest (市级 and others)."""
    files = {p.file for p in progress}
    out = [
        Section(p.school.short, [i for i in issues if i.loc.file == p.file], p) for p in progress
    ]
    rest = [i for i in issues if i.loc.file not in files]
    return [*out, Section(OTHER_SHEET, rest)]


def split_name(section: Section) -> str:
    """The file one school is sent: ``市一职_检查结果.xlsx``."""
    return safe_filename(f"{section.title}_检查结果.xlsx")
