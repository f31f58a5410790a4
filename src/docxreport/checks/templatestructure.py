"""Template check: the structure a build relies on, beyond the tags.

Templates are edited in whatever editor a bureau has; saving in another editor can
keep every word and still lose what the layout needs. Checked here, each problem
located at the template (and paragraph where there is one):

- sections and page numbers: the front matter (where the contents lists are) is
  numbered in roman figures, and the body (from the first level-1 heading) is a
  section of its own that restarts at 1 in arabic figures; a section break must
  not sit in a paragraph that the build replaces (a ``{%p``/``{{p`` tag);
- the styles the renderer uses: the headings, 表题/图题/案例标题 (numbered
  captions), 表格文字 (table text) and the contents levels;
- the page number field (PAGE) in the footer (or header) of the numbered sections.

Only a whole report template (one with contents lists, ``toc(…)``) is checked so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from docxreport.issues import Issue, error, warning
from docxreport.model import Location
from docxreport.render.blocks import CASE_TITLE_STYLE, FIGURE_CAPTION_STYLE
from docxreport.render.numbering import CAPTION_STYLES, FIGURES_TOC_STYLE, HEADING_STYLES
from docxreport.render.tables import CELL_STYLE

ROMAN = ("lowerRoman", "upperRoman")
# Styles without which the report comes out wrong: no numbering, no contents entries.
NEEDED_STYLES = ("Heading 1", "Heading 2", *CAPTION_STYLES, FIGURE_CAPTION_STYLE, CASE_TITLE_STYLE)
# Styles the renderer falls back on plain formatting for: a warning.
WANTED_STYLES = ("Heading 3", CELL_STYLE, "toc 1", "toc 2", "toc 3", FIGURES_TOC_STYLE)
_REPLACED = re.compile(r"\{%p |\{\{p |\{%tr |\{%tc ")
_PAGE = re.compile(r"^\s*PAGE\b", re.IGNORECASE)


@dataclass
class _Section:
    number: int  # 1-based, in document order
    paragraph: int  # the paragraph holding its break (0: the document's last section)
    sect: object
    first: int = 0  # its first paragraph


def _paragraphs(body) -> list:
    """Every w:p of the body; paragraph ``n`` is item ``n - 1``, counted as templatecheck
    counts them (tables included)."""
    return list(body.iter(qn("w:p")))


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _sections(body, paras: list) -> list[_Section]:
    out, first = [], 1
    for n, p in enumerate(paras, start=1):
        sect = p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if sect is not None:
            out.append(_Section(len(out) + 1, n, sect, first))
            first = n + 1
    last = body.find(qn("w:sectPr"))
    if last is not None:
        out.append(_Section(len(out) + 1, 0, last, first))
    return out


def _section_of(sections: list[_Section], paragraph: int) -> _Section | None:
    for s in sections:
        if s.paragraph == 0 or paragraph <= s.paragraph:
            return s
    return None


def _page_numbering(sect) -> tuple[str, str | None]:
    """(format, start) of a section's page numbers; "decimal" when unset."""
    pg = sect.find(qn("w:pgNumType"))
    if pg is None:
        return "decimal", None
    return pg.get(qn("w:fmt")) or "decimal", pg.get(qn("w:start"))


def _has_page_field(part) -> bool:
    root = part.element
    for instr in root.iter(qn("w:instrText")):
        if _PAGE.match(instr.text or ""):
            return True
    return any(_PAGE.match(f.get(qn("w:instr"), "")) for f in root.iter(qn("w:fldSimple")))


def _page_parts(doc, sections: list[_Section]) -> dict[int, list]:
    """Section number → its header and footer parts (inherited from earlier sections)."""
    out, current = {}, {}
    for s in sections:
        for ref in s.sect:
            if ref.tag in (qn("w:headerReference"), qn("w:footerReference")):
                kind = (ref.tag, ref.get(qn("w:type")))
                current[kind] = doc.part.related_parts[ref.get(qn("r:id"))]
        out[s.number] = list(current.values())
    return out


def check_structure(doc: DocumentObject, rel: str) -> list[Issue]:
    """Structure problems of a template (opened by python-docx)."""
    if not any("toc(" in _text(p) for p in _paragraphs(doc.element.body)):
        return []  # not a whole report (no contents lists): a fragment has no layout to keep
    return [*_check_sections(doc, rel), *_check_styles(doc, rel)]


def _where(rel: str, paragraph: int = 0) -> Location:
    return Location(rel, "正文", f"段落 {paragraph}") if paragraph else Location(rel, "正文")


def _check_sections(doc, rel: str) -> list[Issue]:
    body = doc.element.body
    paras = _paragraphs(body)
    sections = _sections(body, paras)
    issues = []
    for s in sections:
        text = _text(paras[s.paragraph - 1]) if s.paragraph else ""
        if s.paragraph and _REPLACED.search(text):
            issues.append(
                error(
                    _where(rel, s.paragraph),
                    f"分节符在带段落标记的段落“{text.strip()[:60]}”中：生成时这一段被替换，"
                    "分节符随之丢失（页码编排会错）。请把分节符移到前后的普通段落",
                )
            )
    toc = next((n for n, p in enumerate(paras, start=1) if "toc(" in _text(p)), 0)
    heading = _first_heading(doc, paras)
    if not toc or not heading:
        return issues
    front, main = _section_of(sections, toc), _section_of(sections, heading)
    if front is None or main is None:
        return issues
    if front is main:
        issues.append(
            error(
                _where(rel, heading),
                f"正文（第 {heading} 段起的第一个一级标题）与目录在同一节：正文页码不会从 1 开始。"
                "请在目录之后、正文之前插入“分节符（下一页）”",
            )
        )
        return issues
    fmt, _start = _page_numbering(front.sect)
    if fmt not in ROMAN:
        issues.append(
            error(
                _where(rel, toc),
                f"前置部分（目录所在的第 {front.number} 节）的页码格式为“{fmt}”，应为罗马数字"
                "（Ⅰ、Ⅱ…或 i、ii…）。请在 Word 中设置该节的页码格式",
            )
        )
    fmt, start = _page_numbering(main.sect)
    if start != "1" or fmt in ROMAN:
        issues.append(
            error(
                _where(rel, heading),
                f"正文（第 {main.number} 节）的页码没有从 1 开始（起始页码："
                f"{start or '续前节'}，格式：{fmt}）。请把该节页码设为阿拉伯数字、起始页码 1",
            )
        )
    parts = _page_parts(doc, sections)
    for s, what in ((front, "前置部分"), (main, "正文")):
        if not any(_has_page_field(part) for part in parts.get(s.number, [])):
            issues.append(
                error(
                    Location(rel, "页脚"),
                    f"{what}（第 {s.number} 节）的页眉页脚中没有页码域（PAGE）：印出的页上没有页码",
                )
            )
    return issues


def _first_heading(doc, paras: list) -> int:
    ids = {s.style_id for s in doc.styles if s.name == "Heading 1"}
    for n, p in enumerate(paras, start=1):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) in ids and _text(p).strip():
            return n
    return 0


def _check_styles(doc, rel: str) -> list[Issue]:
    names = {s.name for s in doc.styles}
    issues = []
    for name in NEEDED_STYLES:
        if name not in names:
            issues.append(
                error(
                    Location(rel, "样式"),
                    f"缺少样式“{name}”：生成时按它编号并列入目录，缺少时报告的编号和目录不完整",
                )
            )
    for name in WANTED_STYLES:
        if name not in names:
            issues.append(
                warning(
                    Location(rel, "样式"),
                    f"缺少样式“{name}”：生成时改用默认格式（{_purpose(name)}）",
                )
            )
    return issues


def _purpose(name: str) -> str:
    if name.startswith("toc") or name == FIGURES_TOC_STYLE:
        return "目录条目的字体、缩进和前导点"
    if name == CELL_STYLE:
        return "表格文字的字体、字号和行距"
    return f"{HEADING_STYLES.get(name, 3)} 级标题"
