"""How many pages a report will have, before it is built.

The template's body is walked in order and laid out on pages of its own text block, the
way a word processor fills them: text paragraphs (the template's wording, with a short
figure for each placeholder) break across pages; a photo or chart moves to the next page
when it does not fit; tables and case boxes break between lines. What the report prints
comes from its view: the cases and photos of the selection (each photo at the size the
build places it), every table's rows and column groups, the contents lists' entries.

It is an estimate: fonts are taken at their nominal size and line spacing, a line holds as
many full-width characters as its width allows, and Jinja's conditions are not evaluated.
"""

from __future__ import annotations

import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from docxreport import photos as photo_files
from docxreport.page import MAX_PHOTO_HEIGHT_MM, TEXT_WIDTH_MM
from docxreport.text import display_width
from docxreport.view.fit import TABLE_SIZES_PT, fit_weights
from docxreport.view.grids import Grid
from docxreport.view.report import Case, Photo, ReportView

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
TWIP_MM, PT_MM = 25.4 / 1440, 25.4 / 72
LINE_FACTOR = 1.3  # a single-spaced line of a CJK font, in font sizes
TABLE_LINE = 1.3  # a line of table text (single spacing, the table font), in font sizes
CELL_PAD_MM = 1.2  # a table row's cell margins and borders
PLACEHOLDER_MM = 30.0 + 4.0  # the 【图片待补充】 box and its paragraph
CHART_MM = 85.0 + 4.0
CASE_PAD_MM = 6.0
FIELD_CHARS = 4  # what a {{ … }} placeholder prints, in characters
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_CALL = re.compile(r'\{\{p?\s*(figures|cases|table|chart|toc)\(\s*"([^"]*)"(?:\s*,\s*([^)]*))?')


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Style:
    size_pt: float = 11.0
    line_rule: str = "auto"
    line: float = 240.0
    before_mm: float = 0.0
    after_mm: float = 0.0
    break_before: bool = False
    indent_mm: float = 0.0  # left and right indents

    @property
    def line_mm(self) -> float:
        natural = self.size_pt * LINE_FACTOR * PT_MM
        if self.line_rule == "exact":
            return self.line / 20 * PT_MM
        if self.line_rule == "atLeast":
            return max(self.line / 20 * PT_MM, natural)
        return natural * self.line / 240


def _apply(style: Style, ppr, rpr) -> Style:
    s = Style(**style.__dict__)
    if rpr is not None and (sz := rpr.find(_w("sz"))) is not None:
        s.size_pt = int(sz.get(_w("val"), "22")) / 2
    if ppr is not None:
        if (sp := ppr.find(_w("spacing"))) is not None:
            if sp.get(_w("line")):
                s.line = float(sp.get(_w("line")))
                s.line_rule = sp.get(_w("lineRule"), "auto")
            if sp.get(_w("before")):
                s.before_mm = float(sp.get(_w("before"))) * TWIP_MM
            if sp.get(_w("after")):
                s.after_mm = float(sp.get(_w("after"))) * TWIP_MM
        if (pb := ppr.find(_w("pageBreakBefore"))) is not None:
            s.break_before = pb.get(_w("val"), "1") not in ("0", "false")
        if (ind := ppr.find(_w("ind"))) is not None:
            s.indent_mm = sum(float(ind.get(_w(k), "0") or 0) for k in ("left", "right")) * TWIP_MM
    return s


def _styles(root) -> tuple[dict[str, Style], dict[str, str]]:
    """Paragraph styles by id, resolved through basedOn; and style names by id."""
    base = Style()
    defaults = root.find(_w("docDefaults"))
    if defaults is not None:
        base = _apply(
            base,
            defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}"),
            defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}"),
        )
    raw = {
        s.get(_w("styleId")): s for s in root.iter(_w("style")) if s.get(_w("type")) == "paragraph"
    }
    names = {
        sid: (s.find(_w("name")).get(_w("val")) if s.find(_w("name")) is not None else sid)
        for sid, s in raw.items()
    }
    done: dict[str, Style] = {}

    def resolve(sid: str, depth: int = 0) -> Style:
        if sid in done:
            return done[sid]
        node = raw.get(sid)
        if node is None or depth > 20:
            return base
        parent = node.find(_w("basedOn"))
        start = resolve(parent.get(_w("val")), depth + 1) if parent is not None else base
        done[sid] = _apply(start, node.find(_w("pPr")), node.find(_w("rPr")))
        return done[sid]

    for sid in raw:
        resolve(sid)
    default = next((sid for sid, s in raw.items() if s.get(_w("default")) == "1"), "")
    done[""] = done.get(default, base)
    return done, names


@dataclass
class Pages:
    """Pages filled in order, like a word processor's layout."""

    height: float
    width: float
    pages: int = 1
    used: float = 0.0
    sections: list[int] = field(default_factory=list)

    def new_page(self) -> None:
        if self.used > 0:
            self.pages += 1
            self.used = 0.0

    def whole(self, height: float) -> None:
        """Something that does not break (a photo): on the next page when it does not fit."""
        if self.used + height > self.height and self.used > 0:
            self.new_page()
        self.used += min(height, self.height)

    def lines(self, n: int, line: float, before: float = 0.0, after: float = 0.0) -> None:
        """Lines that may break between pages."""
        if self.used > 0:
            self.used = min(self.used + before, self.height)
        for _ in range(n):
            if self.used + line > self.height + 0.01:
                self.new_page()
            self.used += line
        self.used = min(self.used + after, self.height)


def _line_count(text: str, width_mm: float, size_pt: float, first_indent: float = 0) -> int:
    per_line = max(
        1, math.floor(width_mm / (size_pt * PT_MM))
    )  # full-width characters a line holds
    return max(1, math.ceil((display_width(text) / 2 + first_indent) / per_line))


def _photo_mm(photo: Photo, width_mm: float) -> tuple[float, bool]:
    """(height of the picture and its caption, portrait) as the build places it."""
    if photo.path is None or not photo.path.is_file():
        return PLACEHOLDER_MM, False
    try:
        info = photo_files.inspect(photo.path)
    except photo_files.PhotoError:
        return PLACEHOLDER_MM, False
    _w_mm, h_mm = photo_files.placed_size(info, width_mm, MAX_PHOTO_HEIGHT_MM)
    return h_mm + 2.0, info.portrait


def _photos(flow: Pages, photos: list[Photo], width: float, caption: Style) -> None:
    i = 0
    while i < len(photos):
        height, portrait = _photo_mm(photos[i], width)
        if portrait and i + 1 < len(photos):
            other, also = _photo_mm(photos[i + 1], width / 2)
            if also:
                height = max(_photo_mm(photos[i], width / 2)[0], other)
                i += 1
        flow.whole(height + caption.line_mm + caption.before_mm + caption.after_mm)
        i += 1


def _case(flow: Pages, case: Case, body: Style, title: Style, caption: Style) -> None:
    width = flow.width - CASE_PAD_MM
    flow.lines(1, 6 * PT_MM)  # the spacer before the box
    flow.lines(
        _line_count(case.title, width, title.size_pt),
        title.line_mm,
        title.before_mm + CASE_PAD_MM / 2,
        title.after_mm,
    )
    for text in case.paragraphs:
        flow.lines(
            _line_count(text, width, body.size_pt, 2), body.line_mm, body.before_mm, body.after_mm
        )
    _photos(flow, case.photos, width, caption)
    flow.used = min(flow.used + CASE_PAD_MM / 2, flow.height)


def _table(flow: Pages, grid: Grid, width: float) -> None:
    weights, size = fit_weights(grid, width, TABLE_SIZES_PT)
    total = sum(weights) or 1.0
    widths = [width * w / total - 2 for w in weights]
    line = size * TABLE_LINE * PT_MM
    for row in grid.rows:
        lines = max(
            (
                _line_count(c.text, max(widths[i], 3), size)
                for i, c in enumerate(row)
                if c and c.text
            ),
            default=1,
        )
        flow.lines(1, lines * line + CELL_PAD_MM)


@dataclass
class Estimate:
    pages: int
    cases: int
    photos: int


_TRACED = ("heading 1", "表题", "前置页标题", "目录标题")


@dataclass
class _Layout:
    """One template's body laid out with one view's content."""

    view: ReportView
    styles: dict[str, Style]
    names: dict[str, str]
    flow: Pages
    entries: dict[str, int] = field(default_factory=dict)

    def style(self, name: str) -> Style:
        sid = next((sid for sid, n in self.names.items() if n == name), None)
        return self.styles.get(sid, self.styles[""]) if sid else self.styles[""]

    def paragraph(self, node, trace: list | None) -> None:
        style = _apply(
            self.styles.get(_style_id(node), self.styles[""]), node.find(_w("pPr")), None
        )
        text = _text(node)
        if style.break_before:
            self.flow.new_page()
        if trace is not None and _style_name(node, self.names) in _TRACED:
            trace.append((self.flow.pages, text[:30]))
        call = _CALL.search(text)
        if call:
            self.place(call.group(1), call.group(2), call.group(3) or "")
        elif node.findall(f".//{_w('drawing')}"):
            self.flow.whole(40.0)  # a picture of the template's own
        elif not text.strip().startswith(("{%p", "{%-p")):
            shown = _TAG.sub(lambda m: "" if m[0].startswith("{%") else "＊" * FIELD_CHARS, text)
            width = self.flow.width - style.indent_mm
            lines = _line_count(shown, width, style.size_pt, 2 if style.indent_mm == 0 else 0)
            self.flow.lines(lines, style.line_mm, style.before_mm, style.after_mm)
        if node.find(f"{_w('pPr')}/{_w('sectPr')}") is not None or _page_break(node):
            self.flow.new_page()

    def place(self, kind: str, arg: str, rest: str) -> None:
        flow, view = self.flow, self.view
        if kind == "figures":
            _photos(flow, view.photos.get(arg, []), flow.width, self.style("图题"))
        elif kind == "cases":
            for case in view.cases.get(arg, []):
                _case(flow, case, self.styles[""], self.style("案例标题"), self.style("图题"))
        elif kind == "chart":
            flow.whole(CHART_MM)
        elif kind == "toc":
            level = self.style("toc 2" if arg == "headings" else "table of figures")
            flow.lines(self.entries.get(arg, 0), level.line_mm, 0, level.after_mm)
        elif kind == "table":
            table = view.tables.get(arg)
            school = re.search(r'"([^"]+)"', rest)
            if school and (arg, school.group(1)) in view.school_lists:
                table = view.school_lists[(arg, school.group(1))]
            if table is not None and table.landscape:
                flow.new_page()
                sideways = Pages(flow.width, flow.height)
                _table(sideways, table.grid, sideways.width)
                flow.pages += sideways.pages
                flow.used = 0.0
            elif table is not None:
                _table(flow, table.grid, flow.width)


def estimate_pages(view: ReportView, template: Path, trace: list | None = None) -> Estimate:
    """The pages of the report ``view`` filled into ``template``; ``trace`` (for
    calibration) receives (page, paragraph text) of every heading and caption."""
    with zipfile.ZipFile(template) as z:
        doc = etree.fromstring(z.read("word/document.xml"), _PARSER)
        styles, names = _styles(etree.fromstring(z.read("word/styles.xml"), _PARSER))
    body = doc.find(_w("body"))
    layout = _Layout(view, styles, names, Pages(*_page_size(body)))
    paragraphs = list(body.iter(_w("p")))
    cases = sum(len(c) for c in view.cases.values())
    photos = sum(len(p) for p in view.photos.values())
    photos += sum(len(c.photos) for cs in view.cases.values() for c in cs)
    layout.entries = {
        "headings": sum(_style_name(p, names).lower().startswith("heading") for p in paragraphs),
        "表": sum(_style_name(p, names) == "表题" for p in paragraphs),
        "图": photos + sum("chart(" in _text(p) for p in paragraphs),
        "案例": cases,
    }
    for node in body:
        if node.tag == _w("tbl"):
            _static_table(layout.flow, node)
        elif node.tag == _w("p"):
            layout.paragraph(node, trace)
    return Estimate(layout.flow.pages, cases, photos)


def _static_table(flow: Pages, tbl) -> None:
    rows = tbl.findall(_w("tr"))
    cols = max((len(r.findall(_w("tc"))) for r in rows), default=1)
    for row in rows:
        texts = ["".join(t.text or "" for t in tc.iter(_w("t"))) for tc in row.findall(_w("tc"))]
        lines = max((_line_count(t, flow.width / cols - 2, 10.5) for t in texts), default=1)
        flow.lines(1, lines * 10.5 * 1.17 * PT_MM + CELL_PAD_MM)


def _page_size(body) -> tuple[float, float]:
    sect = body.find(_w("sectPr"))
    size = sect.find(_w("pgSz")) if sect is not None else None
    margins = sect.find(_w("pgMar")) if sect is not None else None
    if size is None or margins is None:
        return 225.0, TEXT_WIDTH_MM

    def twips(node, name: str, default: float) -> float:
        return float(node.get(_w(name), default))

    height = twips(size, "h", 16838) - twips(margins, "top", 2098) - twips(margins, "bottom", 1984)
    width = twips(size, "w", 11906) - twips(margins, "left", 1587) - twips(margins, "right", 1474)
    return height * TWIP_MM, width * TWIP_MM


def _style_id(p) -> str:
    node = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    return node.get(_w("val")) if node is not None else ""


def _style_name(p, names: dict[str, str]) -> str:
    return names.get(_style_id(p), "")


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t")))


def _page_break(p) -> bool:
    return any(br.get(_w("type")) == "page" for br in p.iter(_w("br")))


def city_estimate(data, cat, folder: Path, templates: Path) -> Estimate | None:
    """The city report's estimate, or None when its template cannot be read."""
    from docxreport import layout as L
    from docxreport.view.report import make_view

    template = templates / L.CITY_TEMPLATE
    if not template.is_file():
        return None
    view = make_view(data, cat, None, folder / L.PHOTO_DIR)
    try:
        return estimate_pages(view, template)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None  # the template check says what is wrong with it


def summary(estimate: Estimate) -> str:
    """全市报告约 96 页（案例 18 个，照片 41 张）."""
    return f"全市报告约 {estimate.pages} 页（案例 {estimate.cases} 个，照片 {estimate.photos} 张）"
