"""Reading a Word template for the checks: its body, headers and footers, paragraph by paragraph.

Each paragraph's text is taken as Word shows it, with the run that holds each character,
so that a tag Word split over several runs can be found.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from docxreport.render.sideparts import side_labels

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as Word shows it; ``runs[i]`` is the run holding character ``i``."""

    number: int
    text: str
    runs: tuple[int, ...]


@dataclass(frozen=True)
class Part:
    """The body, a header or a footer: docxtpl renders each as one Jinja template."""

    name: str
    paragraphs: tuple[Paragraph, ...]


# -- reading -------------------------------------------------------------------------------------


def open_template(path: Path) -> tuple[DocumentObject | None, str | None]:
    """The template at ``path`` opened by python-docx, or a Chinese reason it cannot be."""
    head = path.read_bytes()[:8]
    if not head:
        return None, "模板文件为空（0 字节）"
    if head.startswith(_OLE_MAGIC):
        return None, "模板是旧版 .doc 文件或设置了打开密码，请在 Word/WPS 中另存为 .docx"
    if not zipfile.is_zipfile(path):
        return None, "不是 Word .docx 文件（可能已损坏或改了扩展名），请在 Word/WPS 中另存为 .docx"
    try:
        return docx.Document(str(path)), None
    except Exception as exc:  # python-docx raises several types for a bad package
        return None, (
            f"无法作为 Word .docx 文件读取（{type(exc).__name__}），请在 Word/WPS 中另存为 .docx"
        )


def read_parts(document: DocumentObject) -> list[Part]:
    """The body, headers and footers of a template, paragraph by paragraph; a header or
    footer is named by its file's number and, in a template of several sections, the first
    section that shows it: ``页眉 2（第 3 节）``."""
    parts = [Part("正文", _paragraphs(document.element.body))]
    named = side_labels(document)
    others = [p for p in document.part.package.iter_parts() if _side_part(p.partname)]
    for part in sorted(others, key=lambda p: str(p.partname)):
        label = named.get(str(part.partname).lstrip("/"), "")
        section = f"（{label.split('节')[0]}节）" if "节" in label else ""
        parts.append(Part(_side_part(part.partname) + section, _paragraphs(part.element)))
    return parts


def _side_part(partname: str) -> str:
    """``页眉 1`` for /word/header1.xml, ``页脚 2`` for /word/footer2.xml, else ""."""
    match = re.fullmatch(r"/word/(header|footer)(\d*)\.xml", str(partname))
    if not match:
        return ""
    return f"{'页眉' if match[1] == 'header' else '页脚'} {match[2] or 1}"


def _paragraphs(root) -> tuple[Paragraph, ...]:
    out = []
    for number, p in enumerate(root.iter(qn("w:p")), start=1):
        text, runs, run_ids = [], [], {}
        for t in p.iter(qn("w:t")):
            if next(t.iterancestors(qn("w:p")), None) is not p:
                continue  # a text box's paragraph nested in this one: it has its own number
            piece = (t.text or "").replace("\n", " ")
            run = run_ids.setdefault(id(t.getparent()), len(run_ids))
            text.append(piece)
            runs += [run] * len(piece)
        out.append(Paragraph(number, "".join(text), tuple(runs)))
    return tuple(out)
