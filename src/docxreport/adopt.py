"""``adopt``: a published report becomes next year's template, with staff's wording.

The report's marks become template tags again (see :mod:`docxreport.render.unbind`).
The city report replaces ``templates/city.docx``; a school's report becomes that
school's own template, ``templates/学校/<简称>.docx``, which ``build`` then prefers to
``templates/school.docx``. An existing template is backed up first; the result is
checked like any template.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from docxreport.atomic import copy_atomically, write_atomically
from docxreport.build import CITY_TEMPLATE, SCHOOL_TEMPLATE, SCHOOL_TEMPLATE_DIR
from docxreport.catalog import Catalog
from docxreport.checks.templates import check_template
from docxreport.errors import InputError, OutputError
from docxreport.figureaudit import Auditor, Finding
from docxreport.issues import Issue
from docxreport.layout import short_name_problem
from docxreport.model import CURR, Dataset
from docxreport.refresh import backup_name
from docxreport.render.copies import Plain, prose_paragraphs
from docxreport.render.patch import ReportFile
from docxreport.render.unbind import Handwritten, Unbinder, team_loop

_YEAR = re.compile(r"(?:19|20)\d{2}(?:\s*年)?")


@dataclass
class Adopted:
    """What adopt did; the hand-written numbers it found, in four lists."""

    target: Path
    backup: Path | None = None
    handwritten: list[Handwritten] = field(default_factory=list)  # years and the rest
    notes: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    bindable: list[tuple[Finding, str]] = field(default_factory=list)  # equal to one value
    disagree: list[Finding] = field(default_factory=list)  # the data says otherwise
    bound: bool = False  # the bindable ones were turned into tags

    @property
    def years(self) -> list[Handwritten]:
        return [h for h in self.handwritten if _YEAR.fullmatch(h.text)]

    @property
    def rest(self) -> list[Handwritten]:
        return [h for h in self.handwritten if not _YEAR.fullmatch(h.text)]


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


def adopt(
    report_path: Path,
    templates: Path,
    cat: Catalog,
    data: Dataset | None = None,
    bind: bool = False,
) -> Adopted:
    """Turn ``report_path`` into its template under ``templates``.

    With the year's ``data``, hand-written figures are compared with it; ``bind`` turns
    each that equals exactly one data value into that value's tag."""
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
    findings = _typed_figures(report, data, cat) if data is not None else []
    bindable = [(f, tag) for f in findings if (tag := _tag(f)) is not None]
    if bind:  # from the end, so that each number's place in its paragraph still holds
        paragraphs = prose_paragraphs(report.root)
        for finding, tag in sorted(bindable, key=lambda b: (b[0].index, b[0].start))[::-1]:
            _bind(paragraphs[finding.index][0], finding, tag)
    unbinder = Unbinder(report, team_loop(source) if source else None)
    handwritten = unbinder.run()
    target = target_of(templates, state.school)
    checked = [f for f, _ in bindable] if bind else []
    done = Adopted(
        target,
        handwritten=_without(handwritten, [f for f in findings if f not in checked]),
        notes=unbinder.notes,
        bindable=bindable,
        disagree=[f for f in findings if not f.agrees],
        bound=bind,
    )
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


def _typed_figures(report: ReportFile, data: Dataset, cat: Catalog) -> list[Finding]:
    from docxreport.view.report import make_view

    state = report.state
    school = (state.school or None) if state is not None else None
    view = make_view(data, cat, school)
    auditor = Auditor(cat, view, lambda short: make_view(data, cat, short))
    return auditor.audit(Plain.prose(report.root))


def _tag(finding: Finding) -> str | None:
    """The tag a typed figure equal to exactly one data value becomes; None otherwise."""
    if finding.school is not None or len(set(finding.matches)) != 1:
        return None
    key, period = finding.matches[0]
    return f'{{{{ v("{key}") }}}}' if period == CURR else f'{{{{ v("{key}", "prev") }}}}'


def _bind(p: Any, finding: Finding, tag: str) -> None:
    """Put ``tag`` in place of the typed number in paragraph ``p``, when one text node
    holds all of it."""
    at = 0
    for t in p.iter(qn("w:t")):
        text = t.text or ""
        start = finding.start - at
        if start < len(text):
            end = start + len(finding.text)
            if start >= 0 and end <= len(text) and text[start:end] == finding.text:
                t.text = text[:start] + tag + text[end:]
            return
        at += len(text)


def _without(handwritten: list[Handwritten], findings: list[Finding]) -> list[Handwritten]:
    """The hand-written numbers the audit did not already list (by chapter and number)."""
    left = [(f.where, f.text) for f in findings]
    out = []
    for h in handwritten:
        key = (h.where.split(" › ")[0] if " › " in h.where else "", h.text)
        if key in left:
            left.remove(key)
        else:
            out.append(h)
    return out
