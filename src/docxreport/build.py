"""The build pipeline: validated data → Word reports in the output folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docxtpl import DocxTemplate

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.context import make_context, output_name
from docxreport.errors import TemplateError
from docxreport.issues import Issue, warning
from docxreport.model import Dataset
from docxreport.render.document import render_report

CITY_TEMPLATE = "city.docx"


@dataclass
class Job:
    """One report to write."""

    label: str
    template: Path
    out: Path
    school: str | None = None


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def plan(data: Dataset, templates: Path, out_root: Path) -> list[Job]:
    """The reports to write for ``data``: the city report first."""
    year_dir = out_root / str(data.year)
    return [Job("全市报告", templates / CITY_TEMPLATE, year_dir / output_name(data))]


def run_job(job: Job, data: Dataset, cat: Catalog, folder: Path) -> list[Issue]:
    """Render one report; return warnings about content the template left out."""
    if not job.template.is_file():
        raise TemplateError(f"找不到模板 {job.template}")
    try:
        tpl = DocxTemplate(job.template)
        tpl.init_docx()
    except Exception as exc:
        raise TemplateError(
            f"模板 {job.template} 不是有效的 Word 文件（{type(exc).__name__}）"
        ) from exc
    context, blocks = make_context(tpl, data, cat, folder / L.PHOTO_DIR, job.school)
    render_report(job.template, context, job.out, tpl=tpl)
    return [
        warning(
            next(iter(row.values())).loc,
            f"章节“{row['section'].value}”在模板 {job.template.name} 中没有图片/案例位置，"
            "此条未放入报告",
        )
        for row in blocks.unplaced()
    ]


def build(
    data: Dataset,
    cat: Catalog,
    folder: Path,
    templates: Path,
    out_root: Path,
    progress: Callable[[Job], None] = lambda job: None,
) -> Outcome:
    outcome = Outcome()
    for job in plan(data, templates, out_root):
        progress(job)
        outcome.issues += run_job(job, data, cat, folder)
        outcome.written.append(job.out)
    return outcome
