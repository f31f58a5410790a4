"""Where every printed figure came from: one entry per figure a report prints.

The entries are made from what the rendered document holds (the items
:class:`~docxreport.render.marks.Marks` found), so that a figure printed twice has
two rows and a figure only tested by the template has none. The build writes them
to ``数据来源.xlsx`` so that the bureau can answer for any number.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from docxreport.model import Figure, is_pending
from docxreport.view.charts import ChartView
from docxreport.view.grids import ledger_rows
from docxreport.view.report import Moved, Printed, TableView

PROSE = "正文"


@dataclass(frozen=True)
class Entry:
    report: str  # e.g. 全市报告, or a school's short name
    place: str  # the table (表1-5 / 附表3), the chart (图：…) or 正文
    row: str
    column: str
    printed: str
    figure: Figure

    @property
    def source(self) -> str:
        """The cells, in Chinese: one cell, or the rule and every cell it combined."""
        cells = "；".join(str(loc) for loc in self.figure.sources)
        if not self.figure.rule:
            return cells
        return f"{self.figure.rule}（{cells}）" if cells else self.figure.rule


def entries(report: str, printed: Iterable[Any]) -> list[Entry]:
    """One entry per figure in ``printed`` (the items found in a document, in order);
    neither a dash nor a draft's 【待补】 is a figure, and has none."""
    return [e for e in _entries(report, printed) if not (e.figure.empty or is_pending(e.figure))]


def _entries(report: str, printed: Iterable[Any]) -> Iterator[Entry]:
    for item in printed:
        if isinstance(item, Printed):
            yield Entry(report, PROSE, item.name, item.column, item.text, item.figure)
        elif isinstance(item, tuple) and isinstance(item[0], Moved):
            moved, part = item
            if part == "word":
                continue  # 增加/减少 is a word, not a figure
            figure = moved.pct_figure if part == "pct" else moved.abs_figure
            unit = "（%）" if part == "pct" else ""
            text = moved.pct if part == "pct" else moved.abs
            yield Entry(report, PROSE, moved.name, f"较上年{moved.word}{unit}", text, figure)
        elif isinstance(item, TableView):
            for row, column, text, figure in ledger_rows(item.grid):
                yield Entry(report, item.place, row, column, text, figure)
        elif isinstance(item, ChartView):
            for series in item.series:
                for point in series.points:
                    yield Entry(
                        report, item.place, point.category, series.name, point.text, point.figure
                    )
