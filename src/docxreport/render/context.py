"""The names a report template sees, made from the report's view.

Templates call small functions rather than reach into the data:
``v("students")`` prints a figure, ``has("x")``/``known("x")`` test one,
``change("students")`` compares it with last year, ``table("1-5")`` /
``chart("1-5", "students")`` /
``figures("1.1.1")`` / ``cases("1.14")`` insert blocks, and ``toc("表")`` marks
where a list at the front goes.

Every printed figure and table is wrapped by :class:`~.marks.Marks`, so that the
data-source listing can be made from what the document really prints. A school
report also sees ``school``; there every figure, table and block is that school's.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docx.shared import Pt
from markupsafe import escape

from docxreport.errors import TemplateError
from docxreport.model import CURR, PERIODS
from docxreport.page import LANDSCAPE_WIDTH_MM, TEXT_WIDTH_MM
from docxreport.photos import PhotoShop
from docxreport.render.blocks import _picture_paragraph, cases_block, figures_block
from docxreport.render.marks import Marks
from docxreport.render.numbering import toc_marker
from docxreport.render.tables import cell_style_id, grid_xml
from docxreport.render.template import scratch_subdoc
from docxreport.view.charts import ChartView, parse_spec
from docxreport.view.report import Moved, Printed, Region, ReportView, SchoolInfo, TableView

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

# The functions and names every template may use; check --templates reads this list.
FUNCTIONS = ("v", "has", "known", "change", "table", "chart", "figures", "cases", "toc")
CHART_SHAPE_IDS = 90001  # first drawing id of a chart (ids are made unique after rendering)


class Xml:
    """Word XML a template prints as it is (docxtpl's ``{{p …}}``), like a subdocument."""

    def __init__(self, xml: str) -> None:
        self.xml = xml

    def __html__(self) -> str:
        return self.xml

    def __str__(self) -> str:
        return self.xml


@dataclass(frozen=True)
class BlockItem:
    """Photos or cases of a section, as printed (``kind`` figures or cases)."""

    section: str
    kind: str


@dataclass(frozen=True)
class TextItem:
    """A data-driven text that is not a figure: the year, a date, a name."""

    name: str
    text: str


class MarkedInt(int):
    """An int (a year) that prints marked, so that a report knows where it came from."""

    html: str

    def __new__(cls, value: int, html: str) -> MarkedInt:
        new = super().__new__(cls, value)
        new.html = html
        return new

    def __html__(self) -> str:
        return self.html


class MarkedStr(str):
    """A str (a date, a name) that prints marked."""

    html: str

    def __new__(cls, value: str, html: str) -> MarkedStr:
        new = super().__new__(cls, value)
        new.html = html
        return new

    def __html__(self) -> str:
        return self.html


def identify(item: Any) -> tuple[str, str, str, str]:
    """What a printed item stands for: (kind, key, part, school), as a mark records it."""
    if isinstance(item, Printed):
        return ("figure", item.key, item.period, "")
    if isinstance(item, tuple) and isinstance(item[0], Moved):
        return ("change", item[0].key, item[1], "")
    if isinstance(item, TableView):
        return ("table", item.id, "", item.school or "")
    if isinstance(item, BlockItem):
        return ("block", item.section, item.kind, "")
    if isinstance(item, TextItem):
        return ("text", item.name, "", "")
    if isinstance(item, ChartView):
        return ("chart", item.spec.key(), item.spec.kind, "")
    raise TypeError(f"not a printed item: {item!r}")


@dataclass(frozen=True)
class ChangeText:
    """What ``change("key")`` gives a template: ``.word`` 增加/减少/持平, ``.abs`` and
    ``.pct`` (printed figures), ``.known`` (both years known), ``.flat`` (no change) and
    ``.has_pct`` (the percentage can be computed: last year was not zero); ``.up`` and
    ``.down`` say the figure rose or fell, for a sentence whose words follow the data."""

    word: str
    abs: str
    pct: str
    known: bool
    flat: bool
    has_pct: bool
    up: bool = False
    down: bool = False


def _take_out(sd: Any) -> Xml:
    """What the scratch subdocument ``sd`` holds, as XML; ``sd`` is left empty."""
    body = sd.subdocx.element.body
    section = deepcopy(body.sectPr)  # python-docx sizes tables from it; _get_xml drops it
    xml = Xml(sd._get_xml())
    for child in list(body):
        body.remove(child)
    body.append(section)
    return xml


class Context:
    """Builds the Jinja context of one report and remembers what it handed out."""

    def __init__(
        self,
        view: ReportView,
        tpl: DocxTemplate | None,
        marks: Marks | None = None,
        shop: PhotoShop | None = None,
        trace: bool = False,
    ) -> None:
        """With ``trace`` the figures are only marked: tables, photos and cases come out
        empty (a table's mark stands alone), so a template can be filled quickly to learn
        what it prints."""
        self.view, self.tpl, self.trace = view, tpl, trace
        self.marks = marks or Marks()
        self.shop = shop or PhotoShop()
        self.asked: set[str] = set()  # sections the template asked for photos or cases
        self._sd: Any = None
        self._cell_style: str | None = None
        self.charts = CHART_SHAPE_IDS - 1  # the last chart's drawing id

    def _printed(self, key: str, period: str) -> Printed:
        if period not in PERIODS:
            raise TemplateError(f"模板中的期间“{period}”应为 prev 或 curr")
        found = self.view.figures.get((key, period))
        if found is None:
            raise TemplateError(f"模板引用了指标目录中没有的指标“{key}”")
        return found

    def v(self, key: str, period: str = CURR) -> str:
        printed = self._printed(key, period)
        return self.marks.wrap(printed, printed.text)

    def has(self, key: str, period: str = CURR) -> bool:
        return self._printed(key, period).nonzero

    def known(self, key: str, period: str = CURR) -> bool:
        return not self._printed(key, period).empty

    def change(self, key: str) -> ChangeText:
        found: Moved | None = self.view.changes.get(key)
        if found is None:
            self._printed(key, CURR)  # an unknown key says so
            raise TemplateError(f"指标“{key}”不是数字，不能与上年比较")
        return ChangeText(
            self.marks.wrap((found, "word"), found.word),
            self.marks.wrap((found, "abs"), found.abs),
            self.marks.wrap((found, "pct"), found.pct),
            found.known,
            found.flat,
            not found.pct_figure.empty,
            found.sign > 0,
            found.sign < 0,
        )

    def table(self, table_id: str, of_school: str | None = None) -> Any:
        if table_id not in self.view.tables:
            raise TemplateError(f"模板引用了指标目录中没有的表格“{table_id}”")
        found = self.view.tables[table_id]
        if of_school is not None:
            found = self._school_table(table_id, str(of_school))
        if found is None:
            return ""  # a school list that no school filled in
        if self.trace:  # the mark alone, in a paragraph of its own
            return Xml(f"<w:p><w:r><w:t>{self.marks.wrap(found, '')}</w:t></w:r></w:p>")
        width = LANDSCAPE_WIDTH_MM if found.landscape else TEXT_WIDTH_MM
        return Xml(
            grid_xml(found.grid, width, self._style_id(), lambda text: self.marks.wrap(found, text))
        )

    def _style_id(self) -> str | None:
        if self.tpl is None:
            raise TemplateError("没有模板文件，无法插入表格或图片")
        if self._cell_style is None:
            self._cell_style = cell_style_id(self.tpl.docx) or ""
        return self._cell_style or None

    def chart(
        self,
        what: Any,
        *keys: Any,
        kind: str = "column",
        by: str | None = None,
        period: str | None = None,
        title: str = "",
    ) -> Any:
        """A native chart of the view's figures (see :func:`~docxreport.view.charts.parse_spec`);
        the template writes its 图题 caption under it."""
        maker = self.view.charts
        if maker is None:
            raise TemplateError("没有数据，无法画图表")
        spec = parse_spec(maker.cat, what, *keys, kind=kind, by=by, period=period, title=title)
        found = maker(spec)
        if self.trace:
            return Xml(f"<w:p><w:r><w:t>{self.marks.wrap(found, '')}</w:t></w:r></w:p>")
        self.charts += 1
        sd = self._scratch()
        paragraph = _picture_paragraph(sd)
        paragraph.paragraph_format.space_before = Pt(6)  # apart from a table above it
        from docxreport.render.charts import add_chart  # only with a chart

        add_chart(paragraph, found, self.marks.wrap(found, found.title), self.charts)
        return _take_out(sd)

    def _school_table(self, table_id: str, name: str) -> TableView | None:
        """A school's list table named by the template (``table("1-1", school.short)``)."""
        short = self.view.registry.get(name.strip())
        if short is None:
            raise TemplateError(f"模板中的表格“{table_id}”引用了名册中没有的学校“{name}”")
        own = self.view.school
        if own is not None and short != own.short:
            raise TemplateError(f"学校报告中的表格“{table_id}”只能显示本校，不能显示“{name}”")
        if (table_id, short) not in self.view.school_lists:
            raise TemplateError(f"表格“{table_id}”不是学校清单表，不能指定学校“{name}”")
        return self.view.school_lists[(table_id, short)]

    def figures(self, section: Any) -> Any:
        self.asked.add(str(section))
        photos = self.view.photos.get(str(section), [])
        if not photos or self.trace:
            return ""
        return self._block(figures_block, photos, BlockItem(str(section), "figures"))

    def cases(self, section: Any) -> Any:
        self.asked.add(str(section))
        found = self.view.cases.get(str(section), [])
        if not found or self.trace:
            return ""
        return self._block(cases_block, found, BlockItem(str(section), "cases"))

    def _text(self, name: str, value: str) -> MarkedStr:
        """``value`` printed marked; its markup is escaped, as Jinja escapes any other text."""
        return MarkedStr(value, self.marks.wrap(TextItem(name, value), str(escape(value))))

    def _year(self, name: str, value: int) -> MarkedInt:
        return MarkedInt(value, self.marks.wrap(TextItem(name, str(value)), str(value)))

    def _block(self, write: Any, items: list[Any], item: BlockItem) -> Xml:
        """Photos or case boxes written into the scratch subdocument, taken out as XML.

        The block's first and last texts are marked, so that its extent can be found again.
        """
        sd = self._scratch()
        write(sd, items, self.shop)
        body = sd.subdocx.element.body
        texts = [t for t in body.iter("{*}t") if t.text]
        if texts:
            texts[0].text = self.marks.wrap(item, texts[0].text)
            if len(texts) > 1:
                texts[-1].text = self.marks.wrap(item, texts[-1].text)
        return _take_out(sd)

    def _scratch(self) -> Any:
        """One subdocument per report, reused for every block and chart (see
        :func:`~.template.scratch_subdoc`)."""
        if self.tpl is None:
            raise TemplateError("没有模板文件，无法插入表格或图片")
        if self._sd is None:
            self._sd = scratch_subdoc(self.tpl)
        return self._sd

    def names(self) -> dict[str, Any]:
        """The Jinja context."""
        view = self.view
        team = [{**m, "name": self._text("team", m["name"])} for m in view.team]
        fields = ("name", "full_name", "code", "bureau")
        region = Region(*(self._text(f"region.{f}", getattr(view.region, f)) for f in fields))
        context: dict[str, Any] = {
            "region": region,
            "year": self._year("year", view.year),
            "prev_year": self._year("prev_year", view.prev_year),
            "publish_date": self._text("publish_date", view.publish_date),
            "declaration_date": self._text("declaration_date", view.declaration_date),
            "team": team,
            "reviewers": self._text("reviewers", view.reviewers),
            "majors_school": self._text("majors_school", view.majors_school),
            "majors_school_full": self._text("majors_school_full", view.majors_school_full),
            "toc": toc_marker,
        }
        context.update({name: getattr(self, name) for name in FUNCTIONS if name != "toc"})
        if view.school is not None:
            own = view.school
            short, full = self._text("school.short", own.short), self._text("school.full", own.full)
            context["school"] = SchoolInfo(short, full, own.has_graduates)
        return context
