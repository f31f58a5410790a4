"""The layout of the workbooks, derived from the catalog.

Pure: it says which sheet, header and cell holds what. :mod:`docxreport.workbook`
writes and reads workbooks by this layout, so that ``init`` and the reader can
never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

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
    ("max_cases", "全市报告案例上限"),
    ("max_cases_per_chapter", "每章案例上限"),
    ("max_photos_per_case", "每个案例照片上限"),
    ("max_photos", "全市报告照片上限"),
)
# The city report's limits (基本信息), with the values an older workbook without the rows gets:
# the published sample printed 17 cases (at most 5 in a chapter, 3 photos in a case), 53 photos.
LIMITS: dict[str, int] = {
    "max_cases": 20,
    "max_cases_per_chapter": 6,
    "max_photos_per_case": 4,
    "max_photos": 60,
}
# Rows of 基本信息 an older city workbook may lack: read when present.
OPTIONAL_INFO = frozenset({"province", *LIMITS})
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
# 案例与图片遴选: every case and photo submitted, and the group's choice for the city report.
# Columns A–F and J are written by check from the workbooks; G, H, I and K are the group's.
SELECTION_SHEET = "案例与图片遴选"
SELECTION_HEADERS = (
    "学校",
    "类型",
    "章节",
    "标题（图题）",
    "字数",
    "照片数",
    "入选全市报告",
    "顺序",
    "全市报告章节",
    "状态",
    "备注",
)
SELECTION_GROUP_COLUMNS = ("G", "H", "I", "K")  # the group's: kept by every sync
CITY_OWNER = "市级"  # the 学校 column of the bureau's own cases and photos
PUBLISHED_HEADERS = ("表号", "指标代码", "学校（空为全市）", "年份", "发布值", "说明")

# -- names from the data that become file names --------------------------------------------------

SHORT_NAME_MAX = 30  # characters of a 简称: 学校/<简称>.xlsx, templates/学校/<简称>.docx …
# What no file name may hold on Windows (and / on any system), control characters included.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# Windows' device names: no file may be called so, whatever its extension.
_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{d}{n}" for d in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")]
)
SHORT_NAME_RULE = (
    f"简称用作文件名（学校/<简称>.xlsx），只能用汉字、字母、数字等，最多 {SHORT_NAME_MAX} 个字，"
    '不能含 \\ / : * ? " < > | “..”和控制字符，不能以“.”或“~$”开头、以“.”或空格结尾，'
    "也不能是 CON、PRN、AUX、NUL、COM1、LPT1 等 Windows 保留名称"
)


def short_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a school's 简称, or None when it can.

    A 简称 names the school's files (its workbook, its own template, its findings), so it
    must be a plain file name on every system: the one rule, checked where the registry
    is read and wherever a 简称 arrives from elsewhere (a report's state, for ``adopt``).
    """
    if not name.strip():
        return "简称为空"
    if len(name) > SHORT_NAME_MAX:
        return f"简称有 {len(name)} 个字，超过 {SHORT_NAME_MAX} 个"
    bad = sorted(set(_NOT_IN_NAMES.findall(name)))
    if bad:
        shown = " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
        return f"简称含有不能用于文件名的字符 {shown}"
    if name.startswith((".", "~$")) or name.endswith((".", " ")) or ".." in name:
        return "简称不能以“.”或“~$”开头、以“.”或空格结尾，也不能含“..”"
    if name.split(".")[0].strip().upper() in _DEVICES:
        return f"“{name}”是 Windows 的保留名称，不能用作文件名"
    return None


def safe_filename(name: str) -> str:
    """``name`` with the characters no file name may hold replaced by ``_``."""
    return _NOT_IN_NAMES.sub("_", name)


PHOTO_OUTSIDE = (
    "不在 图片 文件夹中：“文件”列只能写 图片 文件夹里的文件名（可带子文件夹），"
    "不能是“..”、以“/”或盘符开头的路径，也不能是指向文件夹外的快捷方式（链接）"
)


def photo_path(root: Path, name: str) -> Path | None:
    """The file ``name`` (a workbook's 图片 › 文件 cell) stands for in the photo folder
    ``root``, or None when it would lie outside that folder.

    The path is resolved, so that ``..``, an absolute path (POSIX or Windows) and a link
    in the folder that points elsewhere are all refused alike; whether something exists
    outside is never looked at beyond resolving, and never said.
    """
    text = name.replace("\\", "/")
    if not text or text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return None
    if ".." in text.split("/"):
        return None
    folder = Path(root).resolve()
    resolved = (folder / text).resolve()
    if folder not in resolved.parents:
        return None
    return Path(root) / text


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


# How a percent cell is filled: the cell is formatted as a percentage, so a bare number
# pasted into it (95.5) is taken as 9550%; typed with its sign, or as a fraction, it is not.
PERCENT_NOTE = "百分数：输入 95.5%（带百分号）或 0.955；不带百分号粘贴的 95.5 会变成 9550%"


def note(ind: Indicator) -> str:
    """The 填写说明 cell: kind, range and requirement, then the definition."""
    parts = []
    if ind.kind == "count":
        parts.append("填整数")
    elif ind.kind == "percent":
        parts.append(PERCENT_NOTE)
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
