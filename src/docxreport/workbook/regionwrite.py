"""Writing a region's blank indicator catalog (``指标目录.xlsx``), as ``docxreport new`` does.

It holds no additions yet: a 填表说明 sheet saying what each sheet is for, the three sheets
the region fills (指标, 表格, 工作表) with drop-down lists, and two sheets for reading only,
the shipped indicators and tables as they stand (codes to refer to, labels to change).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from docxreport import layout as L
from docxreport import regional as R
from docxreport.catalog import Catalog
from docxreport.workbook.write import (
    LABEL_FILL,
    LIST_ROWS,
    _guide_sheet,
    _header,
    _printable,
    _protect,
    _rows_sheet,
    save_atomic,
)

INDICATOR_WIDTHS = (16, 24, 8, 8, 14, 14, 8, 8, 7, 10, 14, 14, 7, 14, 40, 7)
CHOICES = {  # column header → the words its drop-down list offers
    "类型": list(R.KIND_WORDS),
    "必填": list(R.REQUIRED_WORDS),
    "全市规则": list(R.RULE_WORDS),
    "停用": [R.RETIRE_WORD],
    "新表类型": list(R.TABLE_KIND_WORDS),
}
PROMPTS = {
    "指标代码": "英文字母开头，只含英文字母、数字和下划线，如 school_area。"
    "填已有指标的代码表示修改它（见“已有指标”表）",
    "工作表": "学校工作簿中的工作表，见“工作表”表；新的工作表先在那里添加",
    "类型": "计数：人数、个数（整数）；金额；百分比；比值；文字",
    "全市规则": "合计：各校相加；比值：合计分子 / 合计分母（× 倍数）；平均：各校算术平均；"
    "市级填报：由市级数据表填写；不汇总",
    "分子": "全市规则为“比值”时：分子的指标代码",
    "分母": "全市规则为“比值”时：分母的指标代码",
    "倍数": "比值再乘的数，如百分比填 100；不填为 1",
    "小数位": "报告中印出的小数位数，0 到 6",
    "停用": "选“停用”：本地区不用此指标，它从工作簿和报告中去掉",
    "表号": '已有表格的表号（见“已有表格”表），或新表的表号，如 设施-1；模板中写 table("表号")',
    "插在此指标之后": "不填则加在表末",
}


def guide_lines(year: int) -> list[str]:
    lines = [
        "本文件是本地区自己的指标目录：在程序自带的指标目录之上增加、修改或停用指标，"
        "不需要改动程序。空着即与自带的指标目录相同。",
        "“指标”表每行一个指标。填新的指标代码即新增指标：必填指标名称、类型和工作表，"
        "单位、必填、范围、小数位、全市规则和说明可选。",
        "填“已有指标”表中的代码即修改该指标：只填要改的列（指标名称、必填、最小值、最大值、"
        "小数位、说明、全市规则），空着的列保持原样；在“停用”列选“停用”则本地区不用它。",
        "全市规则：合计（各校相加）、比值（各校分子合计 ÷ 分母合计，再乘“倍数”，如生均校舍建筑面积 = "
        "校舍建筑面积 ÷ 全日制在校生人数）、平均、市级填报（在市级数据表中填写）、不汇总。",
        "“表格”表每行向一张表加一个指标：已有表格写表号即可；新表另起表号，并在“新表类型”中选择"
        "附表（序号、指标、单位、上年、本年）、指标分行（每校一列加合计）或学校分行（每校一行，指标为列）。"
        '模板中用 {{p table("表号") }} 插入，表题写在模板中。',
        "“工作表”表列出学校工作簿的工作表；在已有的之后添加新工作表的名称，即可在“指标”表中使用。",
        "“已有指标”“已有表格”两表列出程序自带的指标和表格，供查阅代码，改动它们不起作用。",
        "改好后运行 docxreport check：本文件中的每个问题都会列出（文件 › 工作表!单元格）。"
        "新指标在此后用 docxreport init 生成的工作簿中出现；已经发出的工作簿缺少新行时，"
        "check 会指出并说明如何补上。",
        f"本文件放在 inputs/{year}/ 中，每个年度一份；docxreport init 准备新年度时把它带到新年度。",
    ]
    return [f"{year} 年度本地区指标目录"] + [f"{n}. {t}" for n, t in enumerate(lines, start=1)]


def write_region(path: Path, cat: Catalog, year: int) -> bool:
    """Write a blank region catalog for ``year``, ``cat`` (the shipped one) listed for reference;
    False when a file of that name appeared meanwhile (it is kept)."""
    wb = Workbook()
    _guide_sheet(wb, guide_lines(year))
    wb.remove(wb.worksheets[0])
    _fill_sheet(wb.create_sheet(R.INDICATOR_SHEET), R.INDICATOR_HEADERS, INDICATOR_WIDTHS)
    _fill_sheet(wb.create_sheet(R.TABLE_SHEET), R.TABLE_HEADERS, (12, 12, 18, 30, 8, 18))
    _sheets_sheet(wb.create_sheet(R.SHEET_SHEET), cat)
    _reference(
        wb.create_sheet(R.SHIPPED_INDICATORS),
        R.INDICATOR_HEADERS[:-1],
        [row[:-1] for row in _indicator_rows(cat)],
        INDICATOR_WIDTHS,
    )
    _reference(
        wb.create_sheet(R.SHIPPED_TABLES),
        ("表号", "类型", "指标代码", "表中名称", "序号"),
        _table_rows(cat),
        (12, 12, 18, 40, 8),
    )
    wb.active = 1
    _printable(wb, f"{year} 年度本地区指标目录")
    return save_atomic(wb, path, path.parent, exclusive=True)


def _fill_sheet(ws: Worksheet, headers: tuple[str, ...], widths: tuple[int, ...]) -> None:
    """A sheet the region fills: empty rows, drop-down lists, a prompt on each column."""
    _rows_sheet(ws, headers, [], widths)
    for c, head in enumerate(headers, start=1):
        letter = get_column_letter(c)
        cells = f"{letter}2:{letter}{LIST_ROWS}"
        if head in CHOICES:
            dv = DataValidation(type="list", formula1='"' + ",".join(CHOICES[head]) + '"')
            dv.error, dv.showErrorMessage, dv.errorTitle = "请从下拉列表中选择", True, "输入有误"
        elif head == "工作表":
            dv = DataValidation(type="list", formula1=f"'{R.SHEET_SHEET}'!$A$2:$A${LIST_ROWS}")
            dv.error, dv.showErrorMessage, dv.errorTitle = (
                "请先在“工作表”表中添加",
                True,
                "输入有误",
            )
        elif head == "小数位":
            dv = DataValidation(type="whole", operator="between", formula1="0", formula2="6")
            dv.error, dv.showErrorMessage, dv.errorTitle = "请填写 0 到 6 的整数", True, "输入有误"
        else:
            dv = DataValidation(type=None)
        dv.allow_blank = True
        if head in PROMPTS:
            dv.promptTitle, dv.prompt, dv.showInputMessage = head, PROMPTS[head][:250], True
        dv.add(cells)
        ws.add_data_validation(dv)


def _sheets_sheet(ws: Worksheet, cat: Catalog) -> None:
    rows = [(name, "已有") for name, _inds in L.school_sheets(cat)]
    _rows_sheet(ws, R.SHEET_HEADERS, rows, (20, 40))
    for r in range(2, len(rows) + 2):  # the shipped sheets stay as they are
        for c in "AB":
            ws[f"{c}{r}"].protection = Protection(locked=True)
            ws[f"{c}{r}"].fill = LABEL_FILL


def _indicator_rows(cat: Catalog) -> list[tuple]:
    sheets = {s.id: s.name for s in cat.sheets}
    rows = []
    for i in cat.indicators:
        rule = i.city
        ratio = rule.rule == "ratio"
        rows.append(
            (
                i.key,
                i.name,
                i.unit,
                R.word_of(R.KIND_WORDS, i.kind),
                sheets.get(i.sheet, i.sheet),
                R.word_of(R.REQUIRED_WORDS, i.required),
                i.min,
                i.max,
                i.decimals,
                R.word_of(R.RULE_WORDS, rule.rule) if rule.rule != "distinct" else "去重计数",
                rule.numerator if ratio else None,
                rule.denominator if ratio else None,
                rule.scale if ratio and rule.scale != 1 else None,
                i.parent,
                i.desc,
                None,
            )
        )
    return rows


def _table_rows(cat: Catalog) -> list[tuple]:
    rows = []
    for t in cat.tables:
        kind = R.word_of(R.TABLE_KIND_WORDS, t.kind)
        items = [(r.key, r.label, r.seq) for r in t.rows] + [
            (c.key, c.label, None) for c in t.columns
        ]
        if t.key:
            items.append((t.key, None, None))
        if not items:
            rows.append((t.id, kind, None, "（学校的清单）", None))
        for key, label, seq in items:
            rows.append((t.id, kind, key, label or cat.indicator(key).label, seq))
    return rows


def _reference(
    ws: Worksheet, headers: tuple[str, ...], rows: list[tuple], widths: tuple[int, ...]
) -> None:
    """A sheet for reading: the shipped entries, locked."""
    _header(ws, headers, widths)
    for row in rows:
        ws.append(list(row))
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _protect(ws)
