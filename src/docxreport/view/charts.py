"""What a report chart shows: categories, series and their figures, decided from the data.

A template asks for a chart with ``chart(...)`` (see :func:`parse_spec`); the request
becomes a :class:`ChartSpec`, and :class:`ChartMaker` turns it into a
:class:`ChartView` for the city or for one school. Like the rest of the view this is
pure: the figures are the very ones the tables print (the same roll-up, the same
graduate rule), and a chart never carries a total typed by hand.

- ``by="school"`` (city report): one category per school; one series per year for a
  single indicator, or one series per indicator (this year) for several.
- ``by="year"`` (and every school report): one category per indicator; the series are
  last year and this year (a pie shows this year only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from docxreport.catalog import Catalog, Indicator
from docxreport.errors import TemplateError
from docxreport.model import CURR, PERIODS, PREV, Dataset, Figure, is_pending
from docxreport.view.fmt import format_value
from docxreport.view.grids import printed_figure

# kind → what staff see it called in Word (for messages)
KINDS = {
    "column": "簇状柱形图",
    "bar": "簇状条形图",
    "stacked_column": "堆积柱形图",
    "stacked_bar": "堆积条形图",
    "line": "折线图",
    "pie": "饼图",
}
BY = ("school", "year")
_CHART_TABLES = ("schools_rows", "years_rows", "indicators_rows", "annex")


@dataclass(frozen=True)
class ChartSpec:
    """One chart a template asked for: indicators, how they are laid out, its kind."""

    keys: tuple[str, ...]
    kind: str = "column"
    by: str = "year"
    periods: tuple[str, ...] = PERIODS
    title: str = ""
    table: str = ""  # the catalog table the chart was drawn from, if any

    def key(self) -> str:
        """The spec as a short JSON text, as a report's state part records it."""
        data = {"keys": list(self.keys), "kind": self.kind, "by": self.by}
        if self.periods != PERIODS:
            data["periods"] = list(self.periods)
        for name in ("title", "table"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_key(cls, text: str) -> ChartSpec | None:
        try:
            data = json.loads(text)
            return cls(
                tuple(data["keys"]),
                data.get("kind", "column"),
                data.get("by", "year"),
                tuple(data.get("periods", PERIODS)),
                data.get("title", ""),
                data.get("table", ""),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def tag(self) -> str:
        """The template tag that draws this chart again."""
        if self.table:
            args = [f'"{self.table}"', *(f'"{k}"' for k in self.keys)]
        elif len(self.keys) == 1:
            args = [f'"{self.keys[0]}"']
        else:
            args = ["[" + ", ".join(f'"{k}"' for k in self.keys) + "]"]
        args.append(f'kind="{self.kind}"')
        if not self.table or self.by != "school":
            args.append(f'by="{self.by}"')
        if self.periods != PERIODS:
            args.append(f'period="{self.periods[0]}"')
        if self.title:
            args.append(f'title="{self.title}"')
        return f"{{{{p chart({', '.join(args)}) }}}}"


def parse_spec(
    cat: Catalog,
    what: Any,
    *keys: Any,
    kind: str = "column",
    by: str | None = None,
    period: str | None = None,
    title: str = "",
) -> ChartSpec:
    """The spec of ``chart(what, *keys, kind=, by=, period=, title=)``; a
    :class:`TemplateError` in Chinese when an argument is wrong.

    ``what`` is a catalog table id (the chart shows that table's figures, or only those
    of ``keys``), an indicator key, or a list of indicator keys.
    """
    if kind not in KINDS:
        names = "、".join(f"{k}（{v}）" for k, v in KINDS.items())
        raise TemplateError(f"图表类型“{kind}”不对，应为 {names} 之一")
    if by is not None and by not in BY:
        raise TemplateError(f'图表的 by 应为 "school"（按学校）或 "year"（按年度），实际为“{by}”')
    if period is not None and period not in PERIODS:
        raise TemplateError(f'图表的 period 应为 "prev"（上年）或 "curr"（本年），实际为“{period}”')
    table = cat.table(str(what)) if isinstance(what, str) else None
    wanted = [str(k) for k in keys]
    if table is not None:
        if table.kind not in _CHART_TABLES:
            raise TemplateError(f"表格“{table.id}”是清单表，不能画成图表")
        found = _table_keys(table)
        for key in wanted:
            if key not in found:
                raise TemplateError(
                    f"表格“{table.id}”中没有指标“{key}”（可用：{'、'.join(found)}）"
                )
        chosen = wanted or found
        default_by = "school" if table.kind in ("schools_rows", "years_rows") else "year"
        periods = _table_periods(table, chosen) if period is None else (period,)
    else:
        listed = list(what) if isinstance(what, list | tuple) else [what]
        chosen = [str(k) for k in listed] + wanted
        default_by, periods = "year", PERIODS if period is None else (period,)
    if not chosen:
        raise TemplateError("图表没有指定指标")
    for key in chosen:
        if not cat.has(key):
            raise TemplateError(f"图表引用了指标目录中没有的指标“{key}”")
        if not cat.indicator(key).numeric:
            raise TemplateError(f"指标“{key}”不是数字，不能画成图表")
    return ChartSpec(
        tuple(chosen),
        kind,
        by or default_by,
        tuple(periods),
        str(title),
        table.id if table is not None else "",
    )


def _table_keys(table: Any) -> list[str]:
    if table.kind == "years_rows":
        return [table.key] if table.key else []
    items = table.columns if table.kind == "schools_rows" else table.rows
    return list(dict.fromkeys(item.key for item in items))


def _table_periods(table: Any, keys: list[str]) -> tuple[str, ...]:
    """The years a schools_rows table shows for ``keys``; both for other tables."""
    if table.kind != "schools_rows":
        return PERIODS
    shown = {c.period for c in table.columns if c.key in keys}
    return tuple(p for p in PERIODS if p in shown) or (CURR,)


@dataclass(frozen=True)
class ChartPoint:
    """One value of a series, as the chart draws it and the listing records it."""

    category: str
    text: str  # as the catalog formats it, for the listing
    figure: Figure

    @property
    def value(self) -> float | None:
        """The number the chart draws; None (a gap) when empty or still to come."""
        raw = self.figure.value
        if self.figure.empty or is_pending(self.figure) or isinstance(raw, bool):
            return None
        try:
            return float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class ChartSeries:
    name: str
    points: tuple[ChartPoint, ...]


@dataclass(frozen=True)
class ChartView:
    """One chart as the report draws it."""

    spec: ChartSpec
    title: str  # the chart's alt text, and its name in the data-source listing
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    decimals: int = 0
    thousands: bool = False

    @property
    def place(self) -> str:
        return f"图：{self.title}"

    @property
    def number_format(self) -> str:
        """The Excel number format of every value, from the catalog."""
        whole = "#,##0" if self.thousands else "0"
        return whole + ("." + "0" * self.decimals if self.decimals else "")


@dataclass(frozen=True)
class ChartMaker:
    """Builds the chart views of one report (the city's, or one school's)."""

    data: Dataset
    cat: Catalog
    school: str | None = None

    def __call__(self, spec: ChartSpec) -> ChartView:
        inds = [self.cat.indicator(k) for k in spec.keys]
        periods = (CURR,) if spec.kind == "pie" and len(spec.periods) > 1 else spec.periods
        if spec.by == "school" and self.school is None:
            schools = [s.short for s in self.data.city.registry]
            if len(inds) == 1:
                series = [self._series(self._year(p), inds[0], p, schools) for p in periods]
            else:
                series = [self._series(i.name, i, periods[-1], schools) for i in inds]
            categories = schools
        else:
            categories = [i.name for i in inds]
            series = [
                ChartSeries(
                    self._year(p),
                    tuple(self._point(i.name, i, p, self.school) for i in inds),
                )
                for p in periods
            ]
        return ChartView(
            spec,
            spec.title or self._title(spec, inds),
            tuple(categories),
            tuple(series),
            max(i.decimals for i in inds),
            any(i.thousands for i in inds),
        )

    def _year(self, period: str) -> str:
        return f"{self.data.prev_year if period == PREV else self.data.year} 年"

    def _point(self, category: str, ind: Indicator, period: str, school: str | None) -> ChartPoint:
        figure = printed_figure(self.data, ind, period, school)
        return ChartPoint(category, format_value(ind, figure.value), figure)

    def _series(self, name: str, ind: Indicator, period: str, schools: list[str]) -> ChartSeries:
        return ChartSeries(name, tuple(self._point(s, ind, period, s) for s in schools))

    def _title(self, spec: ChartSpec, inds: list[Indicator]) -> str:
        names = "、".join(i.name for i in inds)
        if spec.by == "school" and self.school is None:
            return f"各学校{names}"
        return f"{names}（{'、'.join(self._year(p) for p in spec.periods)}）"
