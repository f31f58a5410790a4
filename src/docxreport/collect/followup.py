"""After a batch is filed: the same checks as ``check``, and the receipt and reminder list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.checks.progress import SchoolProgress, school_progress
from docxreport.collect.register import FILE, Earlier, Written, needs_contact, update_register
from docxreport.collect.results import Collected
from docxreport.issues import Report
from docxreport.load import Loaded, load_year
from docxreport.workbook.identify import SCHOOL, identify


@dataclass
class FollowUp:
    """The year checked after filing: the issues of the schools just filed, every
    school's progress, and the receipt list (None when the year's registry is unreadable)."""

    loaded: Loaded
    issues: Report
    progress: list[SchoolProgress]
    register: Written | None
    selection: str = ""  # what became of 市级.xlsx › 案例与图片遴选 ("" when nothing to say)

    @property
    def failed(self) -> bool:
        return not self.issues.valid


def follow_up(done: Collected, inputs: Path, cat: Catalog, out: Path) -> FollowUp:
    """Check the year as ``check`` does; renew ``out/<年度>/收表登记.xlsx``."""
    loaded = load_year(inputs, done.year, cat)
    filed = {o.file for o in done.schools if o.filed}
    issues = Report([i for i in loaded.report if i.loc.file in filed])
    if loaded.city is None:
        return FollowUp(loaded, issues, [], None)
    selection = _sync_selection(loaded, done)
    progress = school_progress(
        loaded.city.registry, loaded.files, loaded.schools, loaded.report, cat
    )
    title = f"{loaded.city.region_full or loaded.city.region}　{done.year} 年度收表登记"
    path = out / str(done.year) / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    earlier = _last_year(inputs, done.year, needs_contact(progress), cat)
    written = update_register(path, done, progress, loaded.city, loaded.schools, title, earlier)
    return FollowUp(loaded, issues, progress, written, selection)


def _last_year(inputs: Path, year: int, shorts: list[str], cat: Catalog) -> Earlier:
    """Who filled in last year's workbook of each school in ``shorts``, where it says."""
    folder = inputs / str(year - 1) / L.SCHOOL_DIR
    contacts = {}
    for short in shorts:
        path = folder / f"{short}.xlsx"
        if path.is_file():
            ident = identify(path.read_bytes(), path.name, cat)
            if ident.kind == SCHOOL and (ident.contact or ident.phone):
                contacts[short] = (ident.contact, ident.phone)
    return Earlier(year - 1, contacts)


def _sync_selection(loaded: Loaded, done: Collected) -> str:
    """Bring the selection sheet up to date with the workbooks filed, as ``check`` does.

    Nothing is written into a city workbook that does not read cleanly, or when no
    workbook was filed (the sheet can only have changed with a school's workbook).
    """
    from docxreport.selection.sync import sync_selection

    if loaded.city is None or not done.filed:
        return ""
    if any(i.loc.file == loaded.city.file for i in loaded.report.errors):
        return f"{loaded.city.file} 有错误，{L.SELECTION_SHEET} 表未更新。"
    return sync_selection(loaded.folder, loaded.city, loaded.schools).line()
