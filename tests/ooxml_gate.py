"""The fidelity gate: a .docx or .xlsx we write opens in Word, WPS and Excel without a repair.

Word cannot run here, so the gate is the strictest proxy at hand: the OOXML validator
``openxml-audit`` (schemas, relationships and the repairs Word and Excel are known to make),
plus checks of our own for the pitfalls it lets through (see the README's "Word pitfalls").

``assert_valid_ooxml(path)`` fails on any error; the validator's warnings are reported as
:class:`OoxmlWarning` (pytest lists them in its warnings summary), never silenced. An
exclusion is allowed only for a finding the validator also makes on the writing library's
own minimal output (``tests/test_fidelity.py`` checks that each still is).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from openxml_audit import OpenXmlValidator, ValidationSeverity

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
CORE_NAMESPACES = {
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/",
}
# the parts of a Word document that hold text and drawings
STORIES = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


class OoxmlWarning(UserWarning):
    """A validator warning on a file we write: listed, not failed."""


@dataclass(frozen=True)
class Exclusion:
    """A validator finding that is not an error of ours, with the reason."""

    part: str  # regex on the part's name
    finding: str  # regex on the finding's description
    reason: str


EXCLUSIONS = (
    Exclusion(
        part=r"/xl/styles\.xml",
        finding=r"Unexpected element '(b|i|strike|condense|extend|outline|shadow|u|vertAlign"
        r"|sz|color|name|family|charset|scheme)' found",
        reason="CT_Font in the SpreadsheetML schema is an unbounded xsd:choice, so its "
        "children may come in any order; the validator wants a sequence. openpyxl's own "
        "empty workbook gets the same finding, and Excel opens openpyxl's files.",
    ),
)


def excluded(part: str, description: str) -> Exclusion | None:
    return next(
        (e for e in EXCLUSIONS if re.fullmatch(e.part, part) and re.search(e.finding, description)),
        None,
    )


def validator_findings(path: Path) -> list:
    """Everything ``openxml-audit`` says about ``path`` (errors and warnings)."""
    return list(OpenXmlValidator(max_errors=0).validate(str(path)).errors)


# -- checks of our own --------------------------------------------------------------------------


def _core(parts: dict[str, bytes]) -> list[str]:
    """Duplicated core properties, or ones outside the standard namespaces (the validator
    only warns; Word repairs the file and drops them)."""
    data = parts.get("docProps/core.xml")
    if data is None:
        return []
    root = etree.fromstring(data, _PARSER)
    names = [etree.QName(c) for c in root if isinstance(c.tag, str)]
    out = [
        f"core.xml: {n.localname} in {n.namespace}"
        for n in names
        if n.namespace not in CORE_NAMESPACES
    ]
    counts = Counter(n.localname for n in names)
    out += [f"core.xml: {name} {count} times" for name, count in counts.items() if count > 1]
    return out


def _newlines(name: str, root: etree._Element) -> list[str]:
    """A literal line break inside w:t: Word shows a space, not a new line."""
    return [
        f"{name}: newline inside w:t {t.text[:30]!r}"
        for t in root.iter(f"{W}t")
        if t.text and ("\n" in t.text or "\r" in t.text)
    ]


def _breaks(name: str, root: etree._Element) -> list[str]:
    return [
        f"{name}: w:br outside a run" for br in root.iter(f"{W}br") if br.getparent().tag != f"{W}r"
    ]


def _bookmarks(name: str, root: etree._Element) -> list[str]:
    """Word cuts bookmark names at 40 characters (two such names become one)."""
    return [
        f"{name}: bookmark name longer than 40 characters: {b.get(f'{W}name')}"
        for b in root.iter(f"{W}bookmarkStart")
        if len(b.get(f"{W}name", "")) > 40
    ]


def _abstract_nums(parts: dict[str, bytes]) -> list[str]:
    data = parts.get("word/numbering.xml")
    if data is None:
        return []
    root = etree.fromstring(data, _PARSER)
    return [
        f"numbering.xml: w:abstractNum {a.get(f'{W}abstractNumId')} without levels"
        for a in root.iter(f"{W}abstractNum")
        if a.find(f"{W}lvl") is None
    ]


def own_findings(path: Path) -> list[str]:
    """The pitfalls of the README's "Word pitfalls" that ``openxml-audit`` lets through
    (and the two it catches, so that the gate does not depend on its next version)."""
    with zipfile.ZipFile(path) as package:
        parts = {n: package.read(n) for n in package.namelist() if n.endswith(".xml")}
    out = _core(parts) + _abstract_nums(parts)
    ids: Counter[str] = Counter()
    for name, data in parts.items():
        if not STORIES.fullmatch(name):
            continue
        root = etree.fromstring(data, _PARSER)
        out += _newlines(name, root) + _breaks(name, root) + _bookmarks(name, root)
        ids.update(d.get("id", "") for d in root.iter(f"{WP}docPr"))
    out += [f"wp:docPr id {i} used {n} times" for i, n in ids.items() if n > 1]
    return out


# -- the gate -----------------------------------------------------------------------------------


def assert_valid_ooxml(path: Path, report: Callable[[str], None] | None = None) -> None:
    """Fail on any validator error (but the reasoned exclusions) or own finding; report
    each validator warning (by default as an :class:`OoxmlWarning`)."""
    report = report or (lambda text: warnings.warn(OoxmlWarning(text), stacklevel=3))
    errors = []
    for found in validator_findings(path):
        where = f"{found.part_uri} {found.path}".strip()
        text = f"{path.name}: {where}: {found.description}"
        if found.severity != ValidationSeverity.ERROR:
            report(text)
        elif excluded(found.part_uri, found.description) is None:
            errors.append(text)
    errors += [f"{path.name}: {finding}" for finding in own_findings(path)]
    assert not errors, "\n".join(errors)
