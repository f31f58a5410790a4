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
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from docxreport import layout as L
from docxreport.atomic import copy_atomically, write_atomically
from docxreport.catalog import Catalog
from docxreport.figureaudit import audit_report
from docxreport.finish.manifest import Manifest
from docxreport.ledger import entries
from docxreport.model import Dataset
from docxreport.refreshed import Changed, Copied, Refreshed, Unlinked
from docxreport.refreshnotes import comment_changes
from docxreport.render.chartpatch import chart_rid, refresh_chart
from docxreport.render.copies import Occurrence, Plain, mend, occurrences
from docxreport.render.marks import PREFIX, Mark, walk_places
from docxreport.render.patch import Bookmark, ReportFile, TableMaker
from docxreport.render.revisions import has_pending
from docxreport.render.tablepatch import TablePatch
from docxreport.view.charts import ChartSpec, ChartView
from docxreport.view.report import ReportView, TableView, make_view
from docxreport.workbook.sources import row_of

BACKUP = "{stem}.备份-{stamp}{suffix}"


def text_value(view: ReportView, key: str) -> str | None:
    """The new text of a marked data text (a date, a name); None: not refreshed."""
    values = {
        "year": str(view.year),
        "prev_year": str(view.prev_year),
        "publish_date": view.publish_date,
        "declaration_date": view.declaration_date,
        "reviewers": view.reviewers,
        "majors_school": view.majors_school,
        "majors_school_full": view.majors_school_full,
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


def _mixed(unlinked: Unlinked, found: dict[str, list[Occurrence]], updated: set[Any]) -> Unlinked:
    """A retyped figure whose paragraph had other figures updated says so."""
    listed = found.get(unlinked.mark.name)
    if not listed or not unlinked.why.startswith("已改写") or unlinked.mark.kind == "table":
        return unlinked
    return replace(unlinked, mixed=listed[0].bookmark.start.getparent() in updated)


def _deleted(view: ReportView, mark: Mark) -> Mark:
    """A deleted mark as its message names it: a table by its number, not its first cell."""
    if mark.kind != "table":
        return mark
    table = _table(view, mark)
    where = f"{mark.where}（{table.place}）" if table is not None else mark.where
    return replace(mark, where=where, printed="")


def _table(view: ReportView, mark: Mark) -> TableView | None:
    table = view.tables.get(mark.key)
    if mark.school and (table is None or table.school != mark.school):
        return view.school_lists.get((mark.key, mark.school))
    return table


class Refresher:
    """Refreshes one report at a time against one year's data."""

    def __init__(
        self, data: Dataset, cat: Catalog, folder: Path, draft_done: bool, track: bool = False
    ) -> None:
        self.data, self.cat, self.folder = data, cat, folder
        self.draft_done = draft_done  # no school is still 【待补】: the draft mark can go
        self.track = track  # changes as tracked changes (修订), charts' in comments

    def refresh(self, report: ReportFile) -> Refreshed:
        state = report.state
        assert state is not None
        view = make_view(self.data, self.cat, state.school or None, self.folder / L.PHOTO_DIR)
        done = Refreshed(report.path, view.label)
        if self.track:
            report.track()
        walked = walk_places(report.root)  # the body's paragraphs, read once
        found_all = occurrences(report, walked)
        mend(report, found_all)  # copies that kept the name: unique names and ids
        plain = Plain(report, walked)  # read before anything changes: copies Word left unmarked
        here = {  # where each mark stands now, after staff's edits
            name: where
            for para, where in walked
            for name in para.bookmarks
            if name.startswith(PREFIX)
        }
        tables: TableMaker | None = None
        kept: list[Mark] = []
        items: list[Any] = []
        for mark in state.marks:
            listed = found_all.get(mark.name, [])
            if not listed:
                done.unlinked.append(Unlinked(view.label, _deleted(view, mark), "已删除"))
                continue
            found, copies = listed[0].bookmark, listed[1:]
            mark = replace(mark, where=here.get(mark.name, listed[0].where or mark.where))
            if mark.kind == "table":
                table = _table(view, mark)
                if table is None:
                    done.unlinked.append(Unlinked(view.label, mark, "表格已不在指标目录中"))
                    continue
                tables = tables or TableMaker(report.path)
                fresh = tables.make(table.grid, table.landscape)
                kept.append(self._table(report, found, mark, table, fresh, done))
                for copy in copies:  # a table copied with its bookmark follows it too
                    self._table(
                        report,
                        copy.bookmark,
                        replace(mark, where=copy.where),
                        table,
                        fresh,
                        done,
                        copied=True,
                    )
                items.append(table)
                continue
            if mark.kind == "block":
                kept.append(mark)
                continue
            if mark.kind == "chart":
                chart = self._chart(report, found, mark, view, done)
                if chart is not None:
                    items.append(chart)
                    kept.append(mark)
                for copy in copies:  # a chart copied with its bookmark: its own chart part
                    self._chart(
                        report,
                        copy.bookmark,
                        replace(mark, where=f"{copy.where}（复制的图表）"),
                        view,
                        done,
                    )
                continue
            window = plain.window(found, mark.printed)
            kept.append(self._figure(report, found, mark, view, done, items))
            fresh = _value(view, mark)[0]
            if fresh is None or fresh == mark.printed:
                continue
            self._copies(report, mark, fresh, copies, done)
            if window and mark.kind in ("figure", "change"):
                for where in plain.find(window):
                    done.copies.append(Copied(view.label, where, mark.printed, fresh))
        done.unlinked = [_mixed(u, found_all, done.paragraphs) for u in done.unlinked]
        photos = self.folder / L.PHOTO_DIR
        found = audit_report(report, self.data, self.cat, photos, walked)
        done.handwritten = [f for f in found if not f.agrees]
        if self.track and (done.changes or done.charts):
            comment_changes(report, done)
        if self.draft_done and report.remove_draft_mark():
            done.notes.append("!已去掉页眉的“征求意见稿”（各校数据均已齐全）")
        report.set_state(replace(state, marks=kept))
        done.listing = entries(view.label, items)
        return done

    @staticmethod
    def _copies(
        report: ReportFile, mark: Mark, fresh: str, copies: list[Occurrence], done: Refreshed
    ) -> None:
        """Bound copies of a changed figure follow it while they still show what was
        printed; a copy staff retyped is listed."""
        for copy in copies:
            spill = copy.bookmark.spill(mark.printed)
            current = copy.bookmark.text() + spill
            where = f"{copy.where}（复制的数字）"
            if current == mark.printed:
                report.set_text(copy.bookmark, fresh, spill)
                done.changes.append(Changed(done.label, where, current, fresh))
            elif current != fresh:
                why = "已删除" if not current.strip() else f"已改写为“{current}”"
                done.unlinked.append(Unlinked(done.label, replace(mark, where=where), why))

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
            if mark.before and current == mark.before:
                why = f"数据更新的修订被拒绝，保留“{current}”"
            done.unlinked.append(Unlinked(view.label, mark, why))
            return mark
        new, item = _value(view, mark)
        if new is None:
            return mark  # a text refresh does not touch (the team's names)
        if item is not None:
            items.append(item)
        if new != current:
            pending = report.revisions is not None and has_pending(found.start, found.end)
            report.set_text(found, new, spill)
            done.changes.append(Changed(view.label, mark.where, current, new))
            done.paragraphs.add(found.start.getparent())
            if report.revisions is not None:
                return replace(mark, printed=new, before=mark.before if pending else current)
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
        lines = []
        for where, old, new in values:
            done.changes.append(
                Changed(view.label, f"{mark.where}（{chart.place}）{where}", old, new)
            )
            lines.append(f"{where}：{old or '（空）'} → {new}")
        if lines:
            done.charts.append((found, f"{chart.place}", lines))
        return chart

    @staticmethod
    def _table(
        report: ReportFile,
        found: Bookmark,
        mark: Mark,
        table: TableView,
        fresh: Any,
        done: Refreshed,
        copied: bool = False,
    ) -> Mark:
        """A table follows the paragraph rule: staff's cells and deletions stay."""
        patch = report.update_table(found, fresh, mark.cells, table.grid.header_rows)
        where = _table_where(mark, table) + ("（复制的表格）" if copied else "")
        if patch.how == "rebuilt":
            done.notes.append(f"!{done.label} › {where}：{_reshaped(patch)}")
        for cell in patch.changed:
            done.changes.append(Changed(done.label, f"{where}{cell.place}", cell.old, cell.new))
        for cell in patch.kept:
            staff = replace(mark, where=f"{where}{cell.place}", printed=cell.new)
            why = "已删除" if not cell.old.strip() else f"已改写为“{cell.old}”"
            done.unlinked.append(Unlinked(done.label, staff, why))
        return replace(mark, cells=patch.cells) if patch.how != "missing" else mark


def _table_where(mark: Mark, table: TableView) -> str:
    """An annex table is found by its number (附表3), not under the last chapter."""
    if table.place.startswith("附表"):
        return table.place
    return f"{mark.where}（{table.place}）"


def _reshaped(patch: TablePatch) -> str:
    what = []
    if patch.added:
        what.append(f"新增“{'”“'.join(patch.added)}”")
    if patch.removed:
        what.append(f"去掉“{'”“'.join(patch.removed)}”")
    why = "、".join(what) if what else "行列数目有变化"
    return f"数据的行列有变化（{why}），已按新数据重建此表（编制组对此表的修改需重新做）"


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
