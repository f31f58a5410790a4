"""Data updates written as tracked changes (修订) and comments, for review in Word/WPS.

With ``refresh --track`` a figure that changes is not overwritten: its old text goes
into a ``w:del`` (as ``w:delText``) and the new text into a ``w:ins`` beside it, both by
the author :data:`AUTHOR` at the time of the refresh, inside the figure's bookmark. So:

- accepting the change leaves the new text in the bookmark: the figure stays bound;
- rejecting it leaves the old text there: the next refresh finds text that is not what
  it printed and lists it as the staff's choice (see :mod:`docxreport.refresh`);
- while the change is pending, the bookmark's text (``w:t`` only) is the new text, so a
  second refresh updates the pending insertion instead of stacking another.

Charts cannot carry revision marks; their changes go into comments (``w:comment``).
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

AUTHOR = "docxreport（数据更新）"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
INITIALS = "DR"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_IDS = etree.XPath(
    "//@w:id", namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
)


def _w(name: str, **attrs: str) -> Any:
    el = etree.Element(qn(f"w:{name}"), nsmap={"w": _W})
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


class Revisions:
    """Writes tracked replacements and comments into one report's parts."""

    def __init__(self, roots: list[Any], when: datetime | None = None) -> None:
        # local time without a zone: Word and WPS show it as it is (a "Z" would be read
        # as local time by Word anyway, and shifted by LibreOffice)
        self.date = (when or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S")
        # ids unique among all annotations (bookmarks, comments, revisions) of the document
        taken = [int(v) for root in roots for v in _IDS(root) if v.isdigit()]
        self.next_id = max(taken, default=0) + 1

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id - 1)

    def mark(self, name: str) -> Any:
        return _w(name, id=self._id(), author=AUTHOR, date=self.date)

    def replace(self, nodes: list[Any], text: str) -> bool:
        """Replace the text of ``nodes`` (the runs between a bookmark's start and end,
        siblings in one paragraph) by ``text`` as a tracked change; False when the runs
        are of a kind this cannot track (then the caller overwrites them)."""
        ours = [n for n in nodes if n.tag == qn("w:ins") and n.get(qn("w:author")) == AUTHOR]
        if ours:  # a data update still pending: it takes the newest value
            texts = [t for n in ours for t in n.iter(qn("w:t"))]
            if not texts:
                return False
            texts[0].text = text
            for t in texts[1:]:
                t.text = ""
            ours[0].set(qn("w:date"), self.date)
            return True
        runs = [n for n in nodes if n.tag == qn("w:r")]
        if not runs or len(runs) != len(nodes):
            return False  # staff's own revisions or fields inside: not touched here
        deleted = self.mark("del")
        inserted = self.mark("ins")
        runs[0].addprevious(deleted)
        deleted.addnext(inserted)
        inserted.append(_text_run(runs[0], text))
        for run in runs:
            deleted.append(run)
            for t in run.findall(qn("w:t")):
                t.tag = qn("w:delText")
        return True

    def insert(self, paragraph: Any, like: Any | None, text: str) -> None:
        """A tracked insertion of ``text`` at the end of ``paragraph`` (an empty cell)."""
        inserted = self.mark("ins")
        inserted.append(_text_run(like, text))
        paragraph.append(inserted)


def _text_run(like: Any | None, text: str) -> Any:
    """A run holding ``text`` with the formatting of run ``like``."""
    run = _w("r")
    rpr = like.find(qn("w:rPr")) if like is not None else None
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = etree.SubElement(run, qn("w:t"))
    t.text = text
    t.set(_XML_SPACE, "preserve")
    return run


def between(start: Any, end: Any) -> list[Any]:
    """The siblings from a bookmark's start to its end (same paragraph)."""
    out, node = [], start.getnext()
    while node is not None and node is not end:
        if node.tag not in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            out.append(node)
        node = node.getnext()
    return out


def has_pending(start: Any, end: Any) -> bool:
    """Whether a data update of ours waits for review between a bookmark's ends."""
    return any(
        n.tag == qn("w:ins") and n.get(qn("w:author")) == AUTHOR for n in between(start, end)
    )


def accept_all(root: Any) -> None:
    """What Word's 接受所有修订 does to insertions and deletions (for tests and tools)."""
    for deleted in list(root.iter(qn("w:del"))):
        if deleted.getparent() is not None and deleted.getparent().tag != qn("w:rPr"):
            deleted.getparent().remove(deleted)
    for inserted in list(root.iter(qn("w:ins"))):
        _unwrap(inserted)


def reject_all(root: Any) -> None:
    """What Word's 拒绝所有修订 does to insertions and deletions."""
    for inserted in list(root.iter(qn("w:ins"))):
        if inserted.getparent() is not None and inserted.getparent().tag != qn("w:rPr"):
            inserted.getparent().remove(inserted)
    for deleted in list(root.iter(qn("w:del"))):
        for t in deleted.iter(qn("w:delText")):
            t.tag = qn("w:t")
        _unwrap(deleted)


def _unwrap(el: Any) -> None:
    parent = el.getparent()
    if parent is None or parent.tag == qn("w:rPr"):
        return
    for child in list(el):
        el.addprevious(child)
    parent.remove(el)


# -- comments ---------------------------------------------------------------------------------

COMMENTS = "word/comments.xml"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"


def comments_root(blobs: dict[str, bytes], infos: list[Any]) -> Any:
    """The report's comments part, parsed; made (with its relationship and content type)
    when the report has none."""
    import zipfile

    if COMMENTS in blobs:
        return etree.fromstring(blobs[COMMENTS])
    root = etree.Element(qn("w:comments"), nsmap={"w": _W})
    infos.append(zipfile.ZipInfo(COMMENTS, date_time=infos[0].date_time))
    rels_name = "word/_rels/document.xml.rels"
    rels = etree.fromstring(blobs[rels_name])
    taken = {r.get("Id") for r in rels}
    rid = next(f"rId{n}" for n in range(1000, 100000) if f"rId{n}" not in taken)
    etree.SubElement(
        rels, f"{{{_PR}}}Relationship", Id=rid, Type=_COMMENTS_REL, Target="comments.xml"
    )
    blobs[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(blobs["[Content_Types].xml"])
    etree.SubElement(
        types, f"{{{_CT}}}Override", PartName="/" + COMMENTS, ContentType=_COMMENTS_TYPE
    )
    blobs["[Content_Types].xml"] = etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return root


def add_comment(
    revisions: Revisions, comments: Any, first: Any, last: Any, lines: list[str]
) -> None:
    """A comment by :data:`AUTHOR` over the paragraph content from ``first`` to ``last``
    (children of one paragraph), one paragraph of the comment per line."""
    cid = revisions._id()
    comment = _w("comment", id=cid, author=AUTHOR, date=revisions.date, initials=INITIALS)
    for line in lines:
        p = etree.SubElement(comment, qn("w:p"))
        run = etree.SubElement(p, qn("w:r"))
        t = etree.SubElement(run, qn("w:t"))
        t.text = line
        t.set(_XML_SPACE, "preserve")
    comments.append(comment)
    first.addprevious(_w("commentRangeStart", id=cid))
    end = _w("commentRangeEnd", id=cid)
    last.addnext(end)
    ref = _w("r")
    ref.append(_w("commentReference", id=cid))
    end.addnext(ref)
