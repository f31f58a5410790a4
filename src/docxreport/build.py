"""The build pipeline: validated data → Word reports in the output folder."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docxtpl import DocxTemplate

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.context import make_context, output_name
from docxreport.errors import InputError, TemplateError
from docxreport.issues import Issue, warning
from docxreport.model import Dataset, School
from docxreport.render.document import render_report

CITY_TEMPLATE = "city.docx"
SCHOOL_TEMPLATE = "school.docx"
SCHOOL_OUT_DIR = "学校"  # school reports go to out/<year>/学校/
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class Job:
    """One report to write."""

    label: str
    template: Path
    out: Path
    school: str | None = None


@dataclass
class Outcome:
    """The reports written (in order) and the warnings found while writing them."""

    done: list[Job] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def written(self) -> list[Path]:
        return [job.out for job in self.done]


def school_output_name(data: Dataset, school: School) -> str:
    """``<学校全称>质量年度报告（<年度>）.docx``, with characters no file name may hold replaced."""
    return _UNSAFE_IN_NAMES.sub("_", f"{school.full}质量年度报告（{data.year}）.docx")


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
        [Job("全市报告", templates / CITY_TEMPLATE, year_dir / output_name(data))] if city else []
    )
    for school in select_schools(data, schools):
        out = year_dir / SCHOOL_OUT_DIR / school_output_name(data, school)
        jobs.append(Job(f"{school.short}学校报告", templates / SCHOOL_TEMPLATE, out, school.short))
    return jobs


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
    progress: Callable[[int, int, Job], None] = lambda i, n, job: None,
    schools: Sequence[str] | None = None,
    city: bool = True,
) -> Outcome:
    """Write the planned reports; ``progress(i, n, job)`` is called before report ``i`` of ``n``."""
    outcome = Outcome()
    jobs = plan(data, templates, out_root, schools, city)
    for i, job in enumerate(jobs, 1):
        progress(i, len(jobs), job)
        outcome.issues += run_job(job, data, cat, folder)
        outcome.done.append(job)
    return outcome
