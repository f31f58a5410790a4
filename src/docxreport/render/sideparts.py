"""The parts of a report besides its body that print text: headers, footers, footnotes.

docxtpl fills each of them like the body, so a figure or a year can stand there too
(a running header "{{ region.name }}中职质量报告（{{ year }}）" is common). These
functions name them for messages: ``第 1 节页眉``, ``第 2 节首页页脚``, ``脚注``.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
SIDE_TYPES = {
    _RT + "header": "页眉",
    _RT + "footer": "页脚",
    _RT + "footnotes": "脚注",
    _RT + "endnotes": "尾注",
}
_KINDS = {"first": "首页", "even": "偶数页", "default": ""}


def side_parts(doc: Any) -> list[tuple[str, Any]]:
    """(part name, XML root) of every header, footer, footnote and endnote part of ``doc``
    (a python-docx Document), in the order of their relationships."""
    found = []
    for rel in doc.part.rels.values():
        if rel.is_external or rel.reltype not in SIDE_TYPES:
            continue
        part = rel.target_part
        found.append((str(part.partname).lstrip("/"), part.element))
    return found


def side_labels(doc: Any) -> dict[str, str]:
    """Part name → ``第 1 节页眉`` for the parts of ``doc`` (a python-docx Document)."""
    rels = {
        rid: (str(rel.target_part.partname).lstrip("/"), rel.reltype)
        for rid, rel in doc.part.rels.items()
        if not rel.is_external and rel.reltype in SIDE_TYPES
    }
    return labels(doc.element.body, rels)


def labels(body: Any, rels: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Part name → its label, from the sections of ``body`` and the document's
    relationships ``rels`` (rId → (part name, relationship type))."""
    out: dict[str, str] = {}
    sections = list(body.iter(qn("w:sectPr")))
    for number, sect in enumerate(sections, start=1):
        for ref in sect:
            if ref.tag not in (qn("w:headerReference"), qn("w:footerReference")):
                continue
            target = rels.get(ref.get(qn("r:id"), ""))
            if target is None or target[0] in out:
                continue
            kind = _KINDS.get(ref.get(qn("w:type"), "default"), "")
            where = f"第 {number} 节" if len(sections) > 1 else ""
            out[target[0]] = f"{where}{kind}{SIDE_TYPES[target[1]]}"
    for name, reltype in rels.values():
        out.setdefault(name, SIDE_TYPES[reltype])
    return out
