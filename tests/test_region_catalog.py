"""A region's own indicator catalog (inputs/<年度>/指标目录.xlsx) over the shipped one.

The round trip: a region adds 校舍建筑面积 and 纸质图书总数 (sums) and their ratios per
student on a new sheet 设施设备, makes 教职工额定编制数 required and retires
接收国外访学教师人数; init 2025 from the sample lays the new rows out, the schools fill
them, and a template prints the ratios in a sentence and in a new table.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from conftest import find, has_words
from docxreport import layout as L
from docxreport import regional as R
from docxreport.catalog import default_catalog
from docxreport.cli import main
from docxreport.dump import blocks
from docxreport.errors import CatalogError
from docxreport.load import load_year, region_catalog, with_region
from docxreport.workbook.regionwrite import write_region

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "2024"
REPORT = "巴彦淖尔市中等职业教育质量年度报告（2025）.docx"
SCHOOLS = ("市一职", "市职校", "市艺校", "市体校", "前旗职中", "五原职高", "杭后职教")
AREA = {s: 20000 + 1111 * n for n, s in enumerate(SCHOOLS)}  # 校舍建筑面积 (平方米)
BOOKS = {s: 60000 + 7777 * n for n, s in enumerate(SCHOOLS)}  # 纸质图书总数 (册)

ADDED = [
    {"指标代码": "school_area", "指标名称": "校舍建筑面积", "单位": "平方米", "类型": "金额",
     "工作表": "设施设备", "必填": "必填", "全市规则": "合计",
     "说明": "学校产权校舍的建筑面积"},
    {"指标代码": "paper_books", "指标名称": "纸质图书总数", "单位": "册", "类型": "计数",
     "工作表": "设施设备", "必填": "必填", "全市规则": "合计"},
    {"指标代码": "area_per_student", "指标名称": "生均校舍建筑面积", "单位": "平方米",
     "类型": "比值", "工作表": "设施设备", "小数位": 2, "全市规则": "比值",
     "分子": "school_area", "分母": "students"},
    {"指标代码": "books_per_student", "指标名称": "生均纸质图书", "单位": "册", "类型": "比值",
     "工作表": "设施设备", "小数位": 1, "全市规则": "比值", "分子": "paper_books",
     "分母": "students"},
    {"指标代码": "staff_quota", "必填": "必填"},
    {"指标代码": "intl_visiting_teachers", "停用": "停用"},
]  # fmt: skip
TABLE_ROWS = [
    ("设施-1", "附表", "school_area", None, "1"),
    ("设施-1", None, "area_per_student", None, "1"),
    ("设施-1", None, "paper_books", None, "2"),
    ("设施-1", None, "books_per_student", "生均图书", "2"),
    ("annex6", None, "area_per_student", None, "1", "students"),
]


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def region_file(path: Path, indicators=ADDED, rows=TABLE_ROWS, sheets=("设施设备",)) -> Path:
    """A region catalog as a bureau fills it: the blank file, rows typed in with Excel."""
    write_region(path, default_catalog(), 2025)
    wb = openpyxl.load_workbook(path)
    for name in sheets:
        wb[R.SHEET_SHEET].append([name])
    for entry in indicators:
        wb[R.INDICATOR_SHEET].append([entry.get(h) for h in R.INDICATOR_HEADERS])
    for row in rows:
        wb[R.TABLE_SHEET].append(list(row))
    wb.save(path)
    return path


def fill(folder: Path, cat) -> None:
    """Fill 2025 as the schools would: each required 本年 cell, and the new sheet."""
    cells = L.indicator_cells(cat)
    needed = [i for i in cat.indicators if i.required in ("always", "graduates")]
    for short in SCHOOLS:
        path = folder / L.SCHOOL_DIR / f"{short}.xlsx"
        wb = openpyxl.load_workbook(path)
        for ind in needed:
            sheet, row = cells[ind.key]
            last = wb[sheet][f"D{row}"].value
            wb[sheet][f"E{row}"] = (
                last if last is not None else (0.9 if ind.kind == "percent" else 1)
            )
        for key, figures in (("school_area", AREA), ("paper_books", BOOKS)):
            sheet, row = cells[key]
            wb[sheet][f"E{row}"] = figures[short]
        majors = wb["专业设置"]
        for r in range(2, majors.max_row + 1):
            majors[f"G{r}"] = majors[f"G{r}"].value or "未调"
        wb.save(path)


def facilities_template(folder: Path) -> Path:
    """The sample's city template with a sentence and the new table at its end."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = Document(str(ROOT / "templates" / "city.docx"))
    doc.add_paragraph(
        '全市生均校舍建筑面积 {{ v("area_per_student") }} 平方米，'
        '生均纸质图书 {{ v("books_per_student") }} 册。'
    )
    doc.add_paragraph("表 设施设备", style="表题")
    doc.add_paragraph('{{p table("设施-1") }}')
    doc.add_paragraph('{{p chart(["school_area", "paper_books"], title="设施设备") }}')
    doc.add_paragraph("设施设备", style="图题")
    doc.save(str(folder / "city.docx"))
    shutil.copy(ROOT / "templates" / "school.docx", folder / "school.docx")
    return folder


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    """The sample 2024, a region catalog for 2025, init 2025, and the workbooks filled."""
    inputs = tmp_path_factory.mktemp("region") / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    region_file(inputs / "2025" / R.REGION_FILE)
    result = run("init", "2025", "--inputs", str(inputs))
    assert result.exit_code == 0, result.output
    fill(inputs / "2025", region_catalog(inputs, 2025))
    return inputs


@pytest.fixture(scope="module")
def built(region, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    templates = facilities_template(out / "templates")
    args = ["--year", "2025", "--inputs", str(region), "--templates", str(templates)]
    result = run(
        "build", "--city-only", "--no-page-numbers", "--jobs", "1", *args, "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    return out / "2025"


def test_init_lays_the_added_rows_out_on_their_sheet_and_drops_the_retired_one(region):
    wb = openpyxl.load_workbook(region / "2025" / L.SCHOOL_DIR / "市一职.xlsx")
    assert wb.sheetnames.index("设施设备") == wb.sheetnames.index("落实政策与经费") + 1
    keys = [r[0] for r in wb["设施设备"].iter_rows(min_row=2, max_col=2, values_only=True)]
    assert keys == ["school_area", "paper_books", "area_per_student", "books_per_student"]
    assert wb["设施设备"]["F2"].value.endswith("必填；学校产权校舍的建筑面积")
    assert wb["设施设备"]["F4"].value == "保留 2 位小数；校舍建筑面积 ÷ 全日制在校生人数"
    codes = {c.value for ws in wb.worksheets for c in ws["A"]}
    assert "intl_visiting_teachers" not in codes and "intl_students" in codes
    city = openpyxl.load_workbook(region / "2025" / L.CITY_FILE)[L.CITY_VALUES_SHEET]
    rules = {r[0]: r[3] for r in city.iter_rows(min_row=2, values_only=True)}
    assert rules["area_per_student"] == "合计分子 / 合计分母"
    assert "intl_visiting_teachers" not in rules


def test_filled_year_checks_clean_and_a_required_change_is_enforced(region, tmp_path):
    result = run("check", "--year", "2025", "--inputs", str(region), "--templates", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "共 0 个错误" in result.output
    assert has_words(result.output, "指标目录：程序自带，加上本地区的", "2025/指标目录.xlsx")
    assert (
        "新增 4 个指标、修改 1 个、停用 1 个、新增工作表 设施设备、表格中加 5 行" in result.output
    )
    shutil.copytree(region, tmp_path / "inputs")
    cat = region_catalog(tmp_path / "inputs", 2025)
    assert cat.indicator("staff_quota").required == "always"  # optional in the shipped one
    sheet, row = L.indicator_cells(cat)["staff_quota"]
    path = tmp_path / "inputs" / "2025" / L.SCHOOL_DIR / "市艺校.xlsx"
    wb = openpyxl.load_workbook(path)
    wb[sheet][f"E{row}"] = None
    wb.save(path)
    loaded = load_year(tmp_path / "inputs", 2025, cat)
    issue = find(loaded.report, f"学校/市艺校.xlsx › {sheet}!E{row}", "必填")
    assert issue.level == "错误"


def test_city_ratios_are_the_sums_over_the_student_total_by_the_declared_decimals(region, built):
    data = load_year(region, 2025, region_catalog(region, 2025)).data
    students = data.figure("students").value
    assert data.figure("school_area").value == sum(AREA.values())
    area = sum(AREA.values()) / students
    books = sum(BOOKS.values()) / students
    assert data.figure("area_per_student").value == pytest.approx(area)
    text = "\n".join(blocks(built / REPORT))
    assert f"全市生均校舍建筑面积 {area:.2f} 平方米，生均纸质图书 {books:.1f} 册。" in text
    # the new annex-like table: 序号 | 指标 | 单位 | 2024年 | 2025年 (2024 had no such figures)
    assert re.search(rf"生均校舍建筑面积 \| 平方米 \| — \| {area:.2f}$", text, re.M), text
    assert re.search(rf"生均图书 \| 册 \| — \| {books:.1f}$", text, re.M), text
    assert re.search(rf"纸质图书总数 \| 册 \| — \| {sum(BOOKS.values())}$", text, re.M), text
    # and the row added to 附表6, right after 在校生
    assert re.search(
        rf"全日制在校生人数 \| 人 .*\n.*生均校舍建筑面积 \| 平方米 \| — \| {area:.2f}", text
    )
    assert "接收国外访学教师人数" not in text  # retired: its 附表5 row is gone


def test_listing_names_each_new_figures_cells(built):
    ws = openpyxl.load_workbook(built / "数据来源.xlsx").worksheets[0]
    rows = [[str(c or "") for c in r] for r in ws.iter_rows(values_only=True)]
    ratio = [r for r in rows if any("生均校舍建筑面积 =" in c for c in r)]
    assert ratio, rows[:5]
    source = ratio[0][-1]
    for short in SCHOOLS:
        assert f"学校/{short}.xlsx › 设施设备!E2" in source
        assert f"学校/{short}.xlsx › 办学规模!E4" in source  # the students' cells
    assert not [r for r in rows if any("intl_visiting_teachers" in c or "访学" in c for c in r)]


def test_template_check_knows_the_added_keys_and_tables(region, tmp_path):
    templates = facilities_template(tmp_path / "templates")
    result = run("check", "--year", "2025", "--inputs", str(region), "--templates", str(templates))
    assert result.exit_code == 0, result.output
    doc = Document(str(templates / "city.docx"))
    doc.add_paragraph('{{ v("intl_visiting_teachers") }}')
    doc.save(str(templates / "city.docx"))
    result = run("check", "--year", "2025", "--inputs", str(region), "--templates", str(templates))
    assert result.exit_code == 1
    assert "intl_visiting_teachers" in result.output


def test_confirmation_lists_the_schools_new_cells(region, tmp_path):
    templates = facilities_template(tmp_path / "templates")
    args = ["--year", "2025", "--inputs", str(region), "--templates", str(templates)]
    result = run("confirm", *args, "--out", str(tmp_path / "out"), "--school", "市一职")
    assert result.exit_code == 0, result.output
    sheet = next((tmp_path / "out" / "2025" / "数据确认表").glob("*.docx"))
    text = "\n".join(blocks(sheet))
    assert "设施设备" in text and "校舍建筑面积" in text and str(AREA["市一职"]) in text


def test_last_years_workbooks_still_read_and_this_years_old_workbook_says_which_row_to_add(
    region, tmp_path
):
    result = run("check", "--year", "2024", "--inputs", str(region), "--templates", str(tmp_path))
    assert result.exit_code == 0, result.output  # 2024 keeps the shipped catalog
    shutil.copytree(region, tmp_path / "inputs")
    old = tmp_path / "inputs" / "2025" / L.SCHOOL_DIR / "市体校.xlsx"
    wb = openpyxl.load_workbook(old)
    del wb["设施设备"]
    wb.create_sheet("设施设备").append(list(L.indicator_headers(2025)))
    wb.save(old)
    cat = region_catalog(tmp_path / "inputs", 2025)
    city = tmp_path / "inputs" / "2025" / L.CITY_FILE
    wb = openpyxl.load_workbook(city)
    row = L.FIRST_ROW + [i.key for i in L.city_indicators(cat)].index("students")
    wb[L.CITY_VALUES_SHEET][f"E{row}"] = 9999  # not what the 2024 report printed
    wb.save(city)
    loaded = load_year(tmp_path / "inputs", 2025, cat)
    issue = find(loaded.report, "学校/市体校.xlsx › 设施设备", "缺少指标行", "school_area")
    assert has_words(issue.message, "较早的指标目录", "A 列填 school_area", "“校舍建筑面积”")
    # 2024 is still read (by its own catalog) to check the city's 上年 column against it
    find(
        loaded.report, f"市级.xlsx › {L.CITY_VALUES_SHEET}!E{row}", "2024 年报告印出的全市数为 9060"
    )


def test_init_carries_the_region_catalog_into_the_next_year(region, tmp_path):
    shutil.copytree(region, tmp_path / "inputs")
    result = run("init", "2026", "--inputs", str(tmp_path / "inputs"))
    assert result.exit_code == 0, result.output
    assert "写入  指标目录.xlsx" in result.output
    assert "指标目录：程序自带，加上本地区的" in result.output  # carried from 2025, and used
    carried = tmp_path / "inputs" / "2026" / R.REGION_FILE
    assert carried.read_bytes() == (region / "2025" / R.REGION_FILE).read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "inputs" / "2026" / L.SCHOOL_DIR / "市一职.xlsx")
    assert wb["设施设备"]["D2"].value == AREA["市一职"]  # this year's figure, next year's 上年


def test_a_blank_region_catalog_is_the_shipped_one(tmp_path):
    path = tmp_path / R.REGION_FILE
    write_region(path, default_catalog(), 2025)
    assert with_region("省级", path) is default_catalog("省级")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["填表说明", R.INDICATOR_SHEET, R.TABLE_SHEET, R.SHEET_SHEET]
    listed = [r[0] for r in wb[R.SHIPPED_INDICATORS].iter_rows(min_row=2, values_only=True)]
    assert listed == [i.key for i in default_catalog().indicators]
    kinds = next(
        dv for dv in wb[R.INDICATOR_SHEET].data_validations.dataValidation if "D2" in dv.sqref
    )
    assert kinds.formula1 == '"计数,金额,百分比,比值,文字"'


def test_a_broken_region_catalog_lists_every_problem_located_at_once(tmp_path):
    bad = [
        {"指标代码": "school_area", "指标名称": "校舍建筑面积", "类型": "金额", "工作表": "设施"},
        {"指标代码": "per_student", "指标名称": "生均", "类型": "比值", "工作表": "办学规模",
         "全市规则": "比值", "分子": "no_such_key", "分母": "students"},
        {"指标代码": "school_area", "指标名称": "又一个", "类型": "金额", "工作表": "办学规模"},
        {"指标代码": "books", "指标名称": "图书", "类型": "本数", "工作表": "办学规模"},
    ]  # fmt: skip
    path = region_file(tmp_path / R.REGION_FILE, bad, rows=(), sheets=())
    with pytest.raises(CatalogError) as caught:
        with_region("省级", path)
    message = str(caught.value)
    where = f"{tmp_path.name}/{R.REGION_FILE} › {R.INDICATOR_SHEET}"
    assert f"{where}!E2：工作表“设施”不存在" in message
    assert f"{where}!第 3 行（per_student）：引用了未声明的指标 no_such_key" in message
    assert f"{where}!A4：指标代码 school_area 重复" in message
    assert f"{where}!D5：类型“本数”无效" in message
    assert message.count("\n  - ") == 4, message


def test_check_with_a_broken_region_catalog_says_so_without_a_traceback(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "inputs" / "2024")
    region_file(tmp_path / "inputs" / "2024" / R.REGION_FILE, [{"指标代码": "x", "类型": "计数"}])
    result = run("check", "--inputs", str(tmp_path / "inputs"), "--templates", str(tmp_path))
    assert result.exit_code == 1
    assert has_words(result.output, "指标目录", "新指标必须填写“指标名称”")


def test_refresh_carries_a_corrected_new_figure_into_the_built_report(region, built, tmp_path):
    shutil.copytree(region, tmp_path / "inputs")
    shutil.copytree(built, tmp_path / "out" / "2025")
    cat = region_catalog(tmp_path / "inputs", 2025)
    sheet, row = L.indicator_cells(cat)["school_area"]
    path = tmp_path / "inputs" / "2025" / L.SCHOOL_DIR / "市一职.xlsx"
    wb = openpyxl.load_workbook(path)
    wb[sheet][f"E{row}"] = AREA["市一职"] + 9060  # one more square metre per student
    wb.save(path)
    args = ["--inputs", str(tmp_path / "inputs"), "--out", str(tmp_path / "out")]
    result = run("refresh", "--year", "2025", *args, "--no-page-numbers")
    assert result.exit_code == 3, result.output
    students = load_year(tmp_path / "inputs", 2025, cat).data.figure("students").value
    area = (sum(AREA.values()) + 9060) / students
    report = tmp_path / "out" / "2025" / REPORT  # refresh left a backup beside it
    text = "\n".join(blocks(report))
    assert f"全市生均校舍建筑面积 {area:.2f} 平方米" in text
    assert re.search(rf"生均校舍建筑面积 \| 平方米 \| — \| {area:.2f}$", text, re.M)
    assert has_words(result.output, "生均校舍建筑面积")


def test_a_shipped_indicator_keeps_its_kind_and_cannot_retire_while_others_use_it(tmp_path):
    rows = [
        {"指标代码": "staff", "类型": "金额"},
        {"指标代码": "fulltime_teachers", "停用": "停用"},
    ]
    path = region_file(tmp_path / R.REGION_FILE, rows, rows=(), sheets=())
    with pytest.raises(CatalogError) as caught:
        with_region("省级", path)
    message = str(caught.value)
    where = f"{tmp_path.name}/{R.REGION_FILE} › {R.INDICATOR_SHEET}"
    assert f"{where}!第 2 行（staff）：已有指标 staff 的“类型”不能修改" in message
    assert has_words(
        message, f"{where}!第 3 行（fulltime_teachers）", "不能停用", "pe_teachers", "生师比"
    )
    assert message.count("\n  - ") == 2, message  # one line for all that use it, nothing more


def test_changed_label_bounds_and_decimals_reach_the_catalog(tmp_path):
    rows = [{"指标代码": "student_teacher_ratio", "指标名称": "学生与专任教师之比",
             "最小值": 5, "最大值": 40, "小数位": 1}]  # fmt: skip
    cat = with_region("自治区", region_file(tmp_path / R.REGION_FILE, rows, rows=(), sheets=()))
    ind = cat.indicator("student_teacher_ratio")
    assert (ind.name, ind.min, ind.max, ind.decimals) == ("学生与专任教师之比", 5, 40, 1)
    assert ind.city.rule == "ratio" and ind.unit == ""  # the rest as shipped
    assert "自治区" in cat.indicator("skill_award_prov_first").name  # the region's wording kept


def test_a_new_sheet_may_not_take_the_name_of_a_sheet_with_another_use(tmp_path):
    rows = [{"指标代码": "x", "指标名称": "某数", "类型": "计数", "工作表": "基本信息"}]
    path = region_file(tmp_path / R.REGION_FILE, rows, rows=(), sheets=("案例",))
    with pytest.raises(CatalogError) as caught:
        with_region("省级", path)
    message = str(caught.value)
    assert f"{R.SHEET_SHEET}!A12：“案例”是工作簿中另有用途的工作表" in message
    assert f"{R.INDICATOR_SHEET}!E2：工作表“基本信息”不存在" in message


def test_new_in_a_region_at_work_writes_only_the_catalog_and_init_then_carries_the_year(tmp_path):
    inputs, templates = tmp_path / "inputs", tmp_path / "templates"
    shutil.copytree(SAMPLE, inputs / "2024")
    shutil.copytree(ROOT / "templates", templates)
    result = run("new", "2025", "--inputs", str(inputs), "--templates", str(templates))
    assert result.exit_code == 0, result.output
    assert has_words(result.output, "跳过", "市级.xlsx", "已有 2024 年的数据", "init 2025")
    assert has_words(result.output, "写入", "指标目录.xlsx")
    assert sorted(p.name for p in (inputs / "2025").iterdir()) == [R.REGION_FILE]
    region_file(inputs / "2025" / R.REGION_FILE)
    result = run("init", "2025", "--inputs", str(inputs))
    assert result.exit_code == 0, result.output
    assert "由 2024 年结转" in result.output
    city = openpyxl.load_workbook(inputs / "2025" / L.CITY_FILE)["基本信息"]
    assert "巴彦淖尔" in str(city["B2"].value)  # carried, not blank
    assert (
        "设施设备"
        in openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / "市一职.xlsx").sheetnames
    )


def test_a_chart_draws_the_new_figures_and_the_listing_traces_them(built):
    ws = openpyxl.load_workbook(built / "数据来源.xlsx").worksheets[0]
    rows = [[str(c or "") for c in r] for r in ws.iter_rows(values_only=True)]
    charted = [r for r in rows if any(c == "图：设施设备" for c in r)]
    assert str(sum(AREA.values())) in {c for r in charted for c in r}, charted
    assert str(sum(BOOKS.values())) in {c for r in charted for c in r}, charted


def test_a_city_workbook_made_before_the_region_catalog_still_reads(tmp_path):
    from docxreport.model import CityData
    from docxreport.workbook import read_city, write_city

    given = {"指标代码": "city_land", "指标名称": "全市职业教育用地", "单位": "亩", "类型": "金额",
             "工作表": "落实政策与经费", "全市规则": "市级填报"}  # fmt: skip
    cat = with_region("省级", region_file(tmp_path / R.REGION_FILE, [*ADDED, given], rows=()))
    path = tmp_path / L.CITY_FILE
    write_city(path, default_catalog(), CityData(file=L.CITY_FILE, region="某市"), 2025)
    city, issues = read_city(path, L.CITY_FILE, cat, 2025)
    assert city is not None
    where = f"市级.xlsx › {L.CITY_VALUES_SHEET}"
    summed = find(issues, where, "缺少指标行", "school_area")
    assert summed.level == "警告" and "上年的全市数按空白处理" in summed.message
    stated = find(issues, where, "缺少指标行", "city_land")
    assert stated.level == "错误" and "A 列填 city_land" in stated.message


def test_adopt_checks_the_new_template_against_the_regions_catalog(region, built, tmp_path):
    report = tmp_path / REPORT
    shutil.copy(built / REPORT, report)
    args = ["adopt", str(report), "--templates", str(tmp_path / "templates")]
    result = run(*args, "--inputs", str(region))
    assert result.exit_code == 0, result.output
    template = "\n".join(blocks(tmp_path / "templates" / "city.docx"))
    assert '{{ v("area_per_student") }}' in template and 'table("设施-1")' in template
    shipped = run(*args, "--inputs", str(tmp_path / "none"))  # the shipped catalog only
    assert shipped.exit_code == 1 and "area_per_student" in shipped.output
