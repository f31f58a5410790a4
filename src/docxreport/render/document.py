"""Render a Word template into a report: fill, number, verify, write atomically.

The template is filled by docxtpl with a sandboxed Jinja environment that
escapes every value, so markup characters in the data come out as text, and
that strips XML-illegal control characters from every printed string.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from docxtpl.subdoc import Subdoc
from jinja2 import TemplateSyntaxError, UndefinedError

from docxreport.atomic import Ready, write_atomically
from docxreport.errors import DocxreportError, TemplateError
from docxreport.photos import PhotoShop
from docxreport.render.blocks import Case, Photo, cases_block, figures_block
from docxreport.render.charts import number_drawings
from docxreport.render.draft import mark_draft
from docxreport.render.marks import Identify, Mark, Marks, places
from docxreport.render.numbering import number_document
from docxreport.render.package import save_docx
from docxreport.render.paragraphs import read_paragraphs
from docxreport.render.sideparts import side_labels, side_parts
from docxreport.render.state import State, attach
from docxreport.render.tablepatch import encode, table_texts
from docxreport.render.template import CachedTemplate, make_env, shared_env
from docxreport.render.tidy import Stamp, retidy
from docxreport.render.verify import (
    check_leftover_texts,
    check_no_marks,
    check_parts,
    may_hold_tags,
    template_tags,
    template_texts,
    verify_docx,
)
from docxreport.text import clean_text

__all__ = [
    "clean_text",
    "fill_template",
    "load_template",
    "make_cases",
    "make_env",
    "make_figures",
    "render_report",
    "verify_docx",
]

# -- building blocks for the template's context functions ------------------------------------


def make_figures(tpl: DocxTemplate, photos: list[Photo], shop: PhotoShop | None = None) -> Subdoc:
    """A subdocument holding the photos with their captions."""
    sd = tpl.new_subdoc()
    figures_block(sd, photos, shop)
    return sd


def make_cases(tpl: DocxTemplate, cases: list[Case], shop: PhotoShop | None = None) -> Subdoc:
    """A subdocument holding the case boxes."""
    sd = tpl.new_subdoc()
    cases_block(sd, cases, shop)
    return sd


# -- the Jinja environment --------------------------------------------------------------------


def load_template(path: Path) -> DocxTemplate:
    """Open a Word template; :class:`TemplateError` when it is missing or not a .docx."""
    try:
        tpl = CachedTemplate(path)
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several types for a bad package
        raise TemplateError(f"无法读取模板 {path}：{exc}") from exc
    return tpl


# -- error messages -----------------------------------------------------------------------------


def _template_lineno(exc: BaseException) -> int | None:
    """The line of the Jinja source that failed, from the error or its traceback."""
    lineno = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def _source_lines(tpl: DocxTemplate) -> list[str]:
    """The Jinja source docxtpl rendered, split into lines as docxtpl does (one per paragraph)."""
    part = getattr(tpl, "current_rendering_part", None)
    xml = tpl.get_xml() if part is None or part is tpl.docx.part else tpl.get_part_xml(part)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml)).splitlines()


def _plain(xml_line: str) -> str:
    """The text of one source line; for ``{{p}}``/``{%p%}`` tags, only the tag's own part."""
    parts = [re.sub(r"<[^>]+>", "", part) for part in xml_line.split("</w:p>")]
    tagged = [part for part in parts if re.search(r"\{[{%#]", part)]
    return html.unescape(tagged[-1] if tagged else "".join(parts)).strip()


def _paragraph_with(tpl: DocxTemplate, name: str) -> str:
    """The text of the first template paragraph using ``name`` inside a Jinja tag."""
    pattern = re.compile(r"\{[{%][^}]*?\b" + re.escape(name) + r"\b")
    for p in tpl.docx.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if pattern.search(text):
            return text.strip()
    return ""


def _context_text(tpl: DocxTemplate, exc: BaseException, name: str | None) -> str:
    """The paragraph around the failure, shortened for a message."""
    text, lineno = "", _template_lineno(exc)
    try:
        lines = _source_lines(tpl)
        if lineno and 0 < lineno <= len(lines):
            text = _plain(lines[lineno - 1])
        if name and (not text or name not in text):
            text = _paragraph_with(tpl, name) or text
    except Exception:  # the message must never hide the original error
        pass
    return text if len(text) <= 120 else text[:117] + "…"


def _undefined_name(exc: BaseException) -> str | None:
    message = str(exc)
    for pattern in (r"'([^']+)' is undefined", r"has no attribute '([^']+)'"):
        if m := re.search(pattern, message):
            return m.group(1)
    return None


def _render_error(tpl: DocxTemplate, template: Path, exc: Exception) -> TemplateError:
    name = _undefined_name(exc) if isinstance(exc, UndefinedError) else None
    where = _context_text(tpl, exc, name)
    around = f"。所在段落：“{where}”" if where else ""
    if isinstance(exc, TemplateSyntaxError):
        detail = (exc.message or "").rstrip(".")
        return TemplateError(f"模板 {template.name} 有语法错误：{detail}{around}")
    if isinstance(exc, UndefinedError):
        return TemplateError(
            f"模板 {template.name} 中的占位符“{name or exc}”没有对应的数据{around}"
        )
    return TemplateError(f"模板 {template.name} 渲染失败：{type(exc).__name__}: {exc}{around}")


# -- render, verify, write ----------------------------------------------------------------------


def set_properties(doc: Any, props: Any) -> None:
    """Title, author, subject and keywords of ``doc`` from the report's view."""
    core = doc.core_properties
    title, author = clean_text(props.title), clean_text(props.author)
    core.title, core.author, core.subject = title, author, clean_text(props.subject)
    core.keywords = clean_text(props.keywords)
    core.last_modified_by = author


def fill_template(tpl: DocxTemplate, template: Path, context: dict[str, Any]) -> None:
    """Fill ``tpl`` (opened from ``template``) with ``context`` in memory; nothing is written.

    Failures become a :class:`TemplateError` naming the template and the paragraph.
    """
    try:
        tpl.render(context, jinja_env=shared_env(), autoescape=True)
        _resync_parts(tpl)
    except DocxreportError as exc:  # raised by a context function: add where it was called
        where = _context_text(tpl, exc, None)
        raise type(exc)(
            f"{exc}（模板 {template.name}，段落：“{where}”）" if where else str(exc)
        ) from exc
    except Exception as exc:  # any failure inside the template is the template's problem
        raise _render_error(tpl, template, exc) from exc


def _resync_parts(tpl: DocxTemplate) -> None:
    """Point python-docx at the header and footer parts docxtpl rendered.

    docxtpl puts a new part behind each header's relationship, but python-docx looks
    related parts up in a dict it filled when the template was opened: without this,
    ``section.header`` (and so the draft mark, and the marks' binding) would see the
    template's unrendered part, which is no longer in the package.
    """
    rels = tpl.docx.part.rels
    for rid, rel in rels.items():
        if not rel.is_external:
            rels.related_parts[rid] = rel._target


def collect_marks(tpl: DocxTemplate, marks: Marks) -> list[Any]:
    """The items a filled template prints (see :class:`Marks`), in order, body first."""
    found: list[Any] = []
    seen: set[int] = set()
    for root in _parts(tpl):
        if id(root) not in seen:
            seen.add(id(root))
            found += marks.collect(root)
    return found


def _parts(tpl: DocxTemplate) -> list[Any]:
    """The XML roots docxtpl renders: the body, then every header, footer and footnote part."""
    return [tpl.docx.element.body] + [root for _, root in side_parts(tpl.docx)]


@dataclass
class Rendered:
    """What :func:`render_report` wrote: the items the document prints (with ``marks``),
    one per occurrence, in order, and the text of every paragraph of its body (but the
    contents lists, whose entries repeat the headings' and captions' texts)."""

    found: list[Any]
    texts: list[str]


def render_report(
    template: Path,
    context: dict[str, Any],
    out: Path,
    *,
    within: Path | None = None,
    ready: Ready | None = None,
    tpl: DocxTemplate | None = None,
    marks: Marks | None = None,
    draft: bool = False,
    state: State | None = None,
    identify: Identify | None = None,
    inspect: Callable[[DocxTemplate], None] | None = None,
) -> Rendered:
    """Fill ``template`` with ``context``, number it, verify it and write it to ``out``.

    ``draft`` puts 征求意见稿 at the top of every page. ``out`` must lie in the folder
    ``within`` (by default its own); ``ready`` sees the finished file just before it takes
    ``out``'s name (see :func:`~docxreport.atomic.write_atomically`).

    When the context holds subdocuments (tables, photos, cases), they must come
    from the same :class:`DocxTemplate`: pass it as ``tpl`` (see :func:`load_template`).
    With ``marks`` (the :class:`Marks` the context wrapped its figures with), ``found``
    holds the items the document prints, one per occurrence, in order. With ``state`` and
    ``identify`` too, every printed item of the body gets a bookmark, and the state part
    saying what each stands for goes into the document. ``inspect`` sees the filled template
    before its marks are bound (their texts still wrapped).
    """
    template = Path(template)
    tpl = tpl if tpl is not None else load_template(template)
    tags = template_tags(template)
    fill_template(tpl, template, context)
    if inspect is not None:
        inspect(tpl)
    body = tpl.docx.element.body
    named = f"（模板 {template.name}）"
    by_origin = marks is not None and identify is not None
    braces = getattr(tpl, "has_braces", None)  # known from the filled XML, else looked for
    if by_origin and (braces if braces is not None else may_hold_tags(body)):
        # judge only what the template wrote
        written = template_texts(body, marks.items, lambda item: identify(item)[0])
        check_leftover_texts(written, named, tags)
    found: list[Any] = []
    bound: list[tuple[Any, Mark]] = []
    if marks is not None and state is not None and identify is not None:
        bound = marks.bind(body, identify)
        bound += _bind_side_parts(tpl, marks, identify, len(bound))
        found = [item for item, _ in bound] + collect_marks(tpl, marks)
    elif marks is not None:
        found = collect_marks(tpl, marks)
    number_drawings(body)
    paragraphs = read_paragraphs(body)  # shared by the steps below
    if marks is not None and state is not None and identify is not None:
        at = places(body, paragraphs)
        cells = _table_cells(body, {m.name for _, m in bound if m.kind == "table"})
        state.marks = [
            replace(mark, where=at.get(mark.name, mark.where), cells=cells.get(mark.name, ""))
            for _, mark in bound
        ]
        attach(tpl.docx, state)
    number_document(tpl.docx, paragraphs)
    if draft:
        mark_draft(tpl.docx)
    texts = [para.text for para in paragraphs]
    check_leftover_texts(texts, named, tags, marks_only=by_origin)
    check_parts(tpl, template, named)
    check_no_marks(tpl.docx, named)
    stamp = Stamp.replacing(out)  # the build before this one's creation time and revision
    write_atomically(
        lambda tmp: _save(tpl, tmp, stamp), out, within or Path(out).parent, ready=ready
    )
    return Rendered(found, texts)


def _table_cells(body: Any, names: set[str]) -> dict[str, str]:
    """Mark name → the texts its table printed (see :mod:`.tablepatch`)."""
    found: dict[str, str] = {}
    if not names:
        return found
    for b in body.iter(qn("w:bookmarkStart")):
        name = b.get(qn("w:name"), "")
        if name in names:
            tbl = next(b.iterancestors(qn("w:tbl")), None)
            found[name] = encode(table_texts(tbl)) if tbl is not None else ""
    return found


def _bind_side_parts(
    tpl: DocxTemplate, marks: Marks, identify: Identify, before: int
) -> list[tuple[Any, Mark]]:
    """Bookmark the figures and texts printed in headers, footers and footnotes; each
    mark's ``where`` names its part (``第 1 节页眉``)."""
    labels = side_labels(tpl.docx)
    bound: list[tuple[Any, Mark]] = []
    for name, root in side_parts(tpl.docx):
        for item, mark in marks.bind(root, identify, first=before + len(bound) + 1):
            bound.append((item, replace(mark, where=labels.get(name, name))))
    return bound


def _save(tpl: DocxTemplate, path: Path, stamp: Stamp) -> None:
    replacing = (tpl.pics_to_replace, tpl.crc_to_new_media, tpl.crc_to_new_embedded)
    if any(replacing) or tpl.zipname_to_replace:  # docxtpl's replace_* (docxreport uses none)
        tpl.save(str(path))
        path.write_bytes(retidy(path.read_bytes(), stamp))
    else:
        save_docx(tpl.docx, path, stamp)
