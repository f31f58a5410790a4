"""Checks of a report before it is written: no template tag or figure mark left in its body,
every XML part well formed.

A tag is left over when the template wrote it and Jinja did not take it (a tag Word
broke across runs, say). Data may hold the same text: a school's case that quotes
``{% endif %}`` prints literally (the context escapes it, and Jinja never sees it as a
tag). The two are told apart by where the text came from: what the data printed is
wrapped by :class:`~.marks.Marks` until the marks are bound, and a block of photos or
cases and a table from the catalog lie between (or start at) such wraps, so
:func:`template_texts` reads the body with all of that left out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from lxml import etree

from docxreport.errors import TemplateError
from docxreport.render.marks import END, SEP, START, strip
from docxreport.render.template import template_bytes

JINJA_MARKS = ("{{", "{%", "{#")
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def verify_docx(path: Path, template_name: str = "", tags: set[str] | None = None) -> None:
    """Every XML part parses, and no Jinja tag is left in the body text.

    With ``tags`` (the tags the template holds), only those count as left over, so that
    data which happens to contain ``{{`` comes out as text instead of failing the build.
    """
    where = f"（模板 {template_name}）" if template_name else ""
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                root = etree.fromstring(package.read(name), _SAFE_PARSER)
            except etree.XMLSyntaxError as exc:
                raise TemplateError(f"生成的文档部件 {name} 不是合法的 XML{where}：{exc}") from exc
            if name == "word/document.xml":
                _check_leftover_tags(root, where, tags)


_P, _T = qn("w:p"), qn("w:t")
TAG = re.compile(r"\{[{%#].*?[}%#]\}")


def template_tags(path: Path) -> set[str]:
    """The Jinja tags written in a template's body, as its paragraphs read."""
    return set(_tags(template_bytes(Path(path))))


@lru_cache(maxsize=4)
def _tags(blob: bytes) -> frozenset[str]:
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        root = etree.fromstring(package.read("word/document.xml"), _SAFE_PARSER)
    texts = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in root.iter(qn("w:p")))
    return frozenset(tag for text in texts for tag in TAG.findall(text))


def _check_leftover_tags(root: Any, where: str, tags: set[str] | None) -> None:
    check_leftover_texts(
        ["".join(t.text or "" for t in p.iter(_T)) for p in root.iter(_P)], where, tags
    )


def check_leftover_texts(
    texts: list[str], where: str, tags: set[str] | None, marks_only: bool = False
) -> None:
    """No mark character nor Jinja tag in the body's paragraph ``texts``.

    ``marks_only``: the tags were checked already, on :func:`template_texts`.
    """
    whole = "\n".join(texts)
    if START not in whole and (marks_only or not any(mark in whole for mark in JINJA_MARKS)):
        return  # nothing left over anywhere: no need to look paragraph by paragraph
    for text in texts:
        if START in text:  # a figure printed where its mark could not be taken out
            raise TemplateError(f"生成的文档中有未处理的数字标记{where}：“{text.strip()[:120]}”")
        if marks_only:
            continue
        left = any(tag in text for tag in tags) if tags is not None else None
        if left or (left is None and any(mark in text for mark in JINJA_MARKS)):
            raise TemplateError(f"生成的文档中仍有未处理的模板标记{where}：“{text.strip()[:120]}”")


_TBL = qn("w:tbl")
_OPEN = re.compile(f"{START}(\\d+){SEP}")
_DATA_KINDS = ("block", "table")  # kinds whose whole extent is data, not only the wrap


_HAS_BRACE = etree.XPath(
    "boolean(.//w:t[contains(., '{')])",
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
)


def may_hold_tags(root: Any) -> bool:
    """Whether any text under ``root`` holds a brace at all (most reports: none)."""
    return bool(_HAS_BRACE(root))


@dataclass
class _Reading:
    """Where a reading of the body is: inside a wrap, inside a block, in a data table."""

    items: list[Any]
    kind_of: Callable[[Any], str]
    wrapped: bool = False
    block_end: int | None = None  # the id of the wrap that ends the open block
    skip: set[Any] = field(default_factory=set)  # the texts of tables the data made

    def template_part(self, t: Any) -> str:
        """The part of ``t``'s text the template wrote."""
        text = t.text or ""
        if t in self.skip:
            return ""
        if not self.wrapped and self.block_end is None and START not in text:
            return text
        kept, pos = [], 0
        while pos < len(text):
            if self.wrapped:
                end = text.find(END, pos)
                if end < 0:
                    break
                self.wrapped, pos = False, end + 1
                continue
            start = text.find(START, pos)
            if self.block_end is None:
                kept.append(text[pos : start if start >= 0 else len(text)])
            if start < 0:
                break
            match = _OPEN.match(text, start)
            if match is None:  # a stray mark character: the check after binding names it
                pos = start + 1
                continue
            self.wrapped, pos = True, match.end()
            self._enter(int(match.group(1)), t)
        return "".join(kept)

    def _enter(self, k: int, t: Any) -> None:
        if self.block_end is not None:
            if k == self.block_end:
                self.block_end = None
            return
        item = self.items[k] if k < len(self.items) else None
        kind = self.kind_of(item) if item is not None else ""
        if kind == "block" and k + 1 < len(self.items) and self.items[k + 1] is item:
            self.block_end = k + 1  # a block's first and last texts are wrapped
        elif kind == "table":
            table = next(t.iterancestors(_TBL), None)
            if table is not None:
                self.skip.update(x for x in table.iter(_T) if x is not t)


def template_texts(root: Any, items: list[Any], kind_of: Callable[[Any], str]) -> list[str]:
    """Every paragraph's text as the template wrote it, read before the marks are bound:
    what the data printed (wrapped values, blocks of photos and cases, catalog tables) is
    left out. ``kind_of`` gives an item's kind (figure, table, block…)."""
    reading = _Reading(items, kind_of)
    texts: list[str] = []
    current: list[str] | None = None
    for el in root.iter(_P, _T):
        if el.tag == _P:
            if current is not None:
                texts.append("".join(current))
            current = []
        elif current is not None and el.text:
            current.append(reading.template_part(el))
    if current is not None:
        texts.append("".join(current))
    return texts


def check_parts(tpl: Any, template: Path, where: str) -> None:
    """Every XML part of ``tpl`` (a filled template) kept as bytes, not as a tree, parses.

    The parts python-docx holds as trees are written from them, so they are well formed;
    a part the template holds as it is was parsed once, when first seen in this process.
    """
    source = template_bytes(template)
    own = _template_parts(source)
    for part in tpl.docx.part.package.iter_parts():
        name = str(part.partname).lstrip("/")
        if isinstance(part, XmlPart) or not name.endswith((".xml", ".rels")):
            continue
        blob = part.blob
        if own.get(name) == blob and _template_part_parses(source, name):
            continue
        try:
            etree.fromstring(blob, _SAFE_PARSER)
        except etree.XMLSyntaxError as exc:
            raise TemplateError(f"生成的文档部件 {name} 不是合法的 XML{where}：{exc}") from exc


@lru_cache(maxsize=4)
def _template_parts(blob: bytes) -> dict[str, bytes]:
    """The XML parts of a template file, by name in the zip."""
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        return {n: package.read(n) for n in package.namelist() if n.endswith((".xml", ".rels"))}


@lru_cache(maxsize=64)
def _template_part_parses(blob: bytes, name: str) -> bool:
    try:
        etree.fromstring(_template_parts(blob)[name], _SAFE_PARSER)
    except etree.XMLSyntaxError:
        return False
    return True


_MARK_CHARS = (START, SEP, END)
_HAS = "[contains(., $a) or contains(., $b) or contains(., $c)]"
# text, and the attributes a template prints into (a drawing's alt text and title): the
# marks' only ways into a part; looking at every attribute would triple the time
_MARKED = etree.XPath(f"//text(){_HAS} | //@descr{_HAS} | //@title{_HAS}")
_PART_NAMES = {"document": "正文", "header": "页眉", "footer": "页脚", "footnotes": "脚注"}


def check_no_marks(doc: Any, where: str) -> None:
    """No part of the package (body, headers, footers, footnotes, comments, charts…)
    holds a mark character: a figure whose mark was not taken out would print as
    "⊠8•2024◆" in every reader."""
    for part in doc.part.package.iter_parts():
        name = str(part.partname).lstrip("/")
        if not name.endswith(".xml"):
            continue
        if isinstance(part, XmlPart):
            found = _MARKED(part.element, a=START, b=SEP, c=END)
            text = str(found[0]) if found else ""
        else:
            blob = part.blob
            if not any(c.encode() in blob for c in _MARK_CHARS):
                continue
            text = blob.decode("utf-8", "replace")
        if text:
            at = min(i for i in (text.find(c) for c in _MARK_CHARS) if i >= 0)
            shown = strip(text[max(0, at - 40) : at + 80]).strip()
            raise TemplateError(
                f"生成的文档部件 {name}（{_part_name(name)}）中有未处理的数字标记{where}：“{shown}”"
            )


def _part_name(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].split(".")[0].rstrip("0123456789")
    return _PART_NAMES.get(stem, stem)
