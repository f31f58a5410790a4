"""The layout of the workbooks, derived from the catalog.

Pure: it says which sheet, header and cell holds what. :mod:`docxreport.workbook`
writes and reads workbooks by this layout, so that ``init`` and the reader can
never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from docxreport.catalog import Catalog, Indicator, ListSpec

CITY_FILE = "市级.xlsx"
SCHOOL_DIR = "学校"
PHOTO_DIR = "图片"
CITY_TEMPLATE = "city.docx"  # in the templates folder
SCHOOL_TEMPLATE = "school.docx"
SCHOOL_TEMPLATE_DIR = "学校"  # a school's own template: templates/学校/<简称>.docx

# School workbook: the 基本信息 sheet, one field a row, label in A and value in B.
INFO_SHEET = "基本信息"
SCHOOL_INFO: tuple[tuple[str, str], ...] = (
    ("school", "学校（简称）"),
    ("school_full", "学校全称"),
    ("year", "报告年度"),
    ("contact", "填表人"),
    ("phone", "联系电话"),
)
INFO_HEADERS = ("项目", "内容")

# Indicator sheets: a key column, the label, the unit, 上年, 本年, notes.
KEY_COL, NAME_COL, UNIT_COL, PREV_COL, CURR_COL, NOTE_COL = "A", "B", "C", "D", "E", "F"
PERIOD_COL = {"prev": PREV_COL, "curr": CURR_COL}
FIRST_ROW = 2

# City workbook.
CITY_INFO: tuple[tuple[str, str], ...] = (
    ("region", "地区名称"),
    ("region_full", "地区全称"),
    ("code", "行政区划代码"),
    ("bureau", "编制单位"),
    ("year", "报告年度"),
    ("declaration_date", "声明日期"),
    ("publish_date", "发布日期"),
    ("reviewers", "审定"),
    ("province", "省级称谓"),
)
# Rows of 基本信息 an older city workbook may lack: read when present.
OPTIONAL_INFO = frozenset({"province"})
TEAM_SHEET, TEAM_HEADERS = "编制组", ("角色", "姓名", "职务")
REGISTRY_SHEET = "学校名册"
REGISTRY_HEADERS = ("序号", "学校简称", "学校全称", "别名（以、分隔）")
# An optional column after them: the version of its workbook each school signed for.
CONFIRMED_HEADER = "已确认版本"
# Optional columns the bureau may add anywhere after them, for the reminder list.
CONTACT_HEADERS = ("联系人", "联系电话")
CITY_VALUES_SHEET = "市级指标"
# 市级指标: key, name, unit, rule, 上年 (published), 本年 (the bureau's own), notes.
CITY_PERIOD_COL = {"prev": "E", "curr": "F"}
PUBLISHED_SHEET = "发布核对"
PUBLISHED_HEADERS = ("表号", "指标代码", "学校（空为全市）", "年份", "发布值", "说明")


def indicator_headers(year: int) -> tuple[str, ...]:
    return ("指标代码", "指标", "单位", f"{year - 1} 年（上年）", f"{year} 年（本年）", "填写说明")


def city_value_headers(year: int) -> tuple[str, ...]:
    return (
        "指标代码",
        "指标",
        "单位",
        "全市规则",
        f"{year - 1} 年（已发布）",
        f"{year} 年（市级填报）",
        "说明",
    )


def display_name(cat: Catalog, ind: Indicator) -> str:
    """The label shown in a workbook: 其中 sub-rows indented and prefixed."""
    depth = cat.depth(ind.key)
    return ("　" * depth + "其中：" + ind.name) if depth else ind.name


def note(ind: Indicator) -> str:
    """The 填写说明 cell: kind, range and requirement, then the definition."""
    parts = []
    if ind.kind == "count":
        parts.append("填整数")
    elif ind.kind == "percent":
        parts.append("百分比格式：输入 95.5 即为 95.5%")
    elif ind.kind in ("amount", "ratio"):
        parts.append(f"保留 {ind.decimals} 位小数")
    if ind.required == "always":
        parts.append("必填")
    elif ind.required == "graduates":
        parts.append("有毕业生的学校必填")
    if ind.desc:
        parts.append(ind.desc)
    return "；".join(parts)


def school_sheets(cat: Catalog) -> list[tuple[str, list[Indicator]]]:
    """Indicator sheets of a school workbook with their rows, in catalog order."""
    return [(s.name, cat.on_sheet(s.id)) for s in cat.sheets if cat.on_sheet(s.id)]


def indicator_cells(cat: Catalog) -> dict[str, tuple[str, int]]:
    """Where each indicator lives: key → (sheet name, row)."""
    cells = {}
    for sheet, inds in school_sheets(cat):
        for offset, ind in enumerate(inds):
            cells[ind.key] = (sheet, FIRST_ROW + offset)
    return cells


def list_headers(spec: ListSpec, year: int) -> tuple[str, ...]:
    return tuple(c.name.format(prev=year - 1, curr=year) for c in spec.columns)


def city_indicators(cat: Catalog) -> list[Indicator]:
    """Indicators listed in the city workbook's 市级指标 sheet."""
    return [i for i in cat.indicators if i.city.rule != "none"]


@dataclass(frozen=True)
class ListSheets:
    """The list sheets of a workbook (专业设置 only in school workbooks)."""

    school: tuple[str, ...] = ("majors", "cases", "photos")
    city: tuple[str, ...] = ("cases", "photos")


LIST_SHEETS = ListSheets()
