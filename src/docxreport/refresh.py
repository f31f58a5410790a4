"""Refresh reports that staff have edited: corrected figures go into their wording.

Each built report carries hidden bookmarks around its figures, tables and blocks and
a state part saying what each stands for (see :mod:`docxreport.render.marks`). Refresh
reads the year's workbooks again (with the same checks as ``build``), makes the
report's view, and rewrites only the marked pieces whose value changed. A figure whose
bookmark staff deleted, or whose text they retyped, is left as it is and listed as no
longer linked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from docxreport import layout as L
from docxreport.atomic import copy_atomically, write_atomically
from docxreport.catalog import Catalog
from docxreport.finish.manifest import Manifest
from docxreport.ledger import Entry, entries
from docxreport.model import Dataset
from docxreport.render.chartpatch import chart_rid, refresh_chart
from docxreport.render.marks import Mark, places
from docxreport.render.patch import Bookmark, ReportFile, TableMaker
from docxreport.view.charts import ChartSpec, ChartView
from docxreport.view.report import ReportView, TableView, make_view
from docxreport.workbook.sources import row_of

BACKUP = "{stem}.备份-{stamp}{suffix}"


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

    def line(self) -> str:
        was = f"（生成时为“{self.mark.printed}”）" if self.mark.printed else ""
        return f"{self.report} › {self.mark.where}：{self.why}{was}，不再关联数据，未改动"


@dataclass
class Refreshed:
    """What refresh did to one report."""

    path: Path
    label: str
    changes: list[Changed] = field(default_factory=list)
    unlinked: list[Unlinked] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    listing: list[Entry] = field(default_factory=list)
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return bool(self.changes) or any(n.startswith("!") for n in self.notes)


def text_value(view: ReportView, key: str) -> str | None:
    """The new text of a marked data text (a date, a name); None: not refreshed."""
    values = {
        "year": str(view.year),
        "prev_year": str(view.prev_year),
        "publish_date": view.publish_date,
        "declaration_date": view.declaration_date,
        "reviewers": view.reviewers,
        "majors_school": view.majors_school,
        **{f"region.{f}": getattr(view.region, f) for f in ("name", "full_name", "code", "bureau")},
    }
    if view.school is not None:
        values.update({"school.short": view.school.short, "school.full": view.school.full})
    return values.get(key)


def _value(view: ReportView, mark: Mark) -> tuple[str | None, Any]:
    """The text a figure, change or text mark prints now, and the view item behind it."""
    if mark.kind == "figure":
        found = view.figures.get((mark.key, mark.part))
        return (found.text, found) if found else (None, None)
    if mark.kind == "change":
        moved = view.changes.get(mark.key)
        if moved is None:
            return None, None
        text = {"pct": moved.pct, "abs": moved.abs, "word": moved.word}.get(mark.part)
        return text, (moved, mark.part)
    if mark.kind == "text":
        return text_value(view, mark.key), None
    return None, None


def _table(view: ReportView, mark: Mark) -> TableView | None:
    table = view.tables.get(mark.key)
    if mark.school and (table is None or table.school != mark.school):
        return view.school_lists.get((mark.key, mark.school))
    return table


class Refresher:
    """Refreshes one report at a time against one year's data."""

    def __init__(self, data: Dataset, cat: Catalog, folder: Path, draft_done: bool) -> None:
        self.data, self.cat, self.folder = data, cat, folder
        self.draft_done = draft_done  # no school is still 【待补】: the draft mark can go

    def refresh(self, report: ReportFile) -> Refreshed:
        state = report.state
        assert state is not None
        view = make_view(self.data, self.cat, state.school or None, self.folder / L.PHOTO_DIR)
        done = Refreshed(report.path, view.label)
        marks = report.bookmarks()
        here = places(report.root)  # where each mark stands now, after staff's edits
        tables: TableMaker | None = None
        kept: list[Mark] = []
        items: list[Any] = []
        for mark in state.marks:
            found = marks.get(mark.name)
            if found is None or found.end is None:
                done.unlinked.append(Unlinked(view.label, mark, "已删除"))
                continue
            mark = replace(mark, where=here.get(mark.name, mark.where))
            if mark.kind == "table":
                table = _table(view, mark)
                if table is None:
                    done.unlinked.append(Unlinked(view.label, mark, "表格已不在指标目录中"))
                    continue
                tables = tables or TableMaker(report.path)
                self._table(
                    report, found, mark, table, tables.make(table.grid, table.landscape), done
                )
                items.append(table)
                kept.append(mark)
                continue
            if mark.kind == "block":
                kept.append(mark)
                continue
            if mark.kind == "chart":
                chart = self._chart(report, found, mark, view, done)
                if chart is not None:
                    items.append(chart)
                    kept.append(mark)
                continue
            kept.append(self._figure(report, found, mark, view, done, items))
        if self.draft_done and report.remove_draft_mark():
            done.notes.append("!已去掉页眉的“征求意见稿”（各校数据均已齐全）")
        report.set_state(replace(state, marks=kept))
        done.listing = entries(view.label, items)
        return done

    def _figure(
        self,
        report: ReportFile,
        found: Bookmark,
        mark: Mark,
        view: ReportView,
        done: Refreshed,
        items: list[Any],
    ) -> Mark:
        spill = found.spill(mark.printed)
        current = found.text() + spill
        if current != mark.printed:
            why = "已删除" if not current.strip() else f"已改写为“{current}”"
            done.unlinked.append(Unlinked(view.label, mark, why))
            return mark
        new, item = _value(view, mark)
        if new is None:
            return mark  # a text refresh does not touch (the team's names)
        if item is not None:
            items.append(item)
        if new != current:
            report.set_text(found, new, spill)
            done.changes.append(Changed(view.label, mark.where, current, new))
        return replace(mark, printed=new)

    @staticmethod
    def _chart(
        report: ReportFile, found: Bookmark, mark: Mark, view: ReportView, done: Refreshed
    ) -> ChartView | None:
        """Bring a chart's cached values and embedded workbook up to the data."""
        spec = ChartSpec.from_key(mark.key)
        rid = next((r for run in found.runs() if (r := chart_rid(run))), None)
        if rid is None:
            done.unlinked.append(Unlinked(view.label, mark, "图表已删除"))
            return None
        if spec is None or view.charts is None or not all(map(view.charts.cat.has, spec.keys)):
            done.unlinked.append(Unlinked(view.label, mark, "图表的指标已不在指标目录中"))
            return None
        chart = view.charts(spec)
        changed, values = refresh_chart(report.blobs, rid, chart)
        report.changed_parts.update(changed)
        for where, old, new in values:
            done.changes.append(
                Changed(view.label, f"{mark.where}（{chart.place}）{where}", old, new)
            )
        return chart

    @staticmethod
    def _table(
        report: ReportFile,
        found: Bookmark,
        mark: Mark,
        table: TableView,
        fresh: Any,
        done: Refreshed,
    ) -> None:
        how, cells = report.update_table(found, fresh)
        where = f"{mark.where}（{table.place}）"
        if how == "rebuilt":
            done.notes.append(f"!{done.label} › {where}：行列与生成时不同，已按新数据重建此表")
        for old, new in cells:
            done.changes.append(Changed(done.label, where, old, new))


def backup_name(path: Path) -> Path:
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    return path.with_name(BACKUP.format(stem=path.stem, stamp=stamp, suffix=path.suffix))


def save(report: ReportFile, done: Refreshed, manifest: Manifest | None) -> None:
    """Back the file up, write it atomically and record it in the manifest.

    A report staff had edited stays recorded as edited, so that ``build`` keeps it.
    """
    edited = manifest is None or not manifest.untouched(report.path)
    backup = backup_name(report.path)
    copy_atomically(report.path, backup, report.path.parent)
    done.backup = backup
    hook = manifest.pending_hook(report.path) if manifest is not None else None
    write_atomically(report.write, report.path, report.path.parent, ready=hook)
    if manifest is not None:
        manifest.record(report.path, edited=edited)
        manifest.save()


def report_files(year_dir: Path) -> list[Path]:
    """The reports of a year folder: the city's and the schools', without backups."""
    found = sorted(year_dir.glob("*.docx")) + sorted((year_dir / "学校").glob("*.docx"))
    return [p for p in found if ".备份-" not in p.name and not p.name.startswith(("~$", ".~"))]


def relisted(old_rows: Iterable[tuple], refreshed: list[Refreshed]) -> list[tuple]:
    """The listing's rows: those of other reports kept, the refreshed reports' anew."""
    labels = {r.label for r in refreshed}
    rows = [row for row in old_rows if row and row[0] not in labels]
    for done in refreshed:
        rows += [row_of(e) for e in done.listing]
    return rows
