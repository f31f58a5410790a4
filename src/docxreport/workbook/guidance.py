"""What a workbook tells the person filling it: notes beside 基本信息, input messages on
编制组, and the chapters a case or photo may name (a 章节一览 sheet and a drop-down).

The chapters come from the report templates (see
:mod:`docxreport.checks.templatesections`); a workbook written without them keeps a
free-text 章节 column.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from docxreport import layout as L
from docxreport.checks.templatesections import Section

# 基本信息 of the city workbook: what each row wants, shown in its 说明 column.
INFO_NOTES = {
    "region": "报告中使用的地区名称，如“某某市”",
    "region_full": "含省级名称的全称，印在封面和责任声明中，如“某某省某某市”",
    "code": "6 位行政区划代码",
    "bureau": "编制和发布报告的单位，如“某某市教育局”",
    "year": "报告年度（由程序填写，请勿修改）",
    "declaration_date": "内容真实性责任声明落款日期，写成 2025年1月20日（也可输入 Excel 日期）",
    "publish_date": "封面的发布日期，写成 2025年1月（只写年、月）",
    "reviewers": "审定人姓名，多人以空格分隔；印在编制组名单之后",
    "province": "报告中对省级的称谓：自治区填“自治区”，空着为“省级”",
}
NOTE_HEADER = "说明"
# 编制组: the message shown when a cell of each column is selected.
TEAM_PROMPTS = (
    "角色，如 负责人、编制组成员、数据采集。同一角色的人请连续排列：报告的编制组名单中"
    "角色只印一次，后面的人名对齐排在下面",
    "姓名，每人一行",
    "职务或工作单位，印在姓名后的括号中，如“某某市教育局副局长”；可空",
)
SECTIONS_SHEET = "章节一览"
SECTIONS_HEADERS = ("章节", "模板中的位置", "可放")
SECTION_PROMPT = (
    "从下拉列表选择章节号，即模板中放案例或照片的位置（见“章节一览”表）；"
    "填了列表以外的章节，生成报告时会提示这一条没有位置"
)
TEAM_ROWS = 200  # rows of 编制组 that carry input messages


def info_notes(ws: Worksheet, fields: Sequence[tuple[str, str]]) -> None:
    """A 说明 column beside 基本信息's values, and the same words as input messages."""
    header = ws.cell(row=1, column=3, value=NOTE_HEADER)
    header.font, header.fill = copy(ws["A1"].font), copy(ws["A1"].fill)
    ws.column_dimensions["C"].width = 60
    for r, (key, label) in enumerate(fields, start=2):
        text = INFO_NOTES.get(key)
        if not text:
            continue
        ws.cell(row=r, column=3, value=text).alignment = Alignment(wrap_text=True)
        dv = DataValidation(type=None, showInputMessage=True)
        dv.promptTitle, dv.prompt = label[:32], text[:250]
        dv.add(f"B{r}")
        ws.add_data_validation(dv)


def team_prompts(ws: Worksheet) -> None:
    """Input messages on 编制组's columns: what a role is and how the list prints."""
    for col, (header, text) in enumerate(zip(L.TEAM_HEADERS, TEAM_PROMPTS, strict=True)):
        letter = "ABC"[col]
        dv = DataValidation(type=None, showInputMessage=True)
        dv.promptTitle, dv.prompt = header, text[:250]
        dv.add(f"{letter}1:{letter}{TEAM_ROWS}")
        ws.add_data_validation(dv)


def sections_sheet(wb: Workbook, sections: Sequence[Section]) -> str | None:
    """A locked sheet listing the chapters that take cases or photos; the formula a
    drop-down takes its values from (None without chapters)."""
    if not sections:
        return None
    ws = wb.create_sheet(SECTIONS_SHEET)
    for col, (text, width) in enumerate(zip(SECTIONS_HEADERS, (10, 60, 12), strict=True), 1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font = Font(bold=True)
        ws.column_dimensions["ABC"[col - 1]].width = width
    for r, section in enumerate(sections, start=2):
        ws.cell(row=r, column=1, value=section.number)
        ws.cell(row=r, column=2, value=section.chapter)
        ws.cell(row=r, column=3, value="、".join(section.kinds))
    ws.protection.sheet = True
    return f"'{SECTIONS_SHEET}'!$A$2:$A${len(sections) + 1}"


def sections_last(wb: Workbook) -> None:
    """Move the 章节一览 sheet (when there is one) behind the sheets that refer to it."""
    if SECTIONS_SHEET in wb.sheetnames:
        at = wb.sheetnames.index(SECTIONS_SHEET)
        wb.move_sheet(SECTIONS_SHEET, offset=len(wb.sheetnames) - 1 - at)


def section_rule(source: str) -> DataValidation:
    """The 章节 column's drop-down; a chapter not listed is allowed after a warning."""
    dv = DataValidation(type="list", formula1=source, allow_blank=True)
    dv.errorStyle, dv.showErrorMessage = "warning", True
    dv.errorTitle = "章节不在列表中"
    dv.error = "模板中没有这个章节的案例或照片位置，生成报告时这一条不会印出。仍要填写吗？"
    dv.promptTitle, dv.prompt, dv.showInputMessage = "章节", SECTION_PROMPT, True
    return dv
