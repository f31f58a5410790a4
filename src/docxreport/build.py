"""The build pipeline: validated data → Word reports in the output folder."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from docxreport import layout as L
from docxreport.atomic import Ready, write_atomically
from docxreport.catalog import Catalog
from docxreport.checks.placeholders import PLACEHOLDER, placeholder_issues
from docxreport.checks.sentences import prose, sentence_issues, view_judge
from docxreport.errors import DocxreportError, InputError, OutputError, TemplateError
from docxreport.finish.manifest import Decision, Manifest
from docxreport.finish.pagenums import fill_page_numbers_many, page_count, printed_pages
from docxreport.finish.pdf import convert, find_soffice
from docxreport.issues import Issue, warning
from docxreport.layout import safe_filename
from docxreport.ledger import Entry, entries
from docxreport.model import Dataset, School
from docxreport.photos import PhotoShop
from docxreport.pool import run_ordered
from docxreport.render.context import Context, identify
from docxreport.render.document import (
    collect_marks,
    fill_template,
    render_report,
    set_properties,
)
from docxreport.render.marks import Marks
from docxreport.render.state import State
from docxreport.render.template import CachedTemplate
from docxreport.view.report import CITY_REPORT, block_rows, make_view
from docxreport.workbook.sources import Row, read_rows, row_of, write_sources

CITY_TEMPLATE, SCHOOL_TEMPLATE, SCHOOL_TEMPLATE_DIR = (
    L.CITY_TEMPLATE,
    L.SCHOOL_TEMPLATE,
    L.SCHOOL_TEMPLATE_DIR,
)
SCHOOL_OUT_DIR = "学校"  # school reports go to out/<year>/学校/
SOURCES_FILE = "数据来源.xlsx"
PHOTO_CACHE = ".docxreport-cache/photos"  # prepared photos, by content hash (out/ is disposable)


@dataclass
class Job:
    """One report to write."""

    label: str
    template: Path
    out: Path
    school: str | None = None
    within: Path | None = None  # the folder ``out`` must lie in (else its own folder)


@dataclass
class Outcome:
    """The reports written (in order) and the warnings found while writing them."""

    done: list[Job] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)  # not overwritten, and why
    failed: list[tuple[Job, str]] = field(default_factory=list)  # could not be made, and why
    backups: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    pdf_missing: bool = False
    layouts: list[int] = field(default_factory=list)  # LibreOffice layouts per written report
    city_pages: int | None = None  # the city report's pages as laid out (with page numbers)
    sources: Path | None = None

    @property
    def written(self) -> list[Path]:
        return [job.out for job in self.done]


def output_name(data: Dataset) -> str:
    """``<地区名>中等职业教育质量年度报告（<年度>）.docx``."""
    return safe_filename(f"{data.city.region}中等职业教育质量年度报告（{data.year}）.docx")


def school_output_name(data: Dataset, school: School) -> str:
    """``<学校全称>质量年度报告（<年度>）.docx``, with characters no file name may hold replaced."""
    return safe_filename(f"{school.full}质量年度报告（{data.year}）.docx")


def select_schools(data: Dataset, names: Sequence[str] | None) -> list[School]:
    """The registered schools called ``names`` (short, full or alias), in registry order.

    ``None`` selects every school; an unknown name is an :class:`InputError` listing the registry.
    """
    registry = data.city.registry
    if names is None:
        return list(registry)
    found = [data.city.school(n) for n in names]
    unknown = [n for n, school in zip(names, found, strict=True) if school is None]
    if unknown:
        listed = "、".join(f"{s.short}（{s.full}）" for s in registry) or "（名册为空）"
        raise InputError(f"学校名册中没有“{'”“'.join(unknown)}”。可用学校简称或全称：{listed}")
    wanted = {school.short for school in found if school is not None}
    return [s for s in registry if s.short in wanted]


def plan(
    data: Dataset,
    templates: Path,
    out_root: Path,
    schools: Sequence[str] | None = None,
    city: bool = True,
) -> list[Job]:
    """The reports to write: the city report first, then one per school in registry order.

    ``schools`` names the school reports to write (``None``: every school, ``[]``: none);
    ``city`` False leaves out the city report.
    """
    year_dir = out_root / str(data.year)
    jobs = (
        [Job("全市报告", templates / CITY_TEMPLATE, year_dir / output_name(data), within=year_dir)]
        if city
        else []
    )
    for school in select_schools(data, schools):
        out = year_dir / SCHOOL_OUT_DIR / school_output_name(data, school)
        own = templates / SCHOOL_TEMPLATE_DIR / f"{school.short}.docx"
        template = own if own.is_file() else templates / SCHOOL_TEMPLATE
        jobs.append(
            Job(f"{school.short}学校报告", template, out, school.short, year_dir / SCHOOL_OUT_DIR)
        )
    return jobs


def _open(job: Job) -> DocxTemplate:
    if not job.template.is_file():
        raise TemplateError(f"找不到模板 {job.template}")
    try:
        tpl = CachedTemplate(job.template)
        tpl.init_docx()
    except Exception as exc:
        raise TemplateError(
            f"模板 {job.template} 不是有效的 Word 文件（{type(exc).__name__}）"
        ) from exc
    return tpl


def trace_job(job: Job, data: Dataset, cat: Catalog, folder: Path) -> list[Entry]:
    """Fill one report in memory only (no table, photo or file is written): the
    data-source entries of every figure it prints."""
    tpl = _open(job)
    view = make_view(data, cat, job.school, folder / L.PHOTO_DIR)
    context = Context(view, tpl, Marks(), trace=True)
    fill_template(tpl, job.template, context.names())
    return entries(view.label, collect_marks(tpl, context.marks))


def run_job(
    job: Job,
    data: Dataset,
    cat: Catalog,
    folder: Path,
    shop: PhotoShop | None = None,
    draft: bool = False,
    ready: Ready | None = None,
) -> tuple[list[Issue], list[Entry]]:
    """Render one report: its view, then Word. Returns warnings about content the template
    left out, and one data-source entry per figure the document prints; ``draft`` marks
    every page 征求意见稿; ``ready`` sees the report just before it takes its name."""
    tpl = _open(job)
    view = make_view(data, cat, job.school, folder / L.PHOTO_DIR)
    context = Context(view, tpl, Marks(), shop)
    state = State(view.label, job.school or "", data.year, job.template.name)
    set_properties(tpl.docx, view.properties)
    lint: list[Issue] = []

    def inspect(filled: DocxTemplate) -> None:
        paragraphs = prose(filled.docx, context.marks.items)
        lint.extend(sentence_issues(paragraphs, view_judge(view.changes), job.out.name))

    rendered = render_report(
        job.template,
        context.names(),
        job.out,
        within=job.within or job.out.parent,
        ready=ready,
        tpl=tpl,
        marks=context.marks,
        draft=draft,
        state=state,
        identify=identify,
        inspect=inspect,
    )
    unplaced = lint + [
        warning(
            next(iter(row.values())).loc,
            f"章节“{section}”在模板 {job.template.name} 中没有图片/案例位置，此条未放入报告",
        )
        for section, row in block_rows(data, job.school)
        if section not in context.asked
    ]
    # words still to be written: the starter template's placeholders, by chapter
    if any(PLACEHOLDER.search(text) for text in rendered.texts):
        unplaced += placeholder_issues(tpl.docx, job.out.name)
    return unplaced, entries(view.label, rendered.found)


@dataclass
class Options:
    """How to write: overwrite edited files (after a backup), page numbers, PDFs, draft."""

    force: bool = False
    draft: bool = False
    page_numbers: bool = True
    pdf: bool = False
    archive: bool = False  # the PDFs as PDF/A-2b
    jobs: int = 1  # reports rendered at once, each in a process of its own
    notify: Callable[[str], None] = lambda message: None  # progress of the slow stages


def build(
    data: Dataset,
    cat: Catalog,
    folder: Path,
    templates: Path,
    out_root: Path,
    progress: Callable[[int, int, Job], None] = lambda i, n, job: None,
    schools: Sequence[str] | None = None,
    city: bool = True,
    options: Options | None = None,
) -> Outcome:
    """Write the planned reports; ``progress(i, n, job)`` is called before report ``i`` of ``n``.

    A report staff edited since the last build, or one open in Word/WPS, is kept
    (see :mod:`docxreport.finish.manifest`); the others are written atomically, ``options.jobs``
    at a time, each in a process of its own. A report that cannot be made (its template
    fails) is listed in ``failed`` with the reason; the others are written all the same.
    """
    options = options or Options()
    outcome = Outcome()
    year_dir = out_root / str(data.year)
    manifest = Manifest.load(year_dir)
    jobs = plan(data, templates, out_root, schools, city)
    decisions = [manifest.decide(job.out, options.force) for job in jobs]
    shop = PhotoShop(out_root / PHOTO_CACHE)
    todo = [job for job, decision in zip(jobs, decisions, strict=True) if decision.write]
    # read before the reports are replaced: where their contents entries fell last time
    previous = {
        job.out: printed_pages(decision.backup or job.out)
        for job, decision in zip(jobs, decisions, strict=True)
        if decision.write and options.page_numbers
    }
    # final only once its page numbers are in: until then each version is noted as pending
    layout = options.page_numbers and find_soffice() is not None

    def one(job: Job) -> tuple[list[Issue], list[Row]]:
        ready = manifest.pending_hook(job.out)
        return _plain(run_job(job, data, cat, folder, shop, options.draft, ready))

    results = run_ordered(one, todo, options.jobs)
    try:
        listing, failed = _take(results, jobs, decisions, outcome, progress)
    finally:
        results.close()  # stops the workers at once when the run is interrupted
    if not layout:
        _record(manifest, outcome.written)
    if failed:
        if layout:  # the reports written are final as they are
            _record(manifest, outcome.written)
        manifest.settle()
        raise failed[0]
    finish(outcome, manifest, options, previous)
    sources = year_dir / SOURCES_FILE
    decision = manifest.decide(sources, options.force)
    if decision.write and outcome.done:
        # the rows of reports not built this time stay: the listing covers the whole year
        built = {job.school or CITY_REPORT for job in outcome.done}
        known = {CITY_REPORT} | {s.short for s in data.city.registry}
        others = known - built
        kept = [row for row in read_rows(sources) if row[0] in others] if others else []
        write_sources(sources, kept + listing, ready=manifest.pending_hook(sources))
        manifest.record(sources)
        manifest.save()
        outcome.sources = sources
    elif not decision.write:
        outcome.kept.append((sources, decision.reason))
    manifest.settle()
    return outcome


def _take(
    results: Iterator[tuple[Job, Any, BaseException | None]],
    jobs: Sequence[Job],
    decisions: Sequence[Decision],
    outcome: Outcome,
    progress: Callable[[int, int, Job], None],
) -> tuple[list[Row], list[BaseException]]:
    """The reports' results, in order, into ``outcome``: their listing rows, and the
    surprises (not a :class:`DocxreportError`) to raise once all are done."""
    listing: list[Row] = []
    failed: list[BaseException] = []
    for i, (job, decision) in enumerate(zip(jobs, decisions, strict=True), 1):
        progress(i, len(jobs), job)
        if not decision.write:
            outcome.kept.append((job.out, decision.reason))
            continue
        if decision.backup:
            outcome.backups.append((job.out, decision.reason))
        _, found, exc = next(results)
        if isinstance(exc, DocxreportError):  # one report's problem: the others go on
            outcome.failed.append((job, str(exc)))
            continue
        if exc is not None:  # a surprise: the others go on, then it is raised
            failed.append(exc)
            continue
        issues, entries_ = found
        outcome.issues += issues
        listing += entries_
        outcome.done.append(job)
    return listing, failed


def _record(manifest: Manifest, paths: Sequence[Path]) -> None:
    for path in paths:
        manifest.record(path)
    manifest.save()


def _plain(result: tuple[list[Issue], list[Entry]]) -> tuple[list[Issue], list[Row]]:
    """A report's listing rows as text: nothing of the report's data is kept or sent back."""
    issues, found = result
    return issues, [row_of(e) for e in found]


def finish(
    outcome: Outcome,
    manifest: Manifest,
    options: Options,
    previous: dict[Path, dict[str, str]] | None = None,
) -> None:
    """Fill the contents' page numbers and write PDFs, with one LibreOffice run per round.

    ``previous`` holds the page numbers each report printed when last built (see
    :func:`~docxreport.finish.pagenums.printed_pages`): a report whose pages did not
    move is then laid out once.
    """
    written = outcome.written
    if not written or not (options.page_numbers or options.pdf):
        return
    if find_soffice() is None:  # the reports were recorded as written
        outcome.notes.append(
            "未安装 LibreOffice，目录页码未填写"
            + ("、PDF 未生成" if options.pdf else "")
            + "。安装方法：apt-get install -y libreoffice-writer-nogui fonts-noto-cjk"
            + " fonts-arphic-gkai00mp poppler-utils"
        )
        outcome.pdf_missing = options.pdf
        return
    what = "排版并填写目录页码" if options.page_numbers else "转换 PDF"
    options.notify(f"正在用 LibreOffice {what}（{len(written)} 份报告，需要一些时间）…")
    with tempfile.TemporaryDirectory(prefix="docxreport-") as tmp:
        try:
            if options.page_numbers:
                expected = [(previous or {}).get(path, {}) for path in written]
                results = fill_page_numbers_many(
                    written,
                    Path(tmp),
                    expected=expected,
                    jobs=2,
                    archive=options.archive,
                    ready=manifest.pending_hook,
                )
                pdfs = [r.pdf for r in results]
                outcome.layouts = [r.conversions for r in results]
                city = [
                    r.pdf for job, r in zip(outcome.done, results, strict=True) if not job.school
                ]
                outcome.city_pages = page_count(city[0]) if city and city[0] else None
            else:
                pdfs = convert(written, Path(tmp) / "pdf", jobs=2, archive=options.archive)
        except OutputError as exc:
            outcome.notes.append(f"目录页码或 PDF 未完成：{exc}")
            outcome.pdf_missing = options.pdf
            return
        finally:
            if options.page_numbers:  # final now, even if a later layout failed or was stopped
                _record(manifest, written)
        if options.pdf:
            for docx, pdf in zip(written, pdfs, strict=True):
                target = docx.with_suffix(".pdf")
                write_atomically(
                    lambda tmp_path, src=pdf: shutil.copyfile(src, tmp_path), target, docx.parent
                )
                outcome.pdfs.append(target)
