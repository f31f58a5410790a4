"""Plain text of a .docx, in reading order, for reviewing templates and reports.

Paragraphs are printed with their style in brackets; table rows as cells
separated by `` | ``; a chart as its alt text and the values it caches, one row per
series. Text as it reads with every tracked change accepted: a tracked insertion's
text counts, a tracked deletion's does not. Used by ``docxreport dump`` and as a git
textconv.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from docxreport.errors import DocxreportError
from docxreport.render.chartpatch import chart_values
from docxreport.render.charts import R, number_text


def blocks(path: Path) -> Iterator[str]:
    try:
        doc = Document(str(path))
    except Exception as exc:
        raise DocxreportError(f"{path} 不是可读的 Word 文件（{type(exc).__name__}）") from exc
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            yield from _charts(doc, item)
            text = text_of(item).strip()
            if text:
                yield f"[{item.style.name}] {text}"
        elif isinstance(item, Table):
            yield from _table(item)


def _table(table: Table) -> Iterator[str]:
    yield "[表格]"
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is last:  # a horizontally merged cell repeats
                continue
            last = cell._tc
            cells.append(" ".join("\n".join(map(text_of, cell.paragraphs)).split()))
        yield "  " + " | ".join(cells)


def _charts(doc, paragraph: Paragraph) -> Iterator[str]:  # type: ignore[no-untyped-def]
    for ref in paragraph._p.iter("{*}chart"):
        part = doc.part.related_parts.get(ref.get(f"{{{R}}}id"))
        if part is None:
            continue
        doc_pr = next(paragraph._p.iter("{*}docPr"), None)
        yield f"[图表] {doc_pr.get('descr', '') if doc_pr is not None else ''}".rstrip()
        categories, series = chart_values(part.blob)
        yield "  " + " | ".join(["", *categories])
        for name, values in series:
            texts = ["—" if v is None else number_text(v) for v in values]
            yield "  " + " | ".join([name, *texts])


_DELETED = (qn("w:del"), qn("w:moveFrom"))


def text_of(paragraph: Paragraph) -> str:
    """A paragraph's text with tracked insertions (python-docx's ``text`` leaves out
    runs inside ``w:ins``) and without tracked deletions."""
    p = paragraph._p
    return "".join(Run(r, paragraph).text for r in p.iter(qn("w:r")) if _shown(r, p))


def _shown(run: Any, p: Any) -> bool:
    """Whether ``run`` belongs to ``p`` itself (not a text box in it) and is not deleted."""
    for ancestor in run.iterancestors():
        if ancestor is p:
            return True
        if ancestor.tag in _DELETED or ancestor.tag == qn("w:p"):
            return False
    return False
