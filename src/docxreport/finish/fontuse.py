"""The fonts a Word document asks for, where, and what prints for them here.

A document asks for fonts through the styles its text uses (with their
``basedOn`` chains and the document defaults), through direct formatting of
runs (staff edits), through theme fonts, and in its charts. Only the scripts that print in a
Chinese report are read: Latin (``ascii``/``hAnsi``) and East Asian.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from docxreport.finish.fonts import Choice, choose, fontconfig_pick
from docxreport.issues import Issue, warning
from docxreport.model import Location

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_SCRIPTS = ("ascii", "hAnsi", "eastAsia")
_CONTENT = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_PART_NAMES = {"document": "正文", "header": "页眉", "footer": "页脚", "endnotes": "尾注"}
_SNIPPET = 12
# Built-in styles under the names Word and WPS show in Chinese.
_STYLE_NAMES = {
    "normal": "正文",
    "header": "页眉",
    "footer": "页脚",
    "caption": "题注",
    "title": "标题",
}
_NUMBERED = {"heading": "标题", "toc": "目录"}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class FontUse:
    """A font and the places of one document that ask for it, in document order."""

    font: str
    places: list[Location] = field(default_factory=list)


def _theme_fonts(package: zipfile.ZipFile) -> dict[str, str]:
    """``majorEastAsia`` → 宋体 and so on, from the document's theme."""
    names = [n for n in package.namelist() if re.match(r"^word/theme/theme\d*\.xml$", n)]
    if not names:
        return {}
    root = etree.fromstring(package.read(names[0]), _PARSER)
    found: dict[str, str] = {}
    for level in ("major", "minor"):
        scheme = root.find(f".//{{{A}}}{level}Font")
        if scheme is None:
            continue
        latin = scheme.find(f"{{{A}}}latin")
        east = scheme.find(f"{{{A}}}ea")
        hans = scheme.find(f"{{{A}}}font[@script='Hans']")
        if latin is not None and latin.get("typeface"):
            found[f"{level}HAnsi"] = found[f"{level}Ascii"] = latin.get("typeface")
        ea = east.get("typeface") if east is not None else ""
        ea = ea or (hans.get("typeface") if hans is not None else "")
        if ea:
            found[f"{level}EastAsia"] = ea
    return found


def shown_style(name: str) -> str:
    """A style's name as Word shows it in Chinese (“heading 1” is 标题 1)."""
    key = name.strip().casefold()
    numbered = re.fullmatch(r"(heading|toc) (\d)", key)
    if numbered:
        return f"{_NUMBERED[numbered.group(1)]} {numbered.group(2)}"
    return _STYLE_NAMES.get(key, name)


def _fonts_of(rfonts, theme: dict[str, str]) -> list[str]:
    fonts = []
    for script in _SCRIPTS:
        themed = rfonts.get(_w(f"{script}Theme"))
        name = theme.get(themed or "") or rfonts.get(_w(script))
        if name and name not in fonts:
            fonts.append(name)
    return fonts


class _Scan:
    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.uses: dict[str, FontUse] = {}
        self.seen: set[tuple[str, Location]] = set()

    def add(self, fonts: list[str], loc: Location) -> None:
        for font in fonts:
            if (font, loc) not in self.seen:
                self.seen.add((font, loc))
                self.uses.setdefault(font, FontUse(font)).places.append(loc)


def _styles(package: zipfile.ZipFile, used: set[str], scan: _Scan, theme: dict) -> None:
    """The fonts of the document defaults and of the styles in use (with what they inherit)."""
    try:
        root = etree.fromstring(package.read("word/styles.xml"), _PARSER)
    except KeyError:
        return
    defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}//{_w('rFonts')}")
    if defaults is not None:
        scan.add(_fonts_of(defaults, theme), Location(scan.rel, "样式", "文档默认字体"))
    styles = {s.get(_w("styleId")): s for s in root.iter(_w("style"))}
    wanted = set(used) | {i for i, s in styles.items() if s.get(_w("default")) in ("1", "true")}
    seen: set[str] = set()
    todo = sorted(wanted)
    while todo:
        style_id = todo.pop(0)
        style = styles.get(style_id)
        if style is None or style_id in seen:
            continue
        seen.add(style_id)
        name = style.find(_w("name"))
        shown = shown_style(name.get(_w("val")) or style_id) if name is not None else style_id
        for rfonts in style.iter(_w("rFonts")):
            scan.add(_fonts_of(rfonts, theme), Location(scan.rel, "样式", shown or style_id))
        based = style.find(_w("basedOn"))
        if based is not None and based.get(_w("val")):
            todo.append(based.get(_w("val")))


def _content(package: zipfile.ZipFile, part: str, scan: _Scan, theme: dict) -> set[str]:
    """Fonts formatted directly on the text of one part; returns the styles the part uses."""
    root = etree.fromstring(package.read(part), _PARSER)
    kind, index = re.fullmatch(r"(\D+)(\d*)", Path(part).stem).groups()
    where = _PART_NAMES.get(kind, "脚注")
    where += f" {index or 1}" if kind in ("header", "footer") else ""  # as the template check
    used = {
        el.get(_w("val"))
        for tag in ("pStyle", "rStyle", "tblStyle")
        for el in root.iter(_w(tag))
        if el.get(_w("val"))
    }
    for number, paragraph in enumerate(root.iter(_w("p")), 1):
        fonts = [
            f
            for rf in paragraph.iter(_w("rFonts"))
            if next(rf.iterancestors(_w("p")), None) is paragraph  # not a text box's own
            for f in _fonts_of(rf, theme)
        ]
        if fonts:
            text = "".join(t.text or "" for t in paragraph.iter(_w("t"))).strip()
            quoted = f"（“{text[:_SNIPPET]}{'…' if len(text) > _SNIPPET else ''}”）" if text else ""
            scan.add(fonts, Location(scan.rel, where, f"段落 {number}{quoted}"))
    return used


def _charts(package: zipfile.ZipFile, scan: _Scan) -> None:
    """The fonts of the charts' text (``a:latin``/``a:ea``; ``+mn-ea`` and the like are themed)."""
    names = [n for n in package.namelist() if re.match(r"^word/charts/chart\d+\.xml$", n)]
    for name in sorted(names, key=lambda n: int(re.sub(r"\D", "", n))):
        root = etree.fromstring(package.read(name), _PARSER)
        fonts = [
            el.get("typeface", "")
            for el in root.iter(f"{{{A}}}latin", f"{{{A}}}ea")
            if el.get("typeface", "") and not el.get("typeface", "").startswith("+")
        ]
        number = re.sub(r"\D", "", Path(name).stem)
        scan.add(list(dict.fromkeys(fonts)), Location(scan.rel, "图表", f"图表 {number}"))


def fonts_used(path: Path, rel: str) -> dict[str, FontUse]:
    """Every font ``path`` asks for, with the places that ask; ``rel`` names it in places.

    An unreadable file asks for nothing here (the template check reports it).
    """
    scan = _Scan(rel)
    try:
        with zipfile.ZipFile(path) as package:
            theme = _theme_fonts(package)
            used: set[str] = set()
            for part in sorted(n for n in package.namelist() if _CONTENT.match(n)):
                used |= _content(package, part, scan, theme)
            _styles(package, used, scan, theme)
            _charts(package, scan)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return {}
    for use in scan.uses.values():  # a style first: one change there mends every paragraph
        use.places.sort(key=lambda loc: loc.sheet != "样式")
    return scan.uses


def template_documents(folder: Path) -> list[tuple[Path, str]]:
    """The templates of ``folder`` (and the schools' own), each with its shown name."""
    from docxreport.checks.templates import template_files
    from docxreport.layout import SCHOOL_TEMPLATE_DIR

    found = [(p, f"{folder.resolve().name}/{p.name}") for p in template_files(folder)]
    own = folder / SCHOOL_TEMPLATE_DIR
    if own.is_dir():
        rel = f"{folder.resolve().name}/{SCHOOL_TEMPLATE_DIR}"
        found += [(p, f"{rel}/{p.name}") for p in template_files(own)]
    return found


@dataclass
class FontReport:
    """The fonts of several documents: one line each for the screen, warnings for missing ones."""

    lines: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def font_report(documents: list[tuple[Path, str]]) -> FontReport:
    """What prints for each font the ``documents`` (path, shown name) ask for, first seen first.

    A font asked for by several documents is listed once, located where first asked for.
    """
    merged: dict[str, FontUse] = {}
    for path, rel in documents:
        for font, use in fonts_used(path, rel).items():
            merged.setdefault(font, FontUse(font)).places.extend(use.places)
    report = FontReport()
    for font, use in merged.items():
        choice = choose(font)
        report.lines.append(_line(choice))
        if choice.missing:
            report.issues.append(_missing(choice, use))
    return report


def _line(choice: Choice) -> str:
    if not choice.known:
        return f"{choice.font}：无法列出本机已安装的字体，未能核对"
    if choice.installed:
        return f"{choice.font}：本机已安装"
    if choice.printed is not None:
        where = f"；原字体：{choice.typeface.windows}" if choice.typeface else ""
        return f"{choice.font}：本机未安装，以 {choice.printed} 代替{where}"
    hint = f"。安装：{choice.typeface.install_hint()}" if choice.typeface else ""
    pick = fontconfig_pick(choice.font)
    instead = f"由 LibreOffice 自选 {pick}" if pick else "由 LibreOffice 自选代用字体"
    return f"{choice.font}：本机未安装，字体对照表中也没有可用的代用字体，{instead}{hint}"


def _missing(choice: Choice, use: FontUse) -> Issue:
    pick = fontconfig_pick(choice.font)
    instead = f"LibreOffice 将以“{pick}”印出" if pick else "LibreOffice 将自选字体印出"
    more = f"（共 {len(use.places)} 处使用）" if len(use.places) > 1 else ""
    hint = (
        f"请安装：{choice.typeface.install_hint()}"
        if choice.typeface
        else "请在本机安装该字体，或在 Word/WPS 中改用常用字体（如仿宋、黑体、楷体、宋体）"
    )
    return warning(
        use.places[0],
        f"字体“{choice.font}”本机没有安装，也没有可代用的字体{more}，{instead}，PDF 与 Word 中的样子会不同。{hint}",
    )
