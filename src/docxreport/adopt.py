"""``adopt``: a published report becomes next year's template, with staff's wording.

The report's marks become template tags again (see :mod:`docxreport.render.unbind`).
The city report replaces ``templates/city.docx``; a school's report becomes that
school's own template, ``templates/学校/<简称>.docx``, which ``build`` then prefers to
``templates/school.docx``. An existing template is backed up first; the result is
checked like any template.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docxreport.atomic import copy_atomically, write_atomically
from docxreport.build import CITY_TEMPLATE, SCHOOL_TEMPLATE, SCHOOL_TEMPLATE_DIR
from docxreport.catalog import Catalog
from docxreport.checks.templates import check_template
from docxreport.errors import InputError, OutputError
from docxreport.issues import Issue
from docxreport.layout import short_name_problem
from docxreport.refresh import backup_name
from docxreport.render.patch import ReportFile
from docxreport.render.unbind import Handwritten, Unbinder, team_loop


@dataclass
class Adopted:
    target: Path
    backup: Path | None = None
    handwritten: list[Handwritten] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def target_of(templates: Path, school: str) -> Path:
    """Where a report's template goes: the city's, or the school's own."""
    return (
        templates / CITY_TEMPLATE
        if not school
        else templates / SCHOOL_TEMPLATE_DIR / f"{school}.docx"
    )


def _loop_source(templates: Path, school: str) -> bytes | None:
    """The document.xml of the template the team loop is copied from."""
    for candidate in (
        target_of(templates, school),
        templates / (SCHOOL_TEMPLATE if school else CITY_TEMPLATE),
    ):
        if candidate.is_file():
            try:
                with zipfile.ZipFile(candidate) as package:
                    return package.read("word/document.xml")
            except (OSError, KeyError, zipfile.BadZipFile):
                continue
    return None


def adopt(report_path: Path, templates: Path, cat: Catalog) -> Adopted:
    """Turn ``report_path`` into its template under ``templates``."""
    try:
        report = ReportFile(report_path)
    except OutputError as exc:
        raise InputError(str(exc)) from exc
    state = report.state
    if state is None:
        raise InputError(
            f"{report_path} 没有 docxreport 的标记信息，不是本工具生成的报告，无法转为模板"
        )
    problem = short_name_problem(state.school) if state.school else None
    if problem is not None:  # the file's own record of its school: data like any other
        raise InputError(f"{report_path} 记录的学校简称“{state.school}”不能用作文件名：{problem}")
    source = _loop_source(templates, state.school)
    unbinder = Unbinder(report, team_loop(source) if source else None)
    handwritten = unbinder.run()
    target = target_of(templates, state.school)
    done = Adopted(target, handwritten=handwritten, notes=unbinder.notes)
    if target.exists():
        done.backup = backup_name(target)
        copy_atomically(target, done.backup, templates)
    write_atomically(report.write, target, templates)
    rel = (
        target.relative_to(templates.parent).as_posix()
        if templates.parent in target.parents
        else str(target)
    )
    done.issues = check_template(
        target, rel, cat, kind=SCHOOL_TEMPLATE if state.school else CITY_TEMPLATE
    )
    return done
