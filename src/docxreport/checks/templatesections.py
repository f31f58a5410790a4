"""The chapters a template places cases and photos in: ``cases("1.14")``, ``figures("2.1")``.

The workbooks offer them as the 章节 drop-down of their 案例 and 图片 sheets, so that a
school names a chapter the report has room for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docxreport.checks.placeholders import chaptered
from docxreport.checks.templateparts import open_template

_CALL = re.compile(r"\b(cases|figures)\(\s*[\"'“”‘’]([^\"'“”‘’]+)[\"'“”‘’]\s*\)")
KINDS = {"cases": "案例", "figures": "图片"}


@dataclass(frozen=True)
class Section:
    """A chapter number, where it stands in the template (its headings) and what it takes."""

    number: str
    chapter: str
    kinds: tuple[str, ...]


def template_sections(paths: Sequence[Path]) -> list[Section]:
    """The chapters the templates at ``paths`` (those that exist and open) place blocks in,
    in chapter order; a chapter named by several templates is listed once, where the first
    names it."""
    found: dict[str, tuple[str, list[str]]] = {}
    for path in paths:
        document = open_template(path)[0] if path.is_file() else None
        if document is None:
            continue
        for _number, chapter, _p, text in chaptered(document):
            for kind, number in _CALL.findall(text):
                _place, kinds = found.setdefault(number.strip(), (chapter, []))
                if KINDS[kind] not in kinds:
                    kinds.append(KINDS[kind])
    return sorted(
        (
            Section(number, chapter, tuple(k for k in KINDS.values() if k in kinds))
            for number, (chapter, kinds) in found.items()
        ),
        key=_order,
    )


def _order(section: Section) -> tuple:
    """1.2 before 1.10; a chapter that is not a number after the numbered ones."""
    parts = section.number.split(".")
    if all(p.isdigit() for p in parts):
        return (0, tuple(int(p) for p in parts), "")
    return (1, (), section.number)
