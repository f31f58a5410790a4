"""Collection progress: which schools have returned their workbook, and how complete each is.

Pure: from the read workbooks and the issues found to one line per school. The
catalog's tables say which figures a report prints; a printed figure left blank
prints as "—" and is a warning of its own kind (:data:`~docxreport.issues.BLANK`),
counted per school on screen and listed cell by cell in the report workbook.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from docxreport import layout as L
from docxreport.catalog import Catalog, Indicator
from docxreport.issues import BLANK, Issue, Report, warning
from docxreport.model import CURR, CityData, School, SchoolData

MISSING, UNREADABLE, EMPTY, FILLED = "未交", "无法读取", "未填写", "已填写"


def table_name(table_id: str) -> str:
    """``annex3`` → 附表3, ``1-5`` → 表1-5."""
    if table_id.startswith("annex"):
        return f"附表{table_id.removeprefix('annex')}"
    return f"表{table_id}"


def printed_tables(cat: Catalog) -> dict[str, list[str]]:
    """Indicator key → the report tables that print it (表1-5, 附表3), from the catalog."""
    out: dict[str, list[str]] = {}
    for t in cat.tables:
        keys = [r.key for r in t.rows] + [c.key for c in t.columns] + ([t.key] if t.key else [])
        for key in dict.fromkeys(keys):
            out.setdefault(key, []).append(table_name(t.id))
    return out


def expected(ind: Indicator, graduates: bool) -> bool:
    """Whether a school is expected to fill ``ind``: graduate figures only with graduates."""
    return graduates or not ind.about_graduates


def _required(ind: Indicator, graduates: bool) -> bool:
    return ind.required == "always" or (ind.required == "graduates" and graduates)


def check_blank(sd: SchoolData, cat: Catalog) -> Iterator[Issue]:
    """A printed figure left blank prints as "—": a warning at its 本年 cell.

    Required figures are not repeated here: a blank one is already an error.
    """
    tables = printed_tables(cat)
    grads = sd.has_graduates()
    for ind in cat.indicators:
        if ind.key not in tables or not expected(ind, grads) or _required(ind, grads):
            continue
        yield from _blank(sd.values, ind, f"{'、'.join(tables[ind.key])}中将印为“—”")


def check_city_blank(city: CityData, cat: Catalog) -> Iterator[Issue]:
    """A figure only the bureau supplies (rule ``given``) left blank in 市级.xlsx prints as
    "—" in every table and sentence that shows it: a warning at its 本年 cell."""
    tables = printed_tables(cat)
    for ind in cat.indicators:
        if ind.city.rule != "given" or ind.key not in tables:
            continue
        where = (
            f"全市报告中（{'、'.join(tables[ind.key])}等处）将印为“—”；此数由市级填报，不由各校汇总"
        )
        yield from _blank(city.values, ind, where)


def _blank(values: dict, ind: Indicator, where: str) -> Iterator[Issue]:
    """The blank warning at ``ind``'s 本年 cell in ``values``, if it is blank and readable."""
    cell = values.get((ind.key, CURR))
    if cell is not None and cell.empty and not cell.invalid:
        yield warning(cell.loc, f"空白，{where}；请填写（确实没有的填 0）", ind.name, BLANK)


@dataclass(frozen=True)
class SheetFill:
    """One topic sheet: ``filled`` of the ``expected`` 本年 cells hold a value."""

    sheet: str
    filled: int
    expected: int


@dataclass(frozen=True)
class SchoolProgress:
    """One line of the progress summary."""

    school: School
    file: str
    state: str
    sheets: tuple[SheetFill, ...] = ()
    errors: int = 0
    warnings: int = 0
    blank: int = 0
    confirmation: str = ""  # the state of the school's signed 数据确认表, briefly

    @property
    def filled(self) -> int:
        return sum(s.filled for s in self.sheets)

    @property
    def expected(self) -> int:
        return sum(s.expected for s in self.sheets)

    def line(self) -> str:
        head = f"{self.school.short}：{self.state}"
        confirmed = f"；数据确认：{self.confirmation}" if self.confirmation else ""
        if self.state == MISSING:
            return f"{head}（缺少 {self.file}）{confirmed}"
        counts = f"错误 {self.errors}、警告 {self.warnings}（其中空白待补 {self.blank}）"
        if not self.sheets:
            return f"{head}；{counts}{confirmed}"
        fills = " ".join(f"{s.sheet} {s.filled}/{s.expected}" for s in self.sheets)
        return f"{head}；已填 {self.filled}/{self.expected}；{counts}{confirmed}；{fills}"


def sheet_fills(sd: SchoolData, cat: Catalog) -> tuple[SheetFill, ...]:
    grads = sd.has_graduates()
    out = []
    for name, inds in L.school_sheets(cat):
        wanted = [i for i in inds if expected(i, grads)]
        cells = [sd.values.get((i.key, CURR)) for i in wanted]
        filled = sum(1 for c in cells if c is not None and not c.empty)
        out.append(SheetFill(name, filled, len(wanted)))
    return tuple(out)


def school_progress(
    registry: Sequence[School],
    files: dict[str, str],
    schools: Sequence[SchoolData],
    report: Report,
    cat: Catalog,
) -> list[SchoolProgress]:
    """One entry per registered school, in registry order.

    ``files``: short name → the school's workbook (relative to the year folder) for
    the schools whose file was found; ``schools``: the workbooks that could be read.
    """
    read = {sd.school.short: sd for sd in schools}
    out = []
    for school in registry:
        file = files.get(school.short, f"{L.SCHOOL_DIR}/{school.filename}")
        if school.short not in files:
            out.append(SchoolProgress(school, file, MISSING))
            continue
        issues = report.of_file(file)
        errors = sum(i.is_error for i in issues)
        blank = sum(i.kind == BLANK for i in issues)
        counts = {"errors": errors, "warnings": len(issues) - errors, "blank": blank}
        sd = read.get(school.short)
        if sd is None:
            out.append(SchoolProgress(school, file, UNREADABLE, **counts))
            continue
        fills = sheet_fills(sd, cat)
        state = FILLED if any(f.filled for f in fills) else EMPTY
        out.append(SchoolProgress(school, file, state, fills, **counts))
    return out
