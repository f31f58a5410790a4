"""Native Word charts: a chart part with cached values and an embedded workbook.

The chart XML starts as python-pptx's default chart (:mod:`.chartxml`) and is then made
fit for a report: no rounded corners, East Asian fonts, values labelled with the catalog's
number format, a legend below, and ``c:externalData`` pointing at the embedded
workbook (without it, 编辑数据 in Word and WPS does nothing). The chart stands inline
in its own paragraph (``w:drawing/wp:inline/…/c:chart``), so staff can restyle it.

LibreOffice draws a chart from the values cached in its XML (``c:v``), Word from the
same cache until the data is edited: the cache and the workbook always carry the same
values. Refresh rewrites only those values (:func:`update_chart_xml`), keeping the
series' and the chart's formatting as staff left it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from docxreport.render.chartxml import default_chart_xml
from docxreport.view.charts import ChartView
from docxreport.workbook.chartdata import write_chart_workbook

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PACKAGE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
EMU_PER_MM = 36000
WIDTH_MM, HEIGHT_MM = 150.0, 85.0
FONT_EA, FONT_LATIN = "宋体", "Times New Roman"
FONT_SIZE = 900  # 9 pt, in hundredths of a point
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
_LABEL_POSITION = {
    "column": "outEnd",
    "bar": "outEnd",
    "stacked_column": "ctr",
    "stacked_bar": "ctr",
    "line": "t",
    "pie": "bestFit",
}


def _c(tag: str) -> str:
    return f"{{{C}}}{tag}"


def _el(tag: str, parent: Any = None, **attrs: str) -> Any:
    ns, _, name = tag.partition(":")
    full = f"{{{C if ns == 'c' else A}}}{name}"
    el = etree.Element(full) if parent is None else etree.SubElement(parent, full)
    for key, value in attrs.items():
        el.set(key, value)
    return el


def _values(view: ChartView) -> list[tuple[str, list[float | None]]]:
    return [(s.name, [p.value for p in s.points]) for s in view.series]


def number_text(value: float) -> str:
    """A value as the chart cache writes it: whole numbers without a point."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# -- writing a chart ---------------------------------------------------------------------------


def chart_xml(view: ChartView, workbook_rid: str) -> bytes:
    """The chart part of ``view``, its data in the workbook related as ``workbook_rid``."""
    series = [(name, [0.0 if v is None else v for v in values]) for name, values in _values(view)]
    xml = default_chart_xml(view.spec.kind, view.categories, series, view.number_format)
    root = etree.fromstring(xml.encode(), _SAFE)
    for ser, (_, values) in zip(root.iter(_c("ser")), _values(view), strict=True):
        _fill_numbers(ser.find(f"{_c('val')}//{_c('numCache')}"), values)
        _labels(ser, view)
    _tune(root, view, workbook_rid)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _labels(ser: Any, view: ChartView) -> None:
    """Every value labelled, in the catalog's number format (c:dLbls before c:cat)."""
    labels = _el("c:dLbls")
    _el("c:numFmt", labels, formatCode=view.number_format, sourceLinked="0")
    _el("c:spPr", labels)
    labels.append(_text_props(FONT_SIZE))
    _el("c:dLblPos", labels, val=_LABEL_POSITION[view.spec.kind])
    for name, on in (
        ("showLegendKey", "0"),
        ("showVal", "1"),
        ("showCatName", "0"),
        ("showSerName", "0"),
        ("showPercent", "0"),
        ("showBubbleSize", "0"),
    ):
        _el(f"c:{name}", labels, val=on)
    if view.spec.kind == "pie":
        _el("c:showLeaderLines", labels, val="1")
    ser.find(_c("cat")).addprevious(labels)


def _text_props(size: int) -> Any:
    """c:txPr with the East Asian font set (a:ea), so Chinese labels use a Chinese font."""
    tx = _el("c:txPr")
    _el("a:bodyPr", tx)
    _el("a:lstStyle", tx)
    p = _el("a:p", tx)
    ppr = _el("a:pPr", p)
    rpr = _el("a:defRPr", ppr, sz=str(size))
    _el("a:latin", rpr, typeface=FONT_LATIN)
    _el("a:ea", rpr, typeface=FONT_EA)
    _el("a:cs", rpr, typeface=FONT_LATIN)
    _el("a:endParaRPr", p, lang="zh-CN")
    return tx


def _tune(root: Any, view: ChartView, workbook_rid: str) -> None:
    chart = root.find(_c("chart"))
    chart.addprevious(_el("c:roundedCorners", val="0"))
    chart.find(_c("autoTitleDeleted")).set("val", "1")  # the caption under it is the title
    plot = chart.find(_c("plotArea"))
    legend = _el("c:legend")
    _el("c:legendPos", legend, val="b")
    _el("c:overlay", legend, val="0")
    plot.addnext(legend)
    legend.addnext(_el("c:plotVisOnly", val="1"))
    pie = plot.find(_c("pieChart"))
    if pie is not None and pie.find(_c("varyColors")) is None:
        pie.insert(0, _el("c:varyColors", val="1"))
    for axis in plot.iter(_c("valAx")):
        ticks = axis.find(_c("majorTickMark"))
        ticks.addprevious(_el("c:numFmt", formatCode=view.number_format, sourceLinked="1"))
    old = root.find(_c("txPr"))
    new = _text_props(FONT_SIZE)
    if old is not None:
        old.addprevious(new)
        root.remove(old)
    else:
        chart.addnext(new)
    external = _el("c:externalData")
    external.set(f"{{{R}}}id", workbook_rid)
    _el("c:autoUpdate", external, val="0")
    new.addnext(external)


def _fill(cache: Any, texts: Sequence[str | None]) -> None:
    """Replace the points of ``cache`` with ``texts`` (None: no point, a gap)."""
    for pt in cache.findall(_c("pt")):
        cache.remove(pt)
    count = cache.find(_c("ptCount"))
    if count is None:
        count = _el("c:ptCount")
        fmt = cache.find(_c("formatCode"))
        (fmt.addnext if fmt is not None else lambda e: cache.insert(0, e))(count)
    count.set("val", str(len(texts)))
    last = count
    for idx, text in enumerate(texts):
        if text is None:
            continue
        pt = _el("c:pt", idx=str(idx))
        _el("c:v", pt).text = text
        last.addnext(pt)
        last = pt


def _fill_numbers(cache: Any, values: Sequence[float | None]) -> None:
    _fill(cache, [None if v is None else number_text(v) for v in values])


def add_chart(paragraph: Any, view: ChartView, descr: str, shape_id: int) -> Any:
    """Put ``view`` as an inline chart in a new run of ``paragraph`` (python-docx).

    The chart part and its workbook are related from the paragraph's document part (a
    docxtpl subdocument shares the template's main part, so the relationship is the
    main document's). ``descr`` becomes the chart's alt text. Returns the run.
    """
    part = paragraph.part
    package = part.package
    book = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
        XLSX_CT,
        write_chart_workbook(view.categories, _values(view), view.number_format),
        package,
    )
    chart = Part(PackURI(package.next_partname("/word/charts/chart%d.xml")), CHART_CT, b"", package)
    chart._blob = chart_xml(view, chart.relate_to(book, PACKAGE_RT))
    rid = part.relate_to(chart, RT.CHART)
    run = paragraph.add_run()
    run._r.append(inline_drawing(rid, descr, shape_id))
    return run


def inline_drawing(rid: str, descr: str, shape_id: int) -> Any:
    """``w:drawing`` holding the chart related as ``rid``, sized for the text block."""
    drawing = etree.Element(qn("w:drawing"), nsmap={"wp": WP})
    inline = etree.SubElement(drawing, f"{{{WP}}}inline")
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    extent = etree.SubElement(inline, f"{{{WP}}}extent")
    extent.set("cx", str(int(WIDTH_MM * EMU_PER_MM)))
    extent.set("cy", str(int(HEIGHT_MM * EMU_PER_MM)))
    effect = etree.SubElement(inline, f"{{{WP}}}effectExtent")
    for side in ("l", "t", "r", "b"):
        effect.set(side, "0")
    doc_pr = etree.SubElement(inline, f"{{{WP}}}docPr")
    doc_pr.set("id", str(shape_id))
    doc_pr.set("name", f"图表 {shape_id}")
    doc_pr.set("descr", descr)
    etree.SubElement(inline, f"{{{WP}}}cNvGraphicFramePr")
    graphic = etree.SubElement(inline, f"{{{A}}}graphic", nsmap={"a": A})
    data = etree.SubElement(graphic, f"{{{A}}}graphicData", uri=C)
    ref = etree.SubElement(data, _c("chart"), nsmap={"c": C, "r": R})
    ref.set(f"{{{R}}}id", rid)
    return drawing


def number_drawings(body: Any) -> None:
    """Give every drawing of the document a unique id (subdocuments number on their own)."""
    for n, doc_pr in enumerate(body.iter(f"{{{WP}}}docPr"), start=1):
        doc_pr.set("id", str(n))
        if doc_pr.get("name", "").startswith("图表 "):
            doc_pr.set("name", f"图表 {n}")
