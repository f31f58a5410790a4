"""Turn a published report back into a template: next year starts from its wording.

Every marked piece becomes its template tag again: a figure ``{{ v("students") }}``, a
change ``{{ change("students").pct }}``, a year ``{{ year }}``, a table
``{{p table("1-5") }}``, a chart ``{{p chart("1-5", "students", …) }}``, a block of photos or cases ``{{p figures("1.2") }}``, the
compiling group the template's own ``{%p for m in team %}`` loop, a contents list
``{{ toc("表") }}``. Heading and caption numbers come out (the build numbers again).
Everything else stays as staff wrote it. What no mark covers but looks like data (a
year or a number typed by hand) is listed: next year it would be wrong.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from docxreport.render.chartpatch import chart_rid, drop_chart
from docxreport.render.marks import PREFIX, Mark, paragraph_text
from docxreport.render.numbering import BOOKMARK_PREFIX
from docxreport.render.patch import Bookmark, ReportFile
from docxreport.render.state import ITEM, NS, PROPS
from docxreport.view.charts import ChartSpec

_TOC_KIND = re.compile(r'TOC\b.*?(?:\\c\s+"([^"]+)"|(\\o))')
_HEADING_NUMBER = re.compile(r"^\d+(\.\d+)*\.? $")
_CAPTION_LABEL = re.compile(r"^(表|图|案例) \d+-$")
# A year, or a number that reads as data: not a reference (表1, 第3章), not an item
# number ((1), 1.) and not part of a code or a range (1-5).
_LITERAL = re.compile(
    r"(?<![\d.])(?:19|20)\d{2}(?:\s*年)?"
    r"|(?<![\d.\-表图例第（(])\d+(?:\.\d+)?(?![\d\-）)]|\.\s|、)"
)
_TAG = re.compile(r"\{[{%#].*?[}%#]\}")
TEXT_TAGS = {
    "year": "{{ year }}",
    "prev_year": "{{ prev_year }}",
    "publish_date": "{{ publish_date }}",
    "declaration_date": "{{ declaration_date }}",
    "reviewers": "{{ reviewers }}",
    "majors_school": "{{ majors_school }}",
    "majors_school_full": "{{ majors_school_full }}",
    **{f"region.{f}": f"{{{{ region.{f} }}}}" for f in ("name", "full_name", "code", "bureau")},
    **{f"school.{f}": f"{{{{ school.{f} }}}}" for f in ("short", "full")},
}


@dataclass(frozen=True)
class Handwritten:
    """A year or number in the prose that no mark covers."""

    where: str
    text: str

    def line(self) -> str:
        return f"{self.where}：“{self.text}”是手写的，下一年度不会自动更新"


def tag_for(mark: Mark) -> str | None:
    """The template tag that prints what ``mark`` printed; None for blocks and tables."""
    if mark.kind == "figure":
        return (
            f'{{{{ v("{mark.key}") }}}}'
            if mark.part == "curr"
            else f'{{{{ v("{mark.key}", "prev") }}}}'
        )
    if mark.kind == "change":
        return f'{{{{ change("{mark.key}").{mark.part} }}}}'
    if mark.kind == "text":
        return TEXT_TAGS.get(mark.key)
    return None


def _paragraph(text: str, like: Any | None = None) -> Any:
    """A paragraph holding ``text`` (with ``like``'s paragraph properties)."""
    p = etree.Element(qn("w:p"))
    if like is not None and like.find(qn("w:pPr")) is not None:
        p.append(copy.deepcopy(like.find(qn("w:pPr"))))
    run = etree.SubElement(p, qn("w:r"))
    t = etree.SubElement(run, qn("w:t"))
    t.text = text
    return p


def _top(node: Any, body: Any) -> Any:
    """The child of ``body`` that holds ``node``."""
    while node.getparent() is not body:
        node = node.getparent()
    return node


def _replace_span(body: Any, first: Any, last: Any, new: list[Any]) -> None:
    """Put ``new`` in place of the body's children from ``first`` to ``last``."""
    children = list(body)
    start, end = children.index(first), children.index(last)
    for el in new:
        first.addprevious(el)
    for el in children[start : end + 1]:
        body.remove(el)


class Unbinder:
    """Turns one report (a :class:`ReportFile`) into a template, in place."""

    def __init__(self, report: ReportFile, team_loop: list[Any] | None) -> None:
        self.report = report
        self.body = report.root.find(qn("w:body"))
        self.team_loop = team_loop
        self.notes: list[str] = []

    def run(self) -> list[Handwritten]:
        state = self.report.state
        assert state is not None
        marks = self.report.bookmarks()
        blocks: dict[tuple[str, str], list[Bookmark]] = {}
        team: list[Bookmark] = []
        for mark in state.marks:
            found = marks.get(mark.name)
            if found is None or found.end is None:
                continue
            if mark.kind == "table":
                table = next(found.start.iterancestors(qn("w:tbl")), None)
                if table is not None:
                    top = _top(table, self.body)
                    _replace_span(
                        self.body, top, top, [_paragraph(f'{{{{p table("{mark.key}") }}}}')]
                    )
            elif mark.kind == "chart":
                self._chart(found, mark)
            elif mark.kind == "block":
                blocks.setdefault((mark.key, mark.part), []).append(found)
            elif mark.kind == "text" and mark.key == "team":
                team.append(found)
            elif (tag := tag_for(mark)) is not None and found.text() == mark.printed:
                self.report.set_text(found, tag)
        for (section, kind), found in blocks.items():
            first, last = _top(found[0].start, self.body), _top(found[-1].start, self.body)
            _replace_span(self.body, first, last, [_paragraph(f'{{{{p {kind}("{section}") }}}}')])
        self._team(team)
        self._contents()
        self._numbers()
        self._bookmarks()
        self.report.changed_parts.add("word/document.xml")
        self.report.remove_draft_mark()
        self._drop_state()
        return self._handwritten()

    def _chart(self, found: Bookmark, mark: Mark) -> None:
        """The chart's paragraph back to its chart() tag; the chart part leaves the package."""
        spec = ChartSpec.from_key(mark.key)
        rid = next((r for run in found.runs() if (r := chart_rid(run))), None)
        if spec is None or rid is None:
            return
        top = _top(found.start, self.body)
        _replace_span(self.body, top, top, [_paragraph(spec.tag())])
        self.report.changed_parts.update(drop_chart(self.report.blobs, rid))

    def _team(self, team: list[Bookmark]) -> None:
        if not team:
            return
        tops = [_top(b.start, self.body) for b in team]
        if self.team_loop is None:
            self.notes.append(
                "模板中找不到编制组的 {%p for m in team %} 循环，编制组名单保留为手写文字"
            )
            return
        _replace_span(self.body, tops[0], tops[-1], [copy.deepcopy(p) for p in self.team_loop])

    def _contents(self) -> None:
        """Each contents list (a TOC field over several paragraphs) back to its toc() tag."""
        paragraphs = list(self.body.iter(qn("w:p")))
        i = 0
        while i < len(paragraphs):
            p = paragraphs[i]
            instr = "".join(x.text or "" for x in p.iter(qn("w:instrText")))
            found = _TOC_KIND.search(instr) if instr.strip().startswith("TOC") else None
            if found is None:
                i += 1
                continue
            kind = found.group(1) or "headings"
            depth, j = 0, i
            while j < len(paragraphs):
                for ch in paragraphs[j].iter(qn("w:fldChar")):
                    depth += {"begin": 1, "end": -1}.get(ch.get(qn("w:fldCharType")), 0)
                if depth <= 0:
                    break
                j += 1
            last = paragraphs[min(j, len(paragraphs) - 1)]
            if p.getparent() is self.body and last.getparent() is self.body:
                _replace_span(self.body, p, last, [_paragraph(f'{{{{ toc("{kind}") }}}}')])
            i = j + 1

    def _numbers(self) -> None:
        """Take out the numbers the build put before headings and captions."""
        for p in self.body.iter(qn("w:p")):
            if not any(
                b.get(qn("w:name"), "").startswith(BOOKMARK_PREFIX)
                for b in p.iter(qn("w:bookmarkStart"))
            ):
                continue
            runs = [r for r in p if r.tag == qn("w:r")]
            if not runs:
                continue
            first = "".join(t.text or "" for t in runs[0].iter(qn("w:t")))
            if _HEADING_NUMBER.match(first):
                p.remove(runs[0])
            elif _CAPTION_LABEL.match(first):
                self._strip_caption(p, runs)

    @staticmethod
    def _strip_caption(p: Any, runs: list[Any]) -> None:
        """Remove ``表 1-`` + the SEQ field + the space after it."""
        p.remove(runs[0])
        depth = 0
        for run in runs[1:]:
            chars = [c.get(qn("w:fldCharType")) for c in run.iter(qn("w:fldChar"))]
            depth += chars.count("begin") - chars.count("end")
            p.remove(run)
            if depth <= 0 and "end" in chars:
                break
        rest = [r for r in p if r.tag == qn("w:r")]
        if rest and "".join(t.text or "" for t in rest[0].iter(qn("w:t"))) == " ":
            p.remove(rest[0])

    def _bookmarks(self) -> None:
        """Our bookmarks (marks and contents anchors) are the build's to make again."""
        ours = (PREFIX, BOOKMARK_PREFIX)
        for name, root in self.report.roots.items():
            ids = set()
            for b in list(root.iter(qn("w:bookmarkStart"))):
                if b.get(qn("w:name"), "").startswith(ours):
                    ids.add(b.get(qn("w:id")))
                    b.getparent().remove(b)
            for e in list(root.iter(qn("w:bookmarkEnd"))):
                if e.get(qn("w:id")) in ids:
                    e.getparent().remove(e)
            if ids:
                self.report.changed_parts.add(name)

    def _drop_state(self) -> None:
        report = self.report
        name = report.state_name
        if not name:
            return
        item = "/" + name
        props = [
            n for n in report.blobs if n.startswith("customXml/itemProps") and _ours(report, n)
        ]
        drop = {name, f"customXml/_rels/{name.split('/')[-1]}.rels", *props}
        report.infos = [i for i in report.infos if i.filename not in drop]
        for part in drop:
            report.blobs.pop(part, None)
        rels = "word/_rels/document.xml.rels"
        tree = etree.fromstring(report.blobs[rels])
        for rel in list(tree):
            if rel.get("Target", "").endswith(name.split("/")[-1]):
                tree.remove(rel)
        report.blobs[rels] = etree.tostring(
            tree, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        types = "[Content_Types].xml"
        tree = etree.fromstring(report.blobs[types])
        for override in list(tree):
            if override.get("PartName") in {item, *("/" + p for p in props), ITEM, PROPS}:
                tree.remove(override)
        report.blobs[types] = etree.tostring(
            tree, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        report.state_name = ""

    def _handwritten(self) -> list[Handwritten]:
        found = []
        heading = ""
        for p in self.body.iter(qn("w:p")):
            style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            value = "" if style is None else style.get(qn("w:val"), "")
            text = paragraph_text(p)
            if value.startswith(("Heading", "heading")):
                heading = text.strip()
                continue
            if any(a.tag == qn("w:tbl") for a in p.iterancestors()):
                continue
            bare = _TAG.sub(" ", text)
            for match in _LITERAL.finditer(bare):
                start, end = max(0, match.start() - 10), min(len(bare), match.end() + 8)
                around = (
                    ("…" if start else "")
                    + bare[start:end].strip()
                    + ("…" if end < len(bare) else "")
                )
                found.append(
                    Handwritten(
                        f"{heading} › “{around}”" if heading else f"“{around}”",
                        match.group(0).strip(),
                    )
                )
        return found


def _ours(report: ReportFile, name: str) -> bool:
    """Whether the customXml props part ``name`` describes our state part."""
    return NS.encode() in report.blobs.get(name, b"")


def team_loop(template: bytes) -> list[Any] | None:
    """The paragraphs of a template's ``{%p for m in team %}`` … ``{%p endfor %}`` loop."""
    root = etree.fromstring(template)
    body = root.find(qn("w:body"))
    if body is None:
        return None
    children = list(body)
    texts = [paragraph_text(c) if c.tag == qn("w:p") else "" for c in children]
    start = next(
        (i for i, t in enumerate(texts) if re.search(r"\{%p?\s*for\s+\w+\s+in\s+team\b", t)), None
    )
    if start is None:
        return None
    end = next(
        (i for i in range(start, len(texts)) if re.search(r"\{%p?\s*endfor", texts[i])), None
    )
    return None if end is None else [copy.deepcopy(c) for c in children[start : end + 1]]
