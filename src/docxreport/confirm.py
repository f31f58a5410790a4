"""The 数据确认表: each school signs for the figures of its workbook that the reports print.

Which figures the reports print is found the way the build finds them: the city
report and the school's report are filled in memory (nothing is written), and
every workbook cell behind a printed figure is collected from the ledger. So the
form lists exactly the school's cells that the reports print or compute a
printed figure from, each formatted as the reports format it.

The form carries the version fingerprint of the workbook (see
:mod:`docxreport.checks.confirmation`); ``check`` compares it with the one the bureau
records in the registry.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docxreport import layout as L
from docxreport.atomic import write_atomically
from docxreport.build import plan, safe_filename, select_schools, trace_job
from docxreport.catalog import Catalog, Indicator
from docxreport.checks.confirmation import short_form
from docxreport.errors import OutputError
from docxreport.finish.manifest import Manifest
from docxreport.finish.pdf import INSTALL_HINT, convert, find_soffice
from docxreport.model import PERIODS, PREV, Dataset, Figure, Location, School, SchoolData, Value
from docxreport.page import TEXT_WIDTH_MM
from docxreport.render.confirmation import write_form
from docxreport.view.fmt import format_plain, format_value
from docxreport.view.grids import Cell, Grid

FORM_DIR = "数据确认表"  # out/<year>/数据确认表/
# Column widths (mm) of the form's tables, the same in every group: 序号, 单位, a year.
SEQ_MM, UNIT_MM, YEAR_MM = 12.0, 18.0, 30.0


@dataclass(frozen=True)
class Form:
    """One school's 数据确认表: what it prints, in order."""

    school: School
    year: int
    file: str  # the workbook, relative to the year folder
    digest: str
    bureau: str
    groups: tuple[tuple[str, Grid], ...]  # (sheet name, its figures)
    count: int  # figures listed

    @property
    def declaration(self) -> str:
        return (
            f"{self.school.full}对本表所列本校 {self.year} 年度质量年度报告数据"
            f"（共 {self.count} 项，数据表版本 {short_form(self.digest)}）的真实性、完整性和"
            "准确性负责。特此声明。"
        )


def form_name(school: School, year: int) -> str:
    """``<学校全称>数据确认表（<年度>）.docx``."""
    return safe_filename(f"{school.full}数据确认表（{year}）.docx")


# -- which cells the reports print -----------------------------------------------------------


def printed_cells(
    data: Dataset, cat: Catalog, folder: Path, templates: Path, schools: Sequence[School]
) -> dict[str, set[Location]]:
    """Per school (short name): its workbook cells behind any figure the reports print.

    The city report and each school's own report are filled in memory from ``templates``.
    """
    shorts = [s.short for s in schools]
    listing = [
        entry
        for job in plan(data, templates, Path(), shorts, city=True)
        for entry in trace_job(job, data, cat, folder)
    ]
    owner = {sd.file: sd.school.short for sd in data.schools}
    cells: dict[str, set[Location]] = {short: set() for short in shorts}
    for entry in listing:
        for loc in entry.figure.sources:
            short = owner.get(loc.file)
            if short in cells:
                cells[short].add(loc)
    return cells


# -- the form (pure) ---------------------------------------------------------------------------


def _year(data: Dataset, period: str) -> str:
    return f"{data.prev_year if period == PREV else data.year} 年"


def _figure_cell(ind: Indicator, value: Value | None, printed: set[Location]) -> Cell:
    """The cell's text as the reports print it; blank when the reports do not print it."""
    if value is None or value.loc not in printed:
        return Cell("")
    align = "center" if ind.numeric else "left"
    return Cell(format_value(ind, value.value), align, figure=Figure(value.value, (value.loc,)))


def _indicator_group(
    data: Dataset, cat: Catalog, sd: SchoolData, inds: list[Indicator], printed: set[Location]
) -> Grid | None:
    rows = [
        (ind, {p: sd.values.get((ind.key, p)) for p in PERIODS})
        for ind in inds
        if any(
            v is not None and v.loc in printed
            for v in (sd.values.get((ind.key, p)) for p in PERIODS)
        )
    ]
    if not rows:
        return None
    periods = [p for p in PERIODS if any(v[p] is not None and v[p].loc in printed for _, v in rows)]
    head = ["序号", "指标", "单位"] + [_year(data, p) for p in periods]
    body: list[list[Cell | None]] = []
    depths: dict[str, int] = {}
    for n, (ind, values) in enumerate(rows, start=1):
        # A 其中 row reads as one only right under its whole, which may be on another sheet.
        depth = depths[ind.parent] + 1 if ind.parent in depths else 0
        depths[ind.key] = depth
        label = f"其中：{ind.name}" if depth else ind.name
        body.append(
            [Cell(str(n)), Cell(label, "left", depth), Cell(ind.unit or "")]
            + [_figure_cell(ind, values[p], printed) for p in periods]
        )
    widths = [SEQ_MM, TEXT_WIDTH_MM - SEQ_MM - UNIT_MM - YEAR_MM * len(periods), UNIT_MM]
    return Grid([[Cell(h) for h in head], *body], widths + [YEAR_MM] * len(periods))


def _list_group(
    data: Dataset, cat: Catalog, sd: SchoolData, list_id: str, printed: set[Location]
) -> Grid | None:
    spec = cat.list(list_id)
    items = [
        row for row in sd.lists.get(list_id, []) if any(v.loc in printed for v in row.values())
    ]
    if not items:
        return None
    head = ["序号", *L.list_headers(spec, data.year)]
    body: list[list[Cell | None]] = [
        [Cell(str(n))] + [_list_cell(item.get(c.key), printed) for c in spec.columns]
        for n, item in enumerate(items, start=1)
    ]
    weights = [1.3 if c.kind == "text" else 1.0 for c in spec.columns]
    room = TEXT_WIDTH_MM - SEQ_MM
    return Grid(
        [[Cell(h) for h in head], *body], [SEQ_MM] + [room * w / sum(weights) for w in weights]
    )


def _list_cell(value: Value | None, printed: set[Location]) -> Cell:
    """A list cell as the report's list table prints it (— when empty)."""
    if value is None or value.loc not in printed:
        return Cell(format_plain(value))
    return Cell(format_plain(value), figure=Figure(value.value, (value.loc,)))


def _count(grid: Grid) -> int:
    return sum(
        1
        for row in grid.rows[grid.header_rows :]
        for cell in row
        if cell is not None and cell.figure is not None and cell.text
    )


def make_form(data: Dataset, cat: Catalog, sd: SchoolData, printed: set[Location]) -> Form:
    """The 数据确认表 of school ``sd``: its ``printed`` cells, grouped by sheet in workbook order."""
    groups: list[tuple[str, Grid]] = []
    for sheet, inds in L.school_sheets(cat):
        grid = _indicator_group(data, cat, sd, inds, printed)
        if grid is not None:
            groups.append((sheet, grid))
    for list_id in L.LIST_SHEETS.school:
        grid = _list_group(data, cat, sd, list_id, printed)
        if grid is not None:
            groups.append((cat.list(list_id).sheet, grid))
    count = sum(_count(grid) for _, grid in groups)
    return Form(sd.school, data.year, sd.file, sd.digest, data.city.bureau, tuple(groups), count)


# -- writing -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """The forms written, kept (with the reason), backed up, and their PDFs."""

    written: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)
    backups: list[tuple[Path, str]] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pdf_missing: bool = False


def write_forms(
    data: Dataset,
    cat: Catalog,
    folder: Path,
    templates: Path,
    out_root: Path,
    names: Sequence[str] | None = None,
    *,
    force: bool = False,
    pdf: bool = False,
    progress: Callable[[int, int, School, Path], None] = lambda i, n, school, path: None,
) -> Outcome:
    """Write the 数据确认表 of the schools called ``names`` (None: every school).

    A form edited since it was written, or open in Word/WPS, is kept unless ``force``
    (see :mod:`docxreport.finish.manifest`).
    """
    schools = select_schools(data, names)
    cells = printed_cells(data, cat, folder, templates, schools)
    year_dir = out_root / str(data.year)
    manifest = Manifest.load(year_dir)
    outcome = Outcome()
    for i, school in enumerate(schools, start=1):
        path = year_dir / FORM_DIR / form_name(school, data.year)
        progress(i, len(schools), school, path)
        decision = manifest.decide(path, force)
        if not decision.write:
            outcome.kept.append((path, decision.reason))
            continue
        if decision.backup:
            outcome.backups.append((path, decision.reason))
        sd = data.school_data(school.short)
        form = make_form(data, cat, sd, cells[school.short])
        write_form(form, path, year_dir / FORM_DIR, manifest.pending_hook(path))
        manifest.record(path)
        manifest.save()
        outcome.written.append(path)
    if pdf:
        _write_pdfs(outcome)
    return outcome


def _write_pdfs(outcome: Outcome) -> None:
    """A PDF beside every form written, all in one LibreOffice run."""
    if not outcome.written:
        return
    if find_soffice() is None:
        outcome.notes.append(f"未安装 LibreOffice，PDF 未生成。{INSTALL_HINT}")
        outcome.pdf_missing = True
        return
    with tempfile.TemporaryDirectory(prefix="docxreport-") as tmp:
        try:
            pdfs = convert(outcome.written, Path(tmp), jobs=1)
        except OutputError as exc:
            outcome.notes.append(f"PDF 未完成：{exc}")
            outcome.pdf_missing = True
            return
        for docx, made in zip(outcome.written, pdfs, strict=True):
            target = docx.with_suffix(".pdf")
            write_atomically(
                lambda tmp_path, src=made: shutil.copyfile(src, tmp_path), target, docx.parent
            )
            outcome.pdfs.append(target)
