"""The comments a tracked refresh leaves for the reviewers (``refresh --track``).

Figures in prose and tables change as tracked changes; a chart cannot show a revision, so
each changed chart gets a comment under it (on its caption) with the old and new values,
and the report gets one summary comment at its top listing every change, and the
hand-typed figures the data now contradicts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn

from docxreport.render.revisions import AUTHOR

if TYPE_CHECKING:
    from docxreport.refreshed import Refreshed
    from docxreport.render.patch import ReportFile

_P, _PPR = qn("w:p"), qn("w:pPr")


def comment_changes(report: ReportFile, done: Refreshed) -> None:
    """A comment on each changed chart's caption and a summary comment at the top."""
    assert report.revisions is not None
    when = report.revisions.date.replace("T", " ")
    for found, place, lines in done.charts:
        p = next(found.start.iterancestors(_P), None)
        caption = p.getnext() if p is not None else None
        anchor = caption if caption is not None and caption.tag == _P and _content(caption) else p
        if anchor is not None and _content(anchor):
            head = f"{when} 数据更新：{place} 的数据有变化（图表不能显示修订），改动如下："
            report.comment(*_ends(anchor), [head, *lines])
    top = next((p for p in report.root.iter(_P) if _content(p) and _text(p).strip()), None)
    if top is None:
        return
    charts = "；图表的改动见各图下的批注" if done.charts else ""
    head = (
        f"{when} 按工作簿的最新数据更新本报告，共 {len(done.changes)} 处数字有变化。"
        f"正文和表格中的改动已标为修订（作者“{AUTHOR}”），请逐处审阅后接受或拒绝{charts}。"
    )
    typed = [f"手写的数字与数据不一致（未改动）：{f.line()}" for f in done.handwritten]
    report.comment(*_ends(top), [head, *(c.line() for c in done.changes), *typed])


def _content(p: Any) -> list[Any]:
    return [c for c in p if c.tag != _PPR]


def _ends(p: Any) -> tuple[Any, Any]:
    content = _content(p)
    return content[0], content[-1]


def _text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))
