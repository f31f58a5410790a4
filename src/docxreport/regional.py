"""A region's own indicator catalog: additions and changes laid over the shipped one.

The region keeps its catalog as a workbook, ``inputs/<年度>/指标目录.xlsx`` (read by
:mod:`docxreport.workbook.regionbook`, written blank by ``docxreport new``). Read, it is a
:class:`RegionCatalog`: rows that add or change indicators, rows that add to tables, and
new workbook sheets, each remembering where it was written. :func:`merge` lays them over
the shipped catalog's data; :func:`docxreport.catalog.checked` then checks the result like
the shipped catalog, every problem named by its row in the region's file.

Pure: no I/O.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

REGION_FILE = "指标目录.xlsx"  # in each year folder, carried forward by init

# The region's file, sheet by sheet: its headers, and the words its drop-down lists offer.
INDICATOR_SHEET = "指标"
INDICATOR_HEADERS = (
    "指标代码",
    "指标名称",
    "单位",
    "类型",
    "工作表",
    "必填",
    "最小值",
    "最大值",
    "小数位",
    "全市规则",
    "分子",
    "分母",
    "倍数",
    "上级指标",
    "说明",
    "停用",
)
TABLE_SHEET = "表格"
TABLE_HEADERS = ("表号", "新表类型", "指标代码", "表中名称", "序号", "插在此指标之后")
SHEET_SHEET = "工作表"
SHEET_HEADERS = ("工作表名称", "说明")
SHIPPED_INDICATORS = "已有指标"  # for reading only: the shipped catalog as it stands
SHIPPED_TABLES = "已有表格"

KIND_WORDS = {
    "计数": "count",
    "金额": "amount",
    "百分比": "percent",
    "比值": "ratio",
    "文字": "text",
}
REQUIRED_WORDS = {"必填": "always", "有毕业生时必填": "graduates", "选填": "optional"}
RULE_WORDS = {
    "合计": "sum",
    "比值": "ratio",
    "平均": "mean",
    "市级填报": "given",
    "不汇总": "none",
}
TABLE_KIND_WORDS = {"附表": "annex", "指标分行": "indicators_rows", "学校分行": "schools_rows"}
RETIRE_WORD = "停用"
# What a region may change in a shipped indicator (the rest would orphan last year's cells).
CHANGEABLE = ("name", "required", "min", "max", "decimals", "desc", "city")
FIELD_WORDS = {
    "name": "指标名称",
    "unit": "单位",
    "kind": "类型",
    "sheet": "工作表",
    "parent": "上级指标",
}
# A new table's look, by kind (its caption lives in the template, as for the shipped tables).
NEW_TABLE = {
    "annex": {},
    "indicators_rows": {"corner": "指标", "total_label": "合计", "show_unit": True},
    "schools_rows": {"corner": "学校", "total_label": "合计"},
}


def word_of(words: dict[str, str], code: str) -> str:
    """The Chinese word a drop-down list shows for a catalog code."""
    return next((w for w, c in words.items() if c == code), code)


@dataclass(frozen=True)
class Entry:
    """One row of the region's file: catalog fields, and where the row is (for messages)."""

    where: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class RegionCatalog:
    """A region's catalog as read: entries, and the problems its reader met."""

    name: str  # the file, as messages name it
    sheets: tuple[Entry, ...] = ()  # {"id", "name"}
    indicators: tuple[Entry, ...] = ()  # {"key", …catalog fields…} or {"key", "retire": True}
    rows: tuple[Entry, ...] = ()  # {"table", "key", "kind"?, "label"?, "seq"?, "after"?}
    problems: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.sheets or self.indicators or self.rows or self.problems)


@dataclass
class Merged:
    """The shipped data with the region's entries laid over it."""

    data: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)  # catalog entry → row of the region file


def merge(shipped: dict[str, Any], region: RegionCatalog) -> Merged:
    """Lay ``region`` over ``shipped`` (left unchanged): add, change, retire, extend tables."""
    out = Merged(copy.deepcopy(shipped), list(region.problems))
    data = out.data
    data["sheets"] = data.get("sheets", []) + [dict(e.fields) for e in region.sheets]
    by_key = {raw["key"]: raw for raw in data.get("indicators", [])}
    shipped_keys = set(by_key)
    retired: dict[str, str] = {}
    for entry in region.indicators:
        key = entry.fields["key"]
        out.where[f"indicators.{key}"] = entry.where
        if entry.fields.get("retire"):
            retired[key] = entry.where
        elif key in by_key:
            _change(by_key[key], entry, out.problems)
        else:
            raw = {k: v for k, v in entry.fields.items() if k != "retire"}
            data["indicators"].append(raw)
            by_key[key] = raw
    for entry in region.indicators:
        if entry.fields["key"] not in shipped_keys:
            _explain_ratio(by_key.get(entry.fields["key"]), by_key)
    for entry in region.rows:
        if entry.fields["key"] in by_key:
            _add_row(data, entry, out)
        else:
            out.problems.append(f"{entry.where}：指标 {entry.fields['key']} 不存在")
    _retire(data, retired, out.problems)
    return out


def _explain_ratio(raw: dict[str, Any] | None, by_key: dict[str, dict[str, Any]]) -> None:
    """A new ratio without a description says what it divides (the workbook shows it)."""
    if raw is None or raw.get("desc"):
        return
    city = raw.get("city", {})
    parts = [by_key.get(city.get(k) or "", {}).get("name") for k in ("numerator", "denominator")]
    if city.get("rule") == "ratio" and all(parts):
        raw["desc"] = f"{parts[0]} ÷ {parts[1]}" + (
            f" × {city['scale']:g}" if city.get("scale") else ""
        )


def _change(raw: dict[str, Any], entry: Entry, problems: list[str]) -> None:
    for name, value in entry.fields.items():
        if name in ("key", "retire"):
            continue
        if name in CHANGEABLE:
            raw[name] = value
            continue
        if raw.get(name) != value:
            problems.append(
                f"{entry.where}：已有指标 {raw['key']} 的“{FIELD_WORDS.get(name, name)}”不能修改"
                "（只能改名称、必填、最小值、最大值、小数位、说明和全市规则）；"
                "需要不同的指标时请停用它，另加一个新代码"
            )


def _add_row(data: dict[str, Any], entry: Entry, out: Merged) -> None:
    f = entry.fields
    tables = data.setdefault("tables", [])
    table = next((t for t in tables if t["id"] == f["table"]), None)
    if table is None:
        kind = f.get("kind")
        if kind is None:
            out.problems.append(
                f"{entry.where}：没有表号为“{f['table']}”的表格；新表请在“新表类型”中选择"
                f"{'、'.join(TABLE_KIND_WORDS)}"
            )
            return
        table = {"id": f["table"], "kind": kind, **NEW_TABLE[kind]}
        tables.append(table)
        out.where[f"tables.{f['table']}"] = entry.where
    elif f.get("kind") and f["kind"] != table["kind"]:
        out.problems.append(
            f"{entry.where}：表 {f['table']} 已有，类型为“{word_of(TABLE_KIND_WORDS, table['kind'])}”，"
            "不能改变；新表请另起一个表号"
        )
        return
    part = {"schools_rows": "columns", "annex": "rows", "indicators_rows": "rows"}.get(
        table["kind"]
    )
    if part is None:
        out.problems.append(f"{entry.where}：表 {f['table']} 的行由数据决定，不能添加指标")
        return
    item = {"key": f["key"]}
    if f.get("label"):
        item["label"] = f["label"]
    if f.get("seq") and part == "rows":
        item["seq"] = f["seq"]
    items = table.setdefault(part, [])
    after = f.get("after")
    if not after:
        items.append(item)
        return
    at = [i for i, x in enumerate(items) if x["key"] == after]
    if not at:
        out.problems.append(f"{entry.where}：表 {f['table']} 中没有指标 {after}，无法插在它之后")
        return
    items.insert(at[-1] + 1, item)


def _retire(data: dict[str, Any], retired: dict[str, str], problems: list[str]) -> None:
    """Take retired indicators out, with their table rows, groups and comparisons."""
    if not retired:
        return
    known = {raw["key"] for raw in data["indicators"]}
    for key, where in retired.items():
        if key not in known:
            problems.append(f"{where}：要停用的指标 {key} 不存在")
    users: dict[str, list[str]] = {}
    for raw in data["indicators"]:
        city = raw.get("city", {})
        for ref in {raw.get("parent"), city.get("numerator"), city.get("denominator")}:
            if ref in retired and raw["key"] not in retired:
                users.setdefault(ref, []).append(f"{raw['key']}（{raw.get('name', '')}）")
    for key, names in users.items():
        problems.append(
            f"{retired.pop(key)}：指标 {key} 不能停用：{'、'.join(names)} 用到它"
            "（是它的其中项，或以它为比值的分子、分母）；请一并停用或修改"
        )
    inds = [raw for raw in data["indicators"] if raw["key"] not in retired]
    for raw in inds:
        if raw.get("compare_with") in retired:
            raw.pop("compare_with")
    data["indicators"] = inds
    tables = []
    for t in data.get("tables", []):
        if t.get("key") in retired:
            continue  # a table of that one indicator
        for part in ("rows", "columns"):
            if part in t:
                t[part] = [x for x in t[part] if x["key"] not in retired]
        tables.append(t)
    data["tables"] = tables
    groups = []
    for g in data.get("groups", []):
        if g["whole"] in retired or (
            g.get("kind") == "complete" and set(g["parts"]) & set(retired)
        ):
            continue  # a split of the whole is no longer complete without a part
        g["parts"] = [p for p in g["parts"] if p not in retired]
        if len(g["parts"]) >= 2:
            groups.append(g)
    data["groups"] = groups


def summary(region: RegionCatalog, shipped: dict[str, Any]) -> str:
    """What the region's file changes, in words: 新增 4 个指标、修改 1 个、停用 1 个…"""
    known = {raw["key"] for raw in shipped.get("indicators", [])}
    retired = sum(1 for e in region.indicators if e.fields.get("retire"))
    changed = sum(1 for e in region.indicators if e.fields["key"] in known) - retired
    added = len(region.indicators) - changed - retired
    parts = [
        f"新增 {added} 个指标" if added else "",
        f"修改 {changed} 个" if changed else "",
        f"停用 {retired} 个" if retired else "",
        f"新增工作表 {'、'.join(e.fields['name'] for e in region.sheets)}" if region.sheets else "",
        f"表格中加 {len(region.rows)} 行" if region.rows else "",
    ]
    return "、".join(p for p in parts if p) or "没有增改"
