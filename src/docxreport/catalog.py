"""The indicator catalog: every indicator, list and report table, declared once.

The catalog lives in ``catalog.toml`` next to this module. It is loaded into
frozen dataclasses and checked like a schema: every problem is collected and
reported together, each naming its entry. A region's additions and changes
(``inputs/<年度>/指标目录.xlsx``, see :mod:`docxreport.regional`) are laid over the
shipped data before the same checks; ``catalog.toml`` itself stays as shipped.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from docxreport.errors import CatalogError
from docxreport.model import PERIODS

KINDS = ("count", "amount", "percent", "ratio", "text")
RULES = ("sum", "ratio", "mean", "distinct", "given", "none")
REQUIRED = ("always", "graduates", "optional")
TABLE_KINDS = ("schools_rows", "indicators_rows", "years_rows", "annex", "list")
GROUP_KINDS = ("disjoint", "complete")
ADDITIVE = ("count", "amount")
PROVINCE_SLOT = "{省级}"  # in catalog texts: the region's word for the province level
DEFAULT_PROVINCE = "省级"


@dataclass(frozen=True)
class CityRule:
    """How the city figure is obtained from the schools' figures."""

    rule: str
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    list: str | None = None
    field: str | None = None
    note: str = ""

    def describe(self) -> str:
        """A short Chinese description of the rule, for messages and listings."""
        return {
            "sum": "各校合计",
            "ratio": "合计分子 / 合计分母",
            "mean": "各校数值的算术平均",
            "distinct": "各校清单去重计数",
            "given": "市级数据表填报",
            "none": "不汇总",
        }[self.rule]


def _one(items: Any, match: Any, name: str) -> Any:
    """The item ``match`` picks; a name the loaded catalog lacks is a programming error."""
    for item in items:
        if match(item):
            return item
    raise KeyError(name)


@dataclass(frozen=True)
class Indicator:
    """One figure a school reports, with how it is shown and rolled up."""

    key: str
    name: str
    unit: str
    kind: str
    sheet: str
    decimals: int = 0
    thousands: bool = False
    min: float | None = None
    max: float | None = None
    required: str = "optional"
    graduates_only: bool = False
    parent: str | None = None
    city: CityRule = CityRule("sum")
    compare_with: str | None = None
    counts_list: str | None = None
    desc: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind != "text"

    @property
    def label(self) -> str:
        """Name with unit, as in a header cell: ``专业数量（个）``."""
        return f"{self.name}（{self.unit}）" if self.unit else self.name

    @property
    def about_graduates(self) -> bool:
        """A figure about graduates: a school that had none shows — for it."""
        return self.graduates_only or self.required == "graduates"


@dataclass(frozen=True)
class Sheet:
    """A topic sheet of the school workbook."""

    id: str
    name: str


@dataclass(frozen=True)
class ListColumn:
    key: str
    name: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class ListSpec:
    """A list sheet: one row per item (majors, cases, photos)."""

    id: str
    sheet: str
    columns: tuple[ListColumn, ...]
    inactive_column: str | None = None
    inactive_values: tuple[str, ...] = ()

    def column(self, key: str) -> ListColumn:
        return _one(self.columns, lambda c: c.key == key, key)


@dataclass(frozen=True)
class TableRow:
    key: str
    label: str | None = None
    seq: str | None = None


@dataclass(frozen=True)
class TableColumn:
    key: str
    period: str = "curr"
    label: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """A report table; its caption lives in the Word template."""

    id: str
    kind: str
    corner: str = ""
    rows: tuple[TableRow, ...] = ()
    columns: tuple[TableColumn, ...] = ()
    key: str | None = None
    list: str | None = None
    total_label: str | None = None
    show_unit: bool = False
    show_seq: bool = False
    landscape: bool = False


@dataclass(frozen=True)
class PartGroup:
    """其中 items that do not overlap: together they cannot exceed their whole.

    ``disjoint``: their sum must not exceed the whole (国家级 + 省级 + 校级 ≤ 总数);
    ``complete``: they split the whole exactly (第一、二、三产业 = 三次产业合计).
    """

    whole: str
    parts: tuple[str, ...]
    kind: str = "disjoint"
    note: str = ""

    def rule(self) -> str:
        """The rule in plain Chinese, for messages."""
        if self.kind == "complete":
            return "这几项恰好构成总数，合计应等于总数"
        return "这几项互不重叠，合计不应超过总数"


@dataclass(frozen=True)
class Catalog:
    sheets: tuple[Sheet, ...]
    indicators: tuple[Indicator, ...]
    lists: tuple[ListSpec, ...]
    tables: tuple[TableSpec, ...]
    groups: tuple[PartGroup, ...] = ()
    region: str = field(default="", compare=False)  # what a region's catalog changed, in words
    _by_key: dict[str, Indicator] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({i.key: i for i in self.indicators})

    def indicator(self, key: str) -> Indicator:
        return self._by_key[key]

    def has(self, key: str) -> bool:
        return key in self._by_key

    def sheet(self, sheet_id: str) -> Sheet:
        return _one(self.sheets, lambda s: s.id == sheet_id, sheet_id)

    def list(self, list_id: str) -> ListSpec:
        return _one(self.lists, lambda x: x.id == list_id, list_id)

    def table(self, table_id: str) -> TableSpec | None:
        """The table called ``table_id``; None when the catalog has none of that name."""
        return next((t for t in self.tables if t.id == table_id), None)

    def on_sheet(self, sheet_id: str) -> list[Indicator]:
        return [i for i in self.indicators if i.sheet == sheet_id]

    def children(self, key: str) -> list[Indicator]:
        return [i for i in self.indicators if i.parent == key]

    def depth(self, key: str) -> int:
        depth, ind = 0, self.indicator(key)
        while ind.parent:
            depth, ind = depth + 1, self.indicator(ind.parent)
        return depth


DEFAULT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "count": (0, None),
    "amount": (0, None),
    "percent": (0, 100),
    "ratio": (0, None),
    "text": (None, None),
}


def _build(data: dict[str, Any], problems: list[str]) -> Catalog:
    sheets = []
    for raw in data.get("sheets", []):
        try:
            sheets.append(Sheet(**raw))
        except TypeError as exc:
            problems.append(f"sheets.{raw.get('id', '?')}: {exc}")
    indicators = []
    for raw in data.get("indicators", []):
        raw = dict(raw)
        where = f"indicators.{raw.get('key', '?')}"
        try:
            city = CityRule(**raw.pop("city", {"rule": "sum"}))
            kind = raw.get("kind")
            lo, hi = DEFAULT_RANGES.get(kind, (None, None))
            raw.setdefault("min", lo)
            raw.setdefault("max", hi)
            indicators.append(Indicator(city=city, **raw))
        except TypeError as exc:
            problems.append(f"{where}: {exc}")
    lists = []
    for raw in data.get("lists", []):
        raw = dict(raw)
        try:
            cols = tuple(
                ListColumn(**{**c, "choices": tuple(c.get("choices", ()))})
                for c in raw.pop("columns")
            )
            raw["inactive_values"] = tuple(raw.get("inactive_values", ()))
            lists.append(ListSpec(columns=cols, **raw))
        except (TypeError, KeyError) as exc:
            problems.append(f"lists.{raw.get('id', '?')}: 字段有误（{exc}）")
    tables = []
    for raw in data.get("tables", []):
        raw = dict(raw)
        where = f"tables.{raw.get('id', '?')}"
        try:
            rows = tuple(TableRow(**r) for r in raw.pop("rows", []))
            cols = tuple(TableColumn(**c) for c in raw.pop("columns", []))
            tables.append(TableSpec(rows=rows, columns=cols, **raw))
        except TypeError as exc:
            problems.append(f"{where}: {exc}")
    groups = []
    for raw in data.get("groups", []):
        raw = dict(raw)
        try:
            groups.append(PartGroup(parts=tuple(raw.pop("parts", ())), **raw))
        except TypeError as exc:
            problems.append(f"groups.{raw.get('whole', '?')}: {exc}")
    return Catalog(tuple(sheets), tuple(indicators), tuple(lists), tuple(tables), tuple(groups))


def _check(cat: Catalog, problems: list[str]) -> None:
    keys: set[str] = set()
    sheet_ids = {s.id for s in cat.sheets}
    list_ids = {x.id for x in cat.lists}
    for ind in cat.indicators:
        where = f"indicators.{ind.key}"
        if ind.key in keys:
            problems.append(f"{where}: 键重复")
        keys.add(ind.key)
        if ind.kind not in KINDS:
            problems.append(f"{where}: kind 应为 {KINDS} 之一")
        if ind.required not in REQUIRED:
            problems.append(f"{where}: required 应为 {REQUIRED} 之一")
        if ind.sheet not in sheet_ids:
            problems.append(f"{where}: 工作表 {ind.sheet} 未声明")
        if ind.city.rule not in RULES:
            problems.append(f"{where}: city.rule 应为 {RULES} 之一")
        if ind.city.rule == "distinct" and ind.city.list not in list_ids:
            problems.append(f"{where}: distinct 规则需要已声明的 list")
        if ind.counts_list and ind.counts_list not in list_ids:
            problems.append(f"{where}: counts_list {ind.counts_list} 未声明")
    parents = {i.key: i.parent for i in cat.indicators}
    for key in parents:
        seen, node = {key}, parents[key]
        while node in parents:
            if node in seen:
                problems.append(f"indicators.{key}: parent 形成循环")
                break
            seen.add(node)
            node = parents[node]
    for ind in cat.indicators:
        where = f"indicators.{ind.key}"
        for ref in (ind.parent, ind.compare_with, ind.city.numerator, ind.city.denominator):
            if ref and ref not in keys:
                problems.append(f"{where}: 引用了未声明的指标 {ref}")
        if ind.city.rule == "ratio" and not (ind.city.numerator and ind.city.denominator):
            problems.append(f"{where}: ratio 规则需要 numerator 和 denominator")
    table_ids: set[str] = set()
    for t in cat.tables:
        where = f"tables.{t.id}"
        if t.id in table_ids:
            problems.append(f"{where}: 表格 id 重复")
        table_ids.add(t.id)
        if t.kind not in TABLE_KINDS:
            problems.append(f"{where}: kind 应为 {TABLE_KINDS} 之一")
        refs = [r.key for r in t.rows] + [c.key for c in t.columns] + ([t.key] if t.key else [])
        problems.extend(f"{where}: 引用了未声明的指标 {k}" for k in refs if k not in keys)
        problems.extend(
            f"{where}: period 应为 prev 或 curr" for c in t.columns if c.period not in PERIODS
        )
        if t.kind == "list" and t.list not in list_ids:
            problems.append(f"{where}: 清单 {t.list} 未声明")
    _check_groups(cat, keys, problems)


def _check_groups(cat: Catalog, keys: set[str], problems: list[str]) -> None:
    for g in cat.groups:
        where = f"groups.{g.whole}"
        if g.kind not in GROUP_KINDS:
            problems.append(f"{where}: kind 应为 {GROUP_KINDS} 之一")
        unknown = [k for k in (g.whole, *g.parts) if k not in keys]
        problems.extend(f"{where}: 引用了未声明的指标 {k}" for k in unknown)
        if unknown:
            continue
        if len(g.parts) < 2 or len(set(g.parts)) != len(g.parts):
            problems.append(f"{where}: parts 应列出至少两个不同的其中项")
        whole = cat.indicator(g.whole)
        for key in g.parts:
            part = cat.indicator(key)
            if part.parent != g.whole:
                problems.append(f"{where}: {key} 的 parent 不是 {g.whole}")
            if part.kind not in ADDITIVE or part.unit != whole.unit or whole.kind not in ADDITIVE:
                problems.append(f"{where}: {key} 与总数应为同一单位的人数、个数或金额")


@cache
def shipped_data(province: str = DEFAULT_PROVINCE) -> dict[str, Any]:
    """The shipped catalog as parsed TOML, ``{省级}`` said as ``province``."""
    text = resources.files("docxreport").joinpath("catalog.toml").read_text("utf-8")
    return _parse(text, "catalog.toml", province)


def _parse(text: str, name: str, province: str) -> dict[str, Any]:
    text = text.replace(PROVINCE_SLOT, province.strip() or DEFAULT_PROVINCE)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"指标目录 {name} 不是有效的 TOML：{exc}") from exc


def checked(
    data: dict[str, Any],
    name: str,
    problems: list[str] | None = None,
    where: dict[str, str] | None = None,
) -> Catalog:
    """Build and check the catalog from parsed ``data``; raise listing every problem.

    ``problems`` already found (by a region catalog's reader) are listed with the new ones;
    ``where`` names the place of an entry (``indicators.key`` → a row of the region's file).
    """
    problems = list(problems or [])
    cat = _build(data, problems)
    _check(cat, problems)
    if problems:
        located = [_relocate(p, where or {}) for p in problems]
        located = list(dict.fromkeys(located))  # the same problem found twice is listed once
        raise CatalogError(f"指标目录 {name} 有误：\n" + "\n".join(f"  - {p}" for p in located))
    return cat


def _relocate(problem: str, where: dict[str, str]) -> str:
    entry, sep, rest = problem.partition(": ")
    return f"{where[entry]}：{rest}" if sep and entry in where else problem


def load_catalog(path: Path | None = None, province: str = DEFAULT_PROVINCE) -> Catalog:
    """Load and check the catalog; raise :class:`CatalogError` listing every problem.

    ``{省级}`` in any text of the catalog becomes ``province``: the word the region uses
    for its province level (省级, or 自治区 in an autonomous region).
    """
    if path is None:
        return checked(shipped_data(province), "catalog.toml")
    return checked(_parse(path.read_text("utf-8"), str(path), province), str(path))


@cache
def default_catalog(province: str = DEFAULT_PROVINCE) -> Catalog:
    """The shipped catalog, its labels saying ``province`` for the province level."""
    return load_catalog(province=province)
