"""Sentences that do not fit their data: a dash where a number should be, a direction word
the figures beside it contradict.

A report's prose prints figures through the template's functions; each printed piece keeps
what it stands for (see :class:`~docxreport.render.marks.Marks`). This check reads a filled
template's body paragraphs (tables are left alone: a table cell may well print "—") as
pieces, plain text or a printed item, and warns on

- a printed figure or comparison that came out as "—" inside a sentence;
- a direction word written in the template (增加, 下降…) in a sentence whose figures moved
  the other way, or in a comparison with last year (较上年…) whose figures have no 上年.

Each warning names the chapter and an excerpt of the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from docxreport.catalog import Catalog
from docxreport.checks.placeholders import chaptered
from docxreport.issues import Issue, warning
from docxreport.model import Location
from docxreport.render.marks import END, SEP, START
from docxreport.view.fmt import DASH
from docxreport.view.report import Moved, Printed

UP = ("增加", "增长", "提高", "上升", "提升", "增多", "扩大")
DOWN = ("减少", "下降", "降低", "减小", "回落", "缩小")
_DIRECTION = re.compile("|".join(UP + DOWN))
_VERSUS = re.compile("较上年|比上年|同比|逐年|与上年相比")
_SENTENCE = re.compile(r"(?<=[。；！？;!?])")
_CLAUSE = re.compile(r"(?<=[，,。；！？;!?])")
_WRAPPED = re.compile(f"{START}(\\d+){SEP}(.*?){END}", re.S)
EXCERPT = 40
SENTENCE = "sentence"  # the kind of the issues found here
TEXTS = {"year": "年度", "prev_year": "上年度"}  # data texts as a template excerpt names them
CHANGE_PARTS = {"word": "增加/减少", "abs": "增减数", "pct": "增减百分比"}


@dataclass(frozen=True)
class Piece:
    """Part of a paragraph: plain template text (``item`` None) or one printed item."""

    text: str
    item: Any = None


@dataclass(frozen=True)
class Prose:
    """One body paragraph of a filled template, as pieces, with its place."""

    number: int
    chapter: str
    pieces: tuple[Piece, ...]


def prose(document: Any, items: Sequence[Any]) -> list[Prose]:
    """The body paragraphs outside tables that print at least one item, still wrapped.

    ``items`` are the marks' items (``Marks.items``); call before the marks are bound.
    """
    out = []
    for number, chapter, p, text in chaptered(document):
        if START not in text or _in_table(p):
            continue
        pieces, at = [], 0
        for m in _WRAPPED.finditer(text):
            if m.start() > at:
                pieces.append(Piece(text[at : m.start()]))
            pieces.append(Piece(m.group(2), items[int(m.group(1))]))
            at = m.end()
        if at < len(text):
            pieces.append(Piece(text[at:]))
        out.append(Prose(number, chapter, tuple(pieces)))
    return out


def _in_table(p: Any) -> bool:
    return any(a.tag == qn("w:tbl") for a in p.iterancestors())


def sentences(pieces: Sequence[Piece], ends: re.Pattern[str] = _SENTENCE) -> Iterator[list[Piece]]:
    """The pieces grouped by sentence (a plain text piece may end one and start the next);
    with ``ends`` :data:`_CLAUSE`, by clause."""
    current: list[Piece] = []
    for piece in pieces:
        if piece.item is not None:
            current.append(piece)
            continue
        parts = ends.split(piece.text)
        for i, part in enumerate(parts):
            if part:
                current.append(Piece(part))
            if i < len(parts) - 1 and current:
                yield current
                current = []
    if current:
        yield current


@dataclass(frozen=True)
class Judge:
    """What the check needs to know of a printed item: whether it is a figure at all,
    whether it printed as a missing number, which way its figure moved since last year
    (+1, -1, 0; None when unknown) and its name."""

    figure: Callable[[Any], bool]
    blank: Callable[[Any], bool]
    direction: Callable[[Any], int | None]
    label: Callable[[Any], str]
    shown: Callable[[Piece], str] = lambda piece: piece.text  # how an excerpt shows a piece


def view_judge(changes: dict[str, Any], may_blank: Callable[[str], bool] | None = None) -> Judge:
    """The judge of a report's items (figures and comparisons, see
    :func:`~docxreport.render.context.identify`); ``changes`` are the view's, by key.

    ``may_blank(key)``, when given, narrows the dashes reported to the figures that may be
    left blank (the template check fills a template with no data at all).
    """

    def parts(item: Any) -> tuple[Any, str]:
        return (item[0], item[1]) if isinstance(item, tuple) else (item, "")

    def figure(item: Any) -> bool:
        return isinstance(parts(item)[0], Printed | Moved)

    def blank(item: Any) -> bool:
        found, part = parts(item)
        if may_blank is not None and not part and not may_blank(found.key):
            return False
        text = getattr(found, part) if part else found.text
        return text.strip() == DASH

    def direction(item: Any) -> int | None:
        moved = changes.get(parts(item)[0].key)
        return moved.sign if moved is not None and moved.known else None

    def label(item: Any) -> str:
        found, part = parts(item)
        return f"{found.name}较上年变化" if part else found.name

    return Judge(figure, blank, direction, label)


def sentence_issues(paragraphs: Sequence[Prose], judge: Judge, file: str) -> list[Issue]:
    """Warnings for sentences with a dash for a number or a contradicted direction word."""
    issues = []
    for para in paragraphs:
        for sentence in sentences(para.pieces):
            for message in _problems(sentence, judge):
                text = "".join(judge.shown(p) for p in sentence).strip()
                excerpt = text if len(text) <= EXCERPT else text[:EXCERPT] + "…"
                issues.append(
                    warning(
                        Location(file, "正文", f"段落 {para.number}"),
                        f"{message}（章节：{para.chapter}）：“{excerpt}”",
                        kind=SENTENCE,
                    )
                )
    return issues


def _problems(sentence: list[Piece], judge: Judge) -> Iterator[str]:
    items = [p.item for p in sentence if p.item is not None and judge.figure(p.item)]
    blank = list(dict.fromkeys(judge.label(i) for i in items if judge.blank(i)))
    if blank:
        yield (
            f"句中的{'、'.join(blank)}印为“{DASH}”；请补填数据，"
            "或在模板中把这部分写成有数据时才印出"
        )
    plain = "".join(p.text for p in sentence if p.item is None)
    words = [w for clause in sentences(sentence, _CLAUSE) for w in _about_figures(clause, judge)]
    if not words or not items:
        return
    moves = {judge.label(i): judge.direction(i) for i in items}
    known = {k: d for k, d in moves.items() if d is not None}
    for word in dict.fromkeys(words):
        sign = 1 if word in UP else -1
        against = [k for k, d in known.items() if d == -sign]
        if against and not any(d == sign for d in known.values()):
            moved = "减少" if sign > 0 else "增加"
            yield f"句中写着“{word}”，但{'、'.join(against)}较上年{moved}"
        elif not known and _VERSUS.search(plain):
            yield f"句中写着“{word}”，但{'、'.join(moves)}没有上年数据，无法比较"


def _about_figures(clause: list[Piece], judge: Judge) -> list[str]:
    """The direction words written in ``clause`` that speak of figures: the clause prints a
    figure or compares with last year (not "提高办学质量" beside an unrelated number)."""
    plain = "".join(p.text for p in clause if p.item is None)
    figures = any(p.item is not None and judge.figure(p.item) for p in clause)
    return _DIRECTION.findall(plain) if figures or _VERSUS.search(plain) else []


def template_sentence_issues(path: Path, rel: str, cat: Catalog, kind: str) -> list[Issue]:
    """The sentences of a template that would print a dash or a contradicted direction in a
    first year with every optional figure left blank (no 上年, no bureau-supplied figure).

    The template is filled on a dataset with no figures at all; a required figure cannot
    stay blank (the workbook check makes it an error), so only optional ones are reported.
    A template that cannot be filled is left to the other template checks.
    """
    from docxreport.render.trial import fill_empty  # docxtpl: only when templates are checked

    try:
        document, items, changes = fill_empty(path, cat, kind)
    except Exception:
        return []

    def may_blank(key: str) -> bool:
        return cat.has(key) and cat.indicator(key).required != "always"

    def shown(piece: Piece) -> str:  # the trial's figures are no one's: name them
        if piece.item is None:
            return piece.text
        if not judge.figure(piece.item):
            return f"〈{TEXTS.get(getattr(piece.item, 'name', ''), '…')}〉"
        if isinstance(piece.item, tuple):  # a comparison: which part of it
            return f"〈{CHANGE_PARTS.get(piece.item[1], piece.item[1])}〉"
        return f"〈{judge.label(piece.item)}〉"

    judge = replace(view_judge(changes, may_blank), shown=shown)
    return [
        replace(issue, message=_as_possible(issue.message))
        for issue in sentence_issues(prose(document, items), judge, rel)
    ]


def _as_possible(message: str) -> str:
    """A report's dash, said of a template: it may print one, and the template is the fix."""
    return message.replace("印为", "可能印为", 1).replace("请补填数据，或在模板中", "请在模板中", 1)
