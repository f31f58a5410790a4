"""Number headings and captions of a rendered report and fill its tables of contents.

The numbers are written as plain text (WPS does not refresh fields), while the
caption numbers are also real ``SEQ`` fields so that Word can renumber them.
Every numbered paragraph gets a ``_TocDR…`` bookmark, and every entry of a
contents list a ``PAGEREF`` to it with an empty result, for a later step to
fill with page numbers.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.styles import BabelFish

from docxreport.render.paragraphs import Paragraph, read_paragraphs, w_element
from docxreport.render.tables import set_indent_chars

HEADING_STYLES = {"Heading 1": 1, "Heading 2": 2, "Heading 3": 3}
# Unnumbered heading styles and their contents level unless the style sets an outline level.
UNNUMBERED_STYLES = {"标题 2 不编号": 2, "附表标题": 1}
CAPTION_STYLES = {"表题": "表", "图题": "图", "案例标题": "案例"}
TOC_KINDS = ("headings", "表", "图", "案例")
BOOKMARK_PREFIX = "_TocDR"
FIGURES_TOC_STYLE = "table of figures"
_MARK = "\u2063"  # invisible separator: cannot occur in ordinary text


def toc_marker(kind: str) -> str:
    """The placeholder text a template prints where a contents list of ``kind`` goes."""
    if kind not in TOC_KINDS:
        raise ValueError(f"未知的目录类型：{kind}（应为 {'、'.join(TOC_KINDS)} 之一）")
    return f"{_MARK}TOC:{kind}{_MARK}"


@dataclass
class NumberingSummary:
    """How many headings, tables, figures and cases were numbered."""

    headings: int = 0
    tables: int = 0
    figures: int = 0
    cases: int = 0


@dataclass(frozen=True)
class _Entry:
    kind: str  # "headings" or a caption label (表/图/案例)
    level: int
    text: str
    bookmark: str


@dataclass
class _State:
    """Counters while walking the document in order."""

    levels: list[int] = field(default_factory=lambda: [0, 0, 0])
    captions: dict[str, int] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)
    next_bookmark: int = 1
    next_id: int = 0
    taken: set[str] = field(default_factory=set)

    def bookmark(self) -> tuple[str, int]:
        while f"{BOOKMARK_PREFIX}{self.next_bookmark:06d}" in self.taken:
            self.next_bookmark += 1
        name = f"{BOOKMARK_PREFIX}{self.next_bookmark:06d}"
        self.taken.add(name)
        self.next_id += 1
        return name, self.next_id


# -- small XML builders ---------------------------------------------------------------------


_T, _VAL = qn("w:t"), qn("w:val")


def _text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(_T))


_SPACE, _FLD_CHAR_TYPE = qn("xml:space"), qn("w:fldCharType")
_ID, _NAME, _BOOKMARK = qn("w:id"), qn("w:name"), qn("w:bookmarkStart")
_ANCHOR = qn("w:anchor")


def _run(text: str = "", rpr: Any = None, child: str = "t") -> Any:
    """``w:r`` holding ``w:<child>`` (t, instrText, tab, fldChar)."""
    r = w_element("r")
    if rpr is not None:
        r.append(deepcopy(rpr))
    el = w_element(child)
    if child in ("t", "instrText"):
        el.set(_SPACE, "preserve")
        el.text = text
    r.append(el)
    return r


def _fld_char(kind: str, rpr: Any = None) -> Any:
    r = _run(rpr=rpr, child="fldChar")
    r[-1].set(_FLD_CHAR_TYPE, kind)
    return r


def _field(instr: str, result: str, rpr: Any = None) -> list[Any]:
    """The runs of a complex field with its cached ``result``."""
    return [
        _fld_char("begin", rpr),
        _run(f" {instr} ", rpr, "instrText"),
        _fld_char("separate", rpr),
        _run(result, rpr),
        _fld_char("end", rpr),
    ]


def _first_rpr(p: Any) -> Any:
    r = p.find(qn("w:r"))
    return None if r is None else r.find(qn("w:rPr"))


def _prepend(p: Any, elements: list[Any]) -> None:
    """Insert ``elements`` at the start of paragraph ``p`` (after its properties)."""
    at = 1 if p.pPr is not None else 0
    for offset, el in enumerate(elements):
        p.insert(at + offset, el)


def _wrap_bookmark(p: Any, name: str, bid: int) -> None:
    start, end = w_element("bookmarkStart"), w_element("bookmarkEnd")
    start.set(_ID, str(bid))
    start.set(_NAME, name)
    end.set(_ID, str(bid))
    _prepend(p, [start])
    p.append(end)


def _our_bookmark(para: Paragraph) -> str | None:
    return next((n for n in para.bookmarks if n.startswith(BOOKMARK_PREFIX)), None)


# -- styles ---------------------------------------------------------------------------------


_STYLE, _STYLE_ID, _TYPE, _DEFAULT = qn("w:style"), qn("w:styleId"), qn("w:type"), qn("w:default")
_NAME_VAL, _BASED_ON = f"{qn('w:name')}", f"{qn('w:basedOn')}"
_OUTLINE = f"{qn('w:pPr')}/{qn('w:outlineLvl')}"


@dataclass(frozen=True)
class _Style:
    id: str | None
    name: str | None  # as Word shows it (python-docx's ``Style.name``)
    paragraph: bool
    default: bool
    based_on: str | None
    outline: int | None  # the outline level (1-based) the style itself declares


def _styles(doc: DocumentObject) -> list[_Style]:
    """The document's styles, read from its styles part (python-docx's objects are slow)."""
    found = []
    for el in doc.styles.element.iterchildren(_STYLE):
        name, based, lvl = el.find(_NAME_VAL), el.find(_BASED_ON), el.find(_OUTLINE)
        found.append(
            _Style(
                el.get(_STYLE_ID),
                None if name is None else BabelFish.internal2ui(name.get(_VAL)),
                el.get(_TYPE, "paragraph") == "paragraph",
                el.get(_DEFAULT) in ("1", "true", "on"),
                None if based is None else based.get(_VAL),
                None if lvl is None else int(lvl.get(_VAL)) + 1,
            )
        )
    return found


def _outline_level(style: _Style, by_id: dict[str | None, _Style]) -> int | None:
    """The outline level (1-based) a style or its base styles declare, if any."""
    found: _Style | None = style
    while found is not None:
        if found.outline is not None:
            return found.outline
        found = by_id.get(found.based_on) if found.based_on is not None else None
    return None


def _toc_style_id(doc: DocumentObject, name: str, level: int, known: dict[str, str]) -> str:
    """The id of contents style ``name``, added (right tab with dot leader) if missing.

    ``known`` maps the document's style names to ids (a lookup by name scans every style).
    """
    if name in known:
        return known[name]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    style.base_style = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    section = doc.sections[0] if doc.sections else None
    width = Mm(156)
    if section is not None and section.page_width and section.left_margin is not None:
        width = section.page_width - section.left_margin - (section.right_margin or 0)
    tabs = style.paragraph_format.tab_stops
    tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    set_indent_chars(style, 2 * (level - 1), 0)
    known[name] = style.style_id
    return style.style_id


# -- numbering ------------------------------------------------------------------------------


def _heading(para: Paragraph, level: int, numbered: bool, state: _State) -> None:
    if numbered:
        state.levels[level - 1] += 1
        state.levels[level:] = [0] * (3 - level)
        if level == 1:
            state.captions.clear()
    name = _our_bookmark(para)
    if name is None:
        name, bid = state.bookmark()
        p = para.p
        if numbered:
            nums = ".".join(str(n) for n in state.levels[:level])
            _prepend(p, [_run(f"{nums}. " if level == 1 else f"{nums} ", _first_rpr(p))])
            para.text = _text(p)
        _wrap_bookmark(p, name, bid)
    state.entries.append(_Entry("headings", level, para.text.strip(), name))


def _caption(para: Paragraph, label: str, state: _State) -> None:
    index = state.captions[label] = state.captions.get(label, 0) + 1
    name = _our_bookmark(para)
    if name is None:
        name, bid = state.bookmark()
        p = para.p
        rpr, chapter = _first_rpr(p), state.levels[0]
        # \r 1 restarts the first caption of a chapter also where \s 1 is ignored (LibreOffice)
        restart = "\\r 1 " if index == 1 else ""
        seq = _field(f"SEQ {label} \\* ARABIC {restart}\\s 1", str(index), rpr)
        _prepend(p, [_run(f"{label} {chapter}-", rpr), *seq, _run(" ", rpr)])
        _wrap_bookmark(p, name, bid)
        para.text = _text(p)
    state.entries.append(_Entry(label, 1, para.text.strip(), name))


def _roles(styles: list[_Style]) -> tuple[dict[str, tuple], tuple | None]:
    """What each paragraph style numbers, by style id, and what the default style numbers:
    ``("heading", level, numbered)``, ``("caption", label)`` or None."""
    first: dict[str | None, _Style] = {}  # python-docx finds a base style by its first id
    for style in styles:
        first.setdefault(style.id, style)

    def role(style: _Style) -> tuple | None:
        if style.name in HEADING_STYLES and HEADING_STYLES[style.name] <= 3:
            return ("heading", HEADING_STYLES[style.name], True)
        if style.name in UNNUMBERED_STYLES:
            level = _outline_level(style, first) or UNNUMBERED_STYLES[style.name]
            if level <= 3:
                return ("heading", level, False)
        if style.name in CAPTION_STYLES:
            return ("caption", CAPTION_STYLES[style.name])
        return None

    paragraph = [style for style in styles if style.paragraph]
    default = next((style for style in reversed(paragraph) if style.default), None)
    roles = {style.id: role(style) for style in paragraph}
    return roles, role(default) if default is not None else None  # type: ignore[return-value]


def _walk(styles: list[_Style], paragraphs: list[Paragraph], state: _State) -> None:
    roles, default = _roles(styles)
    for para in paragraphs:
        sid = para.style
        role = roles.get(sid, default) if sid else default
        if role is None or not para.text.strip():
            continue
        if role[0] == "heading":
            _heading(para, role[1], role[2], state)
        else:
            _caption(para, role[1], state)


# -- contents lists -------------------------------------------------------------------------


def _toc_instr(kind: str, known: dict[str, str]) -> str:
    """The field code of a contents list; ``known`` holds the document's style names."""
    if kind != "headings":
        return f'TOC \\h \\z \\c "{kind}"'
    extra = [f"{n},{lvl}" for n, lvl in UNNUMBERED_STYLES.items() if n in known]
    return 'TOC \\o "1-3" \\h \\z \\u' + (f' \\t "{",".join(extra)}"' if extra else "")


def _entry_paragraph(style_id: str, entry: _Entry | None) -> Any:
    """A contents entry linking to ``entry``'s bookmark, with an empty page reference."""
    if entry is None:
        return _new_entry_paragraph(style_id, None)
    p = deepcopy(_blank_entry())  # copying one is quicker than making one
    p[0][0].set(_VAL, style_id)
    link = p[1]
    link.set(_ANCHOR, entry.bookmark)
    link[0][0].text = entry.text
    link[3][0].text = f" PAGEREF {entry.bookmark} \\h "
    return p


@lru_cache(maxsize=1)
def _blank_entry() -> Any:
    return _new_entry_paragraph("", _Entry("headings", 1, "", ""))


def _new_entry_paragraph(style_id: str, entry: _Entry | None) -> Any:
    p = w_element("p")
    p_style = w_element("pStyle")
    p_style.set(_VAL, style_id)
    p.get_or_add_pPr().append(p_style)
    if entry is not None:
        link = w_element("hyperlink")
        link.set(_ANCHOR, entry.bookmark)
        link.set(qn("w:history"), "1")
        link.extend([_run(entry.text), _run(child="tab")])
        link.extend(_field(f"PAGEREF {entry.bookmark} \\h", ""))
        p.append(link)
    return p


def _toc_paragraphs(
    doc: DocumentObject, kind: str, entries: list[_Entry], known: dict[str, str]
) -> list[Any]:
    """The paragraphs of one contents field, its entries cached as its result."""
    paragraphs = []
    for entry in entries:
        name = f"toc {entry.level}" if kind == "headings" else FIGURES_TOC_STYLE
        paragraphs.append(_entry_paragraph(_toc_style_id(doc, name, entry.level, known), entry))
    if not paragraphs:
        name = "toc 1" if kind == "headings" else FIGURES_TOC_STYLE
        paragraphs.append(_entry_paragraph(_toc_style_id(doc, name, 1, known), None))
    begin = _field(_toc_instr(kind, known), "")[:3]
    _prepend(paragraphs[0], begin)
    paragraphs[-1].append(_fld_char("end"))
    return paragraphs


def _fill_contents(
    doc: DocumentObject, styles: list[_Style], paragraphs: list[Paragraph], entries: list[_Entry]
) -> None:
    markers = {toc_marker(k): k for k in TOC_KINDS}
    found = [(para.p, markers.get(para.text.strip())) for para in paragraphs if _MARK in para.text]
    known = {style.name: style.id for style in styles}
    for p, kind in found:
        if kind is None:
            continue
        chosen = [e for e in entries if e.kind == kind]
        listed = _toc_paragraphs(doc, kind, chosen, known)
        sect = p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if sect is not None:  # the marker ends a section (LibreOffice saves it so): keep the break
            listed[-1].get_or_add_pPr().append(sect)
        for new in reversed(listed):
            p.addnext(new)
        p.getparent().remove(p)


def number_document(
    target: str | Path | DocumentObject, paragraphs: list[Paragraph] | None = None
) -> NumberingSummary:
    """Number headings and captions and fill the contents lists of a report.

    ``target`` is a python-docx Document (changed in place) or a path (saved back).
    ``paragraphs`` is its body already read (:func:`~.paragraphs.read_paragraphs`); the
    texts of the paragraphs numbered are brought up to date in it.
    """
    if isinstance(target, (str, Path)):
        from docxreport.render.package import save_docx
        from docxreport.render.tidy import Stamp

        doc = Document(str(target))
        summary = number_document(doc)
        save_docx(doc, Path(target), Stamp.replacing(Path(target)))
        return summary
    state = _State()
    body = target.element.body
    if paragraphs is None:
        paragraphs = read_paragraphs(body)
    starts = list(body.iter(_BOOKMARK))
    state.taken = {b.get(_NAME, "") for b in starts}
    state.next_id = max((int(b.get(_ID, "0")) for b in starts), default=0)
    styles = _styles(target)
    _walk(styles, paragraphs, state)
    _fill_contents(target, styles, paragraphs, state.entries)
    kinds = [e.kind for e in state.entries]
    return NumberingSummary(
        kinds.count("headings"), kinds.count("表"), kinds.count("图"), kinds.count("案例")
    )
