"""Where the year stands, for the workbench: the same reading and checks as ``check``.

A :class:`Workspace` holds the folders the command line would use. Reading a year
(every workbook, and the templates) is what ``docxreport check`` does; it is kept
until a file under the year's inputs or the templates changes, so that a page shown
again costs a walk of the folders, not a read of every workbook.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.checks import confirmation as C
from docxreport.checks.progress import MISSING, SchoolProgress, year_progress
from docxreport.errors import InputError
from docxreport.finish.manifest import Manifest
from docxreport.issues import Issue, Report
from docxreport.load import Loaded, city_registry, load_year, region_catalog, resolve_year
from docxreport.model import School

CONFIRMATION_WORDS = {
    C.CONFIRMED: "已确认",
    C.OUTDATED: "已过期",
    C.UNCONFIRMED: "未确认",
    C.UNREADABLE: "未确认",
    C.NO_WORKBOOK: "无工作簿",
}
NOT_BUILT, CURRENT, STALE = "未生成", "最新", "需更新"

# The steps of a year, in order; the overview points at the first one not done.
STEPS = ("收表", "检查", "生成", "更新数字", "确认表", "发布")


@dataclass(frozen=True)
class Folders:
    """The folders a command would be given: ``--inputs``, ``--templates``, ``--out``, ``--year``."""

    inputs: Path
    templates: Path
    out: Path
    year: int | None = None


@dataclass(frozen=True)
class ReportState:
    """One built report: whether it exists, is newer than its data, and holds staff's edits."""

    path: Path
    state: str  # NOT_BUILT, CURRENT or STALE
    edited: bool = False
    built: datetime | None = None

    @property
    def words(self) -> str:
        if self.state == NOT_BUILT:
            return NOT_BUILT
        edited = "（已在 Word/WPS 中修改）" if self.edited else ""
        return f"{self.state}{edited}"


@dataclass(frozen=True)
class SchoolRow:
    progress: SchoolProgress
    received: datetime | None
    confirmation: str  # 已确认 / 已过期 / 未确认 / 无工作簿
    confirmation_detail: str
    report: ReportState

    @property
    def school(self) -> School:
        return self.progress.school


@dataclass(frozen=True)
class Step:
    name: str  # one of STEPS
    why: str


@dataclass(frozen=True)
class Overview:
    region: str
    year: int
    folder: Path
    rows: list[SchoolRow]
    city_report: ReportState | None
    workbook_issues: Report
    template_issues: Report
    step: Step

    @property
    def shown_folder(self) -> str:
        """The year folder as a person would type it: relative to where ui was started."""
        try:
            return self.folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return str(self.folder)

    @property
    def received(self) -> int:
        return sum(r.progress.state != MISSING for r in self.rows)

    @property
    def confirmed(self) -> int:
        return sum(r.confirmation == "已确认" for r in self.rows)

    @property
    def current(self) -> int:
        return sum(r.report.state == CURRENT for r in self.rows)

    @property
    def errors(self) -> int:
        return len(self.workbook_issues.errors) + len(self.template_issues.errors)

    @property
    def warnings(self) -> int:
        return len(self.workbook_issues.warnings) + len(self.template_issues.warnings)

    def issues(self) -> Iterator[Issue]:
        yield from self.workbook_issues
        yield from self.template_issues


@dataclass
class _Read:
    """One reading of the year, and the state of the files it was read from."""

    stamp: tuple
    catalog: Catalog
    loaded: Loaded
    templates: Report


@dataclass
class Workspace:
    folders: Folders
    _read: _Read | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- reading ------------------------------------------------------------------

    def year(self) -> int:
        return resolve_year(self.folders.inputs, self.folders.year)

    def year_folder(self) -> Path:
        return self.folders.inputs / str(self.year())

    def out_folder(self) -> Path:
        return self.folders.out / str(self.year())

    def read(self) -> _Read:
        """The year as ``check`` reads it, read again only when an input file changed."""
        with self._lock:
            stamp = self._stamp()
            if self._read is None or self._read.stamp != stamp:
                self._read = self._load(stamp)
            return self._read

    def forget(self) -> None:
        """Read the year again on the next page (after a run wrote to the inputs)."""
        with self._lock:
            self._read = None

    def _stamp(self) -> tuple:
        folders = [self.year_folder(), self.folders.templates]
        return (self.year(), *(_tree_stamp(f) for f in folders))

    def _load(self, stamp: tuple) -> _Read:
        f = self.folders
        cat = region_catalog(f.inputs, f.year)
        loaded = load_year(f.inputs, f.year, cat)
        templates = Report()
        if f.templates.is_dir():
            from docxreport.checks.templates import check_templates  # reads .docx

            templates = Report(
                check_templates(f.templates, cat, city_registry(f.inputs, f.year, cat))
            )
        return _Read(stamp, cat, loaded, templates)

    # -- the overview -------------------------------------------------------------

    def overview(self) -> Overview:
        read = self.read()
        loaded = read.loaded
        progress = year_progress(loaded, read.catalog)
        confirmations = {c.school.short: c for c in loaded.confirmations}
        reports = self._report_states(loaded)
        rows = []
        for p in progress:
            conf = confirmations.get(p.school.short)
            path = loaded.folder / p.file
            rows.append(
                SchoolRow(
                    p,
                    _mtime(path) if p.state != MISSING else None,
                    CONFIRMATION_WORDS[conf.state] if conf else "无工作簿",
                    conf.line() if conf else "",
                    reports[p.school.short],
                )
            )
        city = reports.get("")
        region = loaded.city.region if loaded.city else ""
        step = _next_step(rows, city, loaded.report, read.templates)
        return Overview(
            region, self.year(), loaded.folder, rows, city, loaded.report, read.templates, step
        )

    def _report_states(self, loaded: Loaded) -> dict[str, ReportState]:
        """Each school's report (by short name) and the city report (key ``""``)."""
        if loaded.city is None:
            return {}
        from docxreport.build import output_name, school_output_name

        names = SimpleNamespace(year=self.year(), city=loaded.city)
        out = self.out_folder()
        manifest = Manifest.load(out)
        templates = _newest(self.folders.templates)
        city_data = _newest(loaded.folder)
        states = {"": _report_state(out / output_name(names), city_data, templates, manifest)}
        for school in loaded.city.registry:
            data = max(
                _mtime_or_zero(loaded.folder / loaded.files.get(school.short, "-")),
                _mtime_or_zero(loaded.folder / L.CITY_FILE),
            )
            path = out / L.SCHOOL_DIR / school_output_name(names, school)
            states[school.short] = _report_state(path, data, templates, manifest)
        return states

    def school_names(self) -> list[str]:
        loaded = self.read().loaded
        return [s.short for s in loaded.city.registry] if loaded.city else []


def _next_step(
    rows: list[SchoolRow], city: ReportState | None, workbooks: Report, templates: Report
) -> Step:
    missing = [r for r in rows if r.progress.state == MISSING]
    if missing or not rows:
        return Step("收表", f"还有 {len(missing)} 所学校未交工作簿" if rows else "学校名册为空")
    errors = len(workbooks.errors) + len(templates.errors)
    if errors:
        return Step("检查", f"还有 {errors} 个错误需要改正")
    reports = [r.report for r in rows] + ([city] if city else [])
    if any(r.state == NOT_BUILT for r in reports):
        return Step("生成", "报告尚未全部生成")
    stale = [r for r in reports if r.state == STALE]
    if stale:
        return Step("更新数字", f"{len(stale)} 份报告生成后数据又有改动")
    unconfirmed = [r for r in rows if r.confirmation != "已确认"]
    if unconfirmed:
        return Step("确认表", f"{len(unconfirmed)} 所学校尚未签字确认当前数据")
    return Step("发布", "数据已收齐、无错误、已确认，报告为最新")


def _report_state(path: Path, data: float, templates: float, manifest: Manifest) -> ReportState:
    if not path.is_file():
        return ReportState(path, NOT_BUILT)
    built = path.stat().st_mtime
    state = CURRENT if built >= max(data, templates) else STALE
    try:
        edited = not manifest.untouched(path)
    except (OSError, ValueError):
        edited = True
    return ReportState(path, state, edited, datetime.fromtimestamp(built))


def _tree_stamp(folder: Path) -> tuple:
    """Names, sizes and times of every file under ``folder``: changes when any file does."""
    if not folder.is_dir():
        return ()
    out = []
    for path in sorted(folder.rglob("*")):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _newest(folder: Path) -> float:
    if not folder.is_dir():
        return 0.0
    return max((_mtime_or_zero(p) for p in folder.rglob("*") if p.is_file()), default=0.0)


def _mtime_or_zero(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _mtime(path: Path) -> datetime | None:
    t = _mtime_or_zero(path)
    return datetime.fromtimestamp(t) if t else None


def checked(folders: Folders) -> Workspace:
    """A workspace whose inputs folder and year exist, or an :class:`InputError` saying why."""
    ws = Workspace(folders)
    ws.year()
    return ws


__all__ = ["Folders", "InputError", "Overview", "Workspace", "checked"]
