"""Marks: how a printed figure, table or block keeps its identity in the report.

The template's functions return their text wrapped in private-use characters,
``START id SEP text END``, where ``id`` indexes the view item printed (a figure, a
change, a table, a block, a year or a date). docxtpl copies the wrapped text into
the document like any other. After rendering, :meth:`Marks.bind` finds every wrapped
text in the Word XML, gives it a run of its own inside a hidden bookmark
(``_dr000001``…) and removes the wrapping (a chart's mark wraps its alt text, and the
run holding the chart is bookmarked): one :class:`Mark` per printed occurrence,
and none for a figure a template only tested in an ``{% if %}``.

Bookmarks were chosen over content controls because LibreOffice keeps a bookmark's
name on a round trip but empties a content control's properties (see the README).
A bookmark holds no value: what a mark stands for travels in the report's
:mod:`state part <docxreport.render.state>`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from docxreport.render.paragraphs import Paragraph, read_paragraphs, w_element

START, SEP, END = "\ue000", "\ue001", "\ue002"
DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
PREFIX = "_dr"  # our bookmarks; a leading underscore hides them in Word's bookmark list
SIDE_IDS = 1_000_000  # bookmark ids in headers and footers start above the body's
_WRAPPED = re.compile(f"{START}(\\d+){SEP}(.*?){END}", re.S)
_ANY = re.compile(f"[{START}{SEP}{END}]")
_OPENED = re.compile(f"{START}(\\d+){SEP}")
_HEADING_STYLES = re.compile(r"^(Heading|heading|标题)\s*\d")


@dataclass(frozen=True)
class Mark:
    """One marked piece of a report: which bookmark, what it stands for, what it printed.

    ``kind`` is figure, change, table, block, chart or text; ``key`` the indicator key,
    table id, block section, text name or the chart's spec (JSON); ``part`` the period (prev/curr), the change's part
    (pct/abs) or the block's kind (figures/cases); ``school`` a list table's school.
    """

    name: str
    kind: str
    key: str
    part: str = ""
    school: str = ""
    printed: str = ""
    where: str = ""  # the chapter and the paragraph's first words, for messages
    cells: str = ""  # a table's: the texts it printed, cell by cell (JSON, see tablepatch)
    before: str = ""  # the text a tracked data update replaced (its rejection restores it)

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.kind, self.key, self.part, self.school)


Identify = Callable[[Any], tuple[str, str, str, str]]


class Marks:
    """The items one report printed, by the id their text was wrapped with."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def wrap(self, item: Any, text: str) -> str:
        """``text`` wrapped with a new id standing for ``item``."""
        self.items.append(item)
        return f"{START}{len(self.items) - 1}{SEP}{text}{END}"

    def collect(self, root: Any) -> list[Any]:
        """Unwrap every wrapped text under ``root`` (an lxml element); the items, in order."""
        found: list[Any] = []

        def unwrap(match: re.Match[str]) -> str:
            found.append(self.items[int(match.group(1))])
            return match.group(2)

        def opened(match: re.Match[str]) -> str:  # a value docxtpl split over texts
            found.append(self.items[int(match.group(1))])
            return ""

        for t in root.iter(qn("w:t"), DOC_PR):
            text = _wrapped_text(t)
            if _ANY.search(text):  # the end of a split value stands in a later text
                text = _OPENED.sub(opened, _WRAPPED.sub(unwrap, text))
                _set_wrapped_text(t, _ANY.sub("", text))
        return found

    def bind(self, body: Any, identify: Identify, first: int = 1) -> list[tuple[Any, Mark]]:
        """Give every wrapped text under ``body`` a bookmarked run of its own.

        Returns (item, mark) per printed occurrence, in document order; a mark's
        ``where`` is left for :func:`places` to fill, once the body is read. ``first``
        numbers the first bookmark: a header's or footer's marks (``first`` > 1) follow
        the body's, and take ids of their own range, as bookmark ids are the document's.
        """
        taken = [int(b.get(qn("w:id"), "0")) for b in body.iter(qn("w:bookmarkStart"))]
        next_id = max(taken, default=0) + 1 if first == 1 else SIDE_IDS + first
        bound: list[tuple[Any, Mark]] = []
        for t in [t for t in body.iter(qn("w:t"), DOC_PR) if START in _wrapped_text(t)]:
            if t.tag != DOC_PR and not _simple(t):
                continue  # left wrapped: collect() unwraps it without a bookmark
            for item, start, end in _split_run(t, self.items):
                name = f"{PREFIX}{first + len(bound):06d}"
                _bookmark(start, end, name, next_id)
                next_id += 1
                kind, key, part, school = identify(item)
                text = "".join(x.text or "" for x in start.iter(qn("w:t")))
                bound.append((item, Mark(name, kind, key, part, school, text)))
        return bound


def strip(text: str) -> str:
    """``text`` without any mark characters (for text that leaves the document)."""
    return _ANY.sub("", _WRAPPED.sub(lambda m: m.group(2), text))


# -- the Word XML -----------------------------------------------------------------------------


def _simple(t: Any) -> bool:
    """Whether ``t`` is the only text of its run and holds only whole wrapped texts.

    A value with a line break comes out of docxtpl as several texts in one run; such a
    (rare) value is printed without a bookmark.
    """
    run = t.getparent()
    if run is None or run.tag != qn("w:r") or len(run.findall(qn("w:t"))) != 1:
        return False
    text = t.text or ""
    return text.count(START) == len(_WRAPPED.findall(text)) == text.count(END)


def _wrapped_text(el: Any) -> str:
    """The text a mark may wrap: a w:t's text, or a drawing's alt text (a chart)."""
    return (el.get("descr") if el.tag == DOC_PR else el.text) or ""


def _set_wrapped_text(el: Any, text: str) -> None:
    if el.tag == DOC_PR:
        el.set("descr", text)
    else:
        el.text = text


def _drawing_mark(doc_pr: Any, items: list[Any]) -> list[tuple[Any, Any, Any]]:
    """A chart: its alt text is unwrapped and the run holding the drawing is marked."""
    text = doc_pr.get("descr", "")
    m = _WRAPPED.search(text)
    doc_pr.set("descr", strip(text))
    run = next(doc_pr.iterancestors(qn("w:r")), None)
    if m is None or run is None:
        return []
    return [(items[int(m.group(1))], run, run)]


def _split_run(t: Any, items: list[Any]) -> list[tuple[Any, Any, Any]]:
    """Split the run holding ``t`` so that each wrapped text is a run of its own.

    Returns (item, first run, last run) for each wrapped text, in order.
    """
    if t.tag == DOC_PR:
        return _drawing_mark(t, items)
    run = t.getparent()
    rpr = run.find(qn("w:rPr"))
    content = [c for c in run if c is not rpr]
    at = content.index(t)
    pieces: list[tuple[str, Any]] = []
    pos = 0
    text = t.text or ""
    for m in _WRAPPED.finditer(text):
        pieces.append((_ANY.sub("", text[pos : m.start()]), None))
        pieces.append((m.group(2), items[int(m.group(1))]))
        pos = m.end()
    pieces.append((_ANY.sub("", text[pos:]), None))

    def shell(children: list[Any]) -> Any:
        new = w_element("r")
        if rpr is not None:
            new.append(copy.deepcopy(rpr))
        new.extend(children)
        return new

    def text_run(value: str) -> Any:
        new_t = w_element("t")
        new_t.text = value
        new_t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return shell([new_t])

    new_runs: list[Any] = []
    found: list[tuple[Any, Any, Any]] = []
    if at:
        new_runs.append(shell([copy.deepcopy(c) for c in content[:at]]))
    for value, item in pieces:
        if item is None and not value:
            continue
        new = text_run(value)
        new_runs.append(new)
        if item is not None:
            found.append((item, new, new))
    if at + 1 < len(content):
        new_runs.append(shell([copy.deepcopy(c) for c in content[at + 1 :]]))
    for new in new_runs:
        run.addprevious(new)
    run.getparent().remove(run)
    return found


def _bookmark(first: Any, last: Any, name: str, bid: int) -> None:
    start, end = w_element("bookmarkStart"), w_element("bookmarkEnd")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(bid))
    first.addprevious(start)
    last.addnext(end)


def _runs_between(start: Any, end: Any) -> list[Any]:
    """The w:t elements from a bookmark's start to its end, within one paragraph."""
    out = []
    node = start.getnext()
    while node is not None and node is not end:
        out += list(node.iter(qn("w:t")))
        node = node.getnext()
    return out


def paragraph_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def first_words(text: str, size: int = 16) -> str:
    text = text.strip()
    return text if len(text) <= size else text[:size] + "…"


def _is_heading(style: str | None) -> bool:
    return bool(style and _HEADING_STYLES.match(style))


def _where(para: Paragraph, heading: str) -> str:
    """ "chapter › paragraph's first words" (or "› 表格", "› 图表") for ``para``."""
    p, text = para.p, para.text
    in_table = any(a.tag == qn("w:tbl") for a in p.iterancestors())
    drawn = not text.strip() and next(p.iter(DOC_PR), None) is not None
    words = "表格" if in_table else ("图表" if drawn else f"“{first_words(text)}”")
    return f"{heading} › {words}" if heading else words


def walk_places(
    body: Any, paragraphs: list[Paragraph] | None = None, keep: Callable[[Paragraph], bool] = bool
) -> list[tuple[Paragraph, str]]:
    """The paragraphs of ``body`` that are not headings and that ``keep`` accepts, each
    with where it stands (see :func:`_where`)."""
    out: list[tuple[Paragraph, str]] = []
    heading = ""
    for para in read_paragraphs(body) if paragraphs is None else paragraphs:
        if _is_heading(para.style):
            heading = para.text.strip()
        elif keep(para):
            out.append((para, _where(para, heading)))
    return out


def _ours(para: Paragraph) -> bool:
    return any(name.startswith(PREFIX) for name in para.bookmarks)


def places(body: Any, paragraphs: list[Paragraph] | None = None) -> dict[str, str]:
    """Bookmark name → "chapter › paragraph's first words" for every bookmark of ours.

    ``paragraphs`` is the body already read (:func:`~.paragraphs.read_paragraphs`)."""
    found: dict[str, str] = {}
    for para, where in walk_places(body, paragraphs, _ours):
        for name in para.bookmarks:
            if name.startswith(PREFIX):
                found[name] = where
    return found
