"""Reading a region's indicator catalog (``指标目录.xlsx``) into a :class:`RegionCatalog`.

Every problem is collected, each naming its cell (``指标目录.xlsx › 指标!D5``); the
merge and the catalog's own checks add theirs, and all are listed together.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docxreport import layout as L
from docxreport import regional as R
from docxreport.model import Location
from docxreport.normalize import cell_text, parse_number
from docxreport.workbook.guard import GUIDE_SHEET
from docxreport.workbook.read import Book, _check_headers, open_book

KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
TABLE_ID = re.compile(r"[\w-]{1,30}")
FORMULA_START = ("=", "+", "-", "@")  # text Excel would take for a formula
NAME_MAX = 60


def read_region(path: Path, rel: str, shipped: dict[str, Any]) -> R.RegionCatalog:
    """Read the region's catalog file; ``shipped`` (the shipped catalog's data) names its sheets."""
    expected = frozenset((R.INDICATOR_SHEET, R.TABLE_SHEET, R.SHEET_SHEET))
    book, issues = open_book(path, rel, expected)
    if book is None:
        return R.RegionCatalog(rel, problems=tuple(f"{i.loc}：{i.message}" for i in issues))
    reader = _Reader(book, shipped)
    reader.read()
    problems = [f"{i.loc}：{i.message}" for i in book.issues] + reader.problems
    return R.RegionCatalog(
        rel, tuple(reader.sheets), tuple(reader.indicators), tuple(reader.rows), tuple(problems)
    )


class _Reader:
    def __init__(self, book: Book, shipped: dict[str, Any]) -> None:
        self.book = book
        # the sheets indicators may go on: not 基本信息, nor a list's or the guide's
        self.reserved = {L.INFO_SHEET, GUIDE_SHEET} | {x["sheet"] for x in shipped.get("lists", [])}
        self.shipped_sheets = {s["name"] for s in shipped.get("sheets", [])}
        self.sheet_ids = {
            s["name"]: s["id"] for s in shipped.get("sheets", []) if s["name"] not in self.reserved
        }
        self.shipped_keys = {raw["key"] for raw in shipped.get("indicators", [])}
        self.sheets: list[R.Entry] = []
        self.indicators: list[R.Entry] = []
        self.rows: list[R.Entry] = []
        self.problems: list[str] = []

    def _rows(self, sheet: str, headers: tuple[str, ...]):
        """(row number, {header: (cell, raw value)}) for each row with anything in it."""
        if sheet not in self.book.values.sheetnames:
            return  # a sheet the region deleted: nothing to add there
        ws = self.book.sheet(sheet)
        if ws is None or not _check_headers(self.book, ws, headers):
            return
        for r in range(2, ws.max_row + 1):
            cells = {}
            for c, head in enumerate(headers, start=1):
                coord = ws.cell(row=r, column=c).coordinate
                cells[head] = (Location(self.book.rel, sheet, coord), self.book.raw(ws, coord))
            if any(cell_text(raw) for _loc, raw in cells.values()):
                yield r, cells

    def problem(self, loc: Location, message: str) -> None:
        self.problems.append(f"{loc}：{message}")

    def text(self, cell: tuple[Location, object], limit: int = NAME_MAX) -> str | None:
        loc, raw = cell
        text = cell_text(raw)
        if text is None:
            return None
        if text.startswith(FORMULA_START) or len(text) > limit:
            self.problem(loc, f"“{text[:20]}”不能用作名称（以 = + - @ 开头，或超过 {limit} 个字）")
            return None
        return text

    def choice(self, cell: tuple[Location, object], words: dict[str, str], what: str) -> str | None:
        text = cell_text(cell[1])
        if text is None:
            return None
        if text in words:
            return words[text]
        if text in words.values():
            return text  # the catalog's own code (count, sum …) is understood too
        self.problem(cell[0], f"{what}“{text}”无效，应为 {'、'.join(words)} 之一")
        return None

    def number(self, cell: tuple[Location, object], whole: bool = False) -> float | None:
        parsed = parse_number(cell[1], "count" if whole else "amount")
        if parsed.error:
            self.problem(cell[0], parsed.error)
        return None if parsed.error else parsed.value

    def key(self, cell: tuple[Location, object], what: str = "指标代码") -> str | None:
        text = cell_text(cell[1])
        if text is None:
            return None
        if not KEY.fullmatch(text):
            self.problem(
                cell[0], f"{what}“{text[:20]}”无效：以英文字母开头，只含英文字母、数字和下划线"
            )
            return None
        return text

    def read(self) -> None:
        self._read_sheets()
        self._read_indicators()
        self._read_tables()

    def _read_sheets(self) -> None:
        for _r, cells in self._rows(R.SHEET_SHEET, R.SHEET_HEADERS):
            name = self.text(cells["工作表名称"], 31)
            if name is None or name in self.sheet_ids or name in self.shipped_sheets:
                continue
            if name in self.reserved:
                self.problem(
                    cells["工作表名称"][0], f"“{name}”是工作簿中另有用途的工作表，请另起名称"
                )
                continue
            if re.search(r"[\\/?*\[\]:]", name):
                self.problem(cells["工作表名称"][0], f"工作表名称“{name}”不能含 \\ / ? * [ ] :")
                continue
            self.sheet_ids[name] = name
            self.sheets.append(R.Entry(str(cells["工作表名称"][0]), {"id": name, "name": name}))

    def _read_indicators(self) -> None:
        seen: dict[str, Location] = {}
        for r, cells in self._rows(R.INDICATOR_SHEET, R.INDICATOR_HEADERS):
            at = cells["指标代码"][0]
            key = self.key(cells["指标代码"])
            if key is None:
                if cell_text(cells["指标代码"][1]) is None:
                    self.problem(at, "未填写指标代码")
                continue
            if key in seen:
                self.problem(at, f"指标代码 {key} 重复（第一次在 {seen[key].cell}）")
                continue
            seen[key] = at
            where = f"{Location(self.book.rel, R.INDICATOR_SHEET, f'第 {r} 行')}（{key}）"
            fields = self._indicator_fields(cells, key in self.shipped_keys)
            if fields is not None:
                self.indicators.append(R.Entry(where, {"key": key, **fields}))

    def _indicator_fields(self, cells: dict, shipped: bool) -> dict[str, Any] | None:
        retire = cell_text(cells["停用"][1])
        if retire:
            if retire != R.RETIRE_WORD:
                self.problem(cells["停用"][0], f"“停用”列只能填“{R.RETIRE_WORD}”或空着")
                return None
            return {"retire": True}
        f: dict[str, Any] = {}
        for head, name in (("指标名称", "name"), ("单位", "unit"), ("说明", "desc")):
            value = self.text(
                cells[head], 10 if name == "unit" else 300 if name == "desc" else NAME_MAX
            )
            if value is not None:
                f[name] = value
        sheet = cell_text(cells["工作表"][1])
        if sheet is not None:
            if sheet in self.sheet_ids:
                f["sheet"] = self.sheet_ids[sheet]
            else:
                self.problem(
                    cells["工作表"][0],
                    f"工作表“{sheet}”不存在；新的工作表请先在“{R.SHEET_SHEET}”表中添加",
                )
        for head, name, words in (
            ("类型", "kind", R.KIND_WORDS),
            ("必填", "required", R.REQUIRED_WORDS),
        ):
            value = self.choice(cells[head], words, head)
            if value is not None:
                f[name] = value
        for head, name in (("最小值", "min"), ("最大值", "max"), ("小数位", "decimals")):
            value = self.number(cells[head], whole=name == "decimals")
            if value is not None:
                f[name] = value
        if "decimals" in f and not 0 <= f["decimals"] <= 6:
            self.problem(cells["小数位"][0], "小数位应为 0 到 6")
        parent = self.key(cells["上级指标"])
        if parent:
            f["parent"] = parent
        city = self._city(cells)
        if city is not None:
            f["city"] = city
        if not shipped:
            self._complete(cells, f)
        return f

    def _city(self, cells: dict) -> dict[str, Any] | None:
        rule = self.choice(cells["全市规则"], R.RULE_WORDS, "全市规则")
        parts = {"numerator": self.key(cells["分子"]), "denominator": self.key(cells["分母"])}
        scale = self.number(cells["倍数"])
        if rule is None:
            if any(parts.values()) and cell_text(cells["全市规则"][1]) is None:
                self.problem(cells["全市规则"][0], "填了分子、分母，请把全市规则选为“比值”")
            return None
        city: dict[str, Any] = {"rule": rule}
        if rule == "ratio":
            city.update({k: v for k, v in parts.items() if v})
            if scale is not None:
                city["scale"] = scale
        return city

    def _complete(self, cells: dict, f: dict[str, Any]) -> None:
        """A new indicator needs a name, a kind and a sheet; the rest has defaults."""
        for head, name in (("指标名称", "name"), ("类型", "kind"), ("工作表", "sheet")):
            if name not in f and cell_text(cells[head][1]) is None:
                self.problem(cells[head][0], f"新指标必须填写“{head}”")
        f.setdefault("name", "")
        f.setdefault("unit", "")
        f.setdefault("kind", "count")  # stands in for a missing or bad kind, already reported
        f.setdefault("sheet", next(iter(self.sheet_ids.values()), ""))
        f.setdefault("city", {"rule": "sum" if f["kind"] in ("count", "amount") else "none"})
        if "decimals" not in f and f["kind"] in ("ratio", "percent"):
            f["decimals"] = 2

    def _read_tables(self) -> None:
        for r, cells in self._rows(R.TABLE_SHEET, R.TABLE_HEADERS):
            table = cell_text(cells["表号"][1])
            if table is None or not TABLE_ID.fullmatch(table):
                self.problem(
                    cells["表号"][0], f"表号“{table or ''}”无效：不超过 30 个字，不含空格和标点"
                )
                continue
            key = self.key(cells["指标代码"])
            if key is None:
                if cell_text(cells["指标代码"][1]) is None:
                    self.problem(cells["指标代码"][0], "未填写指标代码")
                continue
            f: dict[str, Any] = {"table": table, "key": key}
            kind = self.choice(cells["新表类型"], R.TABLE_KIND_WORDS, "新表类型")
            if kind:
                f["kind"] = kind
            for head, name in (("表中名称", "label"), ("序号", "seq")):
                value = self.text(cells[head])
                if value:
                    f[name] = value
            after = self.key(cells["插在此指标之后"])
            if after:
                f["after"] = after
            where = f"{Location(self.book.rel, R.TABLE_SHEET, f'第 {r} 行')}（表 {table}）"
            self.rows.append(R.Entry(where, f))
