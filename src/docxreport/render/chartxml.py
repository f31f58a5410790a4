"""The XML of a default chart of each kind, before :mod:`.charts` makes it fit for a report.

This is the chart python-pptx writes (``ChartXmlWriter``) for a clustered or stacked
column or bar chart, a line chart with markers and a pie chart, with the data laid out
as in the chart's workbook (:mod:`docxreport.workbook.chartdata`): series names across
row 1, categories down column A, each series' values below its name. Writing it here
spares every process that draws a chart the import of python-pptx.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from docxreport.workbook.cells import column_letter

_HEAD = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
)
_TAIL = (
    '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1800"/></a:pPr>'
    '<a:endParaRPr lang="en-US"/></a:p></c:txPr></c:chartSpace>'
)
_CAT_AX = (
    '<c:catAx><c:axId val="{cat}"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
    '<c:delete val="0"/><c:axPos val="{pos}"/><c:majorTickMark val="out"/>'
    '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="{val}"/>'
    '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
    '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
)
_VAL_AX = (
    '<c:valAx><c:axId val="{val}"/><c:scaling/><c:delete val="0"/><c:axPos val="{pos}"/>'
    '<c:majorGridlines/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
    '<c:tickLblPos val="nextTo"/><c:crossAx val="{cat}"/><c:crosses val="autoZero"/>'
    "</c:valAx>"
)
# kind → (bar direction, grouping); a bar chart's category axis is on the left
_BARS = {
    "column": ("col", "clustered"),
    "bar": ("bar", "clustered"),
    "stacked_column": ("col", "stacked"),
    "stacked_bar": ("bar", "stacked"),
}
# python-pptx's axis ids, but unsigned as the schema says (python-pptx's bar axes are negative)
_BAR_AXES, _LINE_AXES = ("2068027336", "2113994440"), ("2118791784", "2140495176")
_LINE_SMOOTH = '<c:smooth val="0"/>'


def _points(values: Sequence[object]) -> str:
    return f'<c:ptCount val="{len(values)}"/>' + "".join(
        f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values) if v is not None
    )


def _series(
    index: int,
    name: str,
    categories: Sequence[str],
    values: Sequence[float],
    number_format: str,
    marker: str = "",
    after: str = "",
) -> str:
    col, rows = column_letter(2 + index), len(categories) + 1
    labels = [escape(str(c), quote=False) for c in categories]
    return (
        f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>'
        f"<c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f><c:strCache>"
        f'<c:ptCount val="1"/><c:pt idx="0"><c:v>{escape(name, quote=False)}</c:v></c:pt>'
        f"</c:strCache></c:strRef></c:tx>{marker}"
        f"<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${rows}</c:f><c:strCache>{_points(labels)}"
        f"</c:strCache></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${len(values) + 1}</c:f><c:numCache>"
        f"<c:formatCode>{escape(number_format, quote=False)}</c:formatCode>{_points(values)}"
        f"</c:numCache></c:numRef></c:val>{after}</c:ser>"
    )


def default_chart_xml(
    kind: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    number_format: str,
) -> str:
    """The default chart of ``kind`` (column, bar, stacked_column, stacked_bar, line, pie)
    drawing ``series`` (name, values) against ``categories``; a pie draws the first series."""
    if not categories:
        raise ValueError("chart data contains no categories")
    if kind == "pie":
        name, values = series[0]
        return (
            f'{_HEAD}<c:chart><c:autoTitleDeleted val="0"/><c:plotArea><c:pieChart>'
            f'<c:varyColors val="1"/>{_series(0, name, categories, values, number_format)}'
            f'</c:pieChart></c:plotArea><c:dispBlanksAs val="gap"/></c:chart>{_TAIL}'
        )
    sers = "".join(
        _series(i, name, categories, values, number_format, after=_LINE_SMOOTH * (kind == "line"))
        for i, (name, values) in enumerate(series)
    )
    if kind == "line":
        cat, val = _LINE_AXES
        return (
            f'{_HEAD}<c:date1904 val="0"/><c:chart><c:autoTitleDeleted val="0"/><c:plotArea>'
            f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{sers}'
            f'<c:marker val="1"/><c:smooth val="0"/><c:axId val="{cat}"/><c:axId val="{val}"/>'
            f"</c:lineChart>{_CAT_AX.format(cat=cat, val=val, pos='b')}"
            f"{_VAL_AX.format(cat=cat, val=val, pos='l')}</c:plotArea>"
            '<c:legend><c:legendPos val="r"/><c:layout/><c:overlay val="0"/></c:legend>'
            '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/><c:showDLblsOverMax val="0"/>'
            f"</c:chart>{_TAIL}"
        )
    direction, grouping = _BARS[kind]
    cat, val = _BAR_AXES
    cat_pos, val_pos = ("l", "b") if direction == "bar" else ("b", "l")
    overlap = '<c:overlap val="100"/>' if grouping == "stacked" else ""
    return (
        f'{_HEAD}<c:date1904 val="0"/><c:chart><c:autoTitleDeleted val="0"/><c:plotArea>'
        f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="{grouping}"/>{sers}'
        f'{overlap}<c:axId val="{cat}"/><c:axId val="{val}"/></c:barChart>'
        f"{_CAT_AX.format(cat=cat, val=val, pos=cat_pos)}"
        f"{_VAL_AX.format(cat=cat, val=val, pos=val_pos)}</c:plotArea>"
        f'<c:dispBlanksAs val="gap"/></c:chart>{_TAIL}'
    )
