"""``docxreport init``: next year's workbooks carried over from the 2024 sample.

The round trip of issue 5: init 2025 from the sample, fill cells the way a user
would with openpyxl, then check (and load) the year.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import find
from docxreport import layout as L
from docxreport.catalog import Catalog, default_catalog
from docxreport.checks.history import compare
from docxreport.cli import main
from docxreport.dump import blocks
from docxreport.errors import InputError
from docxreport.init import contact, previous_year
from docxreport.load import load_year
from docxreport.model import CityData, Location, School, SchoolData, TeamMember, Value
from docxreport.rollup import printed
from docxreport.workbook import read_school

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "2024"
SCHOOLS = ("市一职", "市职校", "市艺校", "市体校", "前旗职中", "五原职高", "杭后职教")
SHI_YI = School("市一职", "临河区第一职业中等专业学校", ("巴市一职", "市第一职业学校"))


def run(*args: str) -> object:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines()]


def cell(cat: Catalog, key: str, period: str) -> tuple[str, str]:
    """Sheet and cell of indicator ``key`` in a school workbook."""
    sheet, row = L.indicator_cells(cat)[key]
    return sheet, f"{L.PERIOD_COL[period]}{row}"


def city_cell(cat: Catalog, key: str, period: str) -> str:
    row = L.FIRST_ROW + [i.key for i in L.city_indicators(cat)].index(key)
    return f"{'E' if period == 'prev' else 'F'}{row}"


def validation_of(ws, coordinate: str):
    return next(dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return default_catalog()


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> tuple[Path, str]:
    """inputs/2024 (the sample) and inputs/2025 written by ``init 2025``; with init's output."""
    inputs = tmp_path_factory.mktemp("init") / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    result = run("init", "2025", "--inputs", str(inputs))
    assert result.exit_code == 0, result.output
    return inputs, result.output


def fill(folder: Path, cat: Catalog) -> None:
    """Fill 2025 as a school would: every required 本年 cell, a case, the majors' status."""
    needed = [i for i in cat.indicators if i.required in ("always", "graduates")]
    for short in SCHOOLS:
        path = folder / L.SCHOOL_DIR / f"{short}.xlsx"
        wb = openpyxl.load_workbook(path)
        for ind in needed:
            sheet, prev = cell(cat, ind.key, "prev")
            _, curr = cell(cat, ind.key, "curr")
            last = wb[sheet][prev].value  # this year much like last year
            wb[sheet][curr].value = (
                last if last is not None else (0.9 if ind.kind == "percent" else 1)
            )
        if short == "市一职":
            sheet, curr = cell(cat, "students", "curr")
            wb[sheet][curr].value = 3000  # 2955 last year
        wb["案例"].append(["1.14", f"{short}的新案例", "今年的案例正文。"])
        majors = wb["专业设置"]
        for r in range(2, majors.max_row + 1):
            if majors[f"G{r}"].value is None:
                majors[f"G{r}"].value = "未调"
        wb.save(path)


@pytest.fixture(scope="module")
def filled(initialised, cat, tmp_path_factory) -> Path:
    inputs = tmp_path_factory.mktemp("filled") / "inputs"
    shutil.copytree(initialised[0], inputs)
    fill(inputs / "2025", cat)
    return inputs


@pytest.fixture
def year_copy(filled, tmp_path) -> Path:
    """A filled 2025 (with the 2024 sample beside it) of the test's own, to change."""
    shutil.copytree(filled, tmp_path / "inputs")
    return tmp_path / "inputs"


# ---- what init writes ---------------------------------------------------------------


def test_init_writes_the_city_workbook_one_per_school_and_a_photo_folder(initialised):
    inputs, output = initialised
    folder = inputs / "2025"
    assert (folder / L.CITY_FILE).is_file()
    assert sorted(p.stem for p in (folder / L.SCHOOL_DIR).iterdir()) == sorted(SCHOOLS)
    assert (folder / L.PHOTO_DIR).is_dir()
    out = lines(output)
    assert "由 2024 年结转" in out[0]
    assert "写入  市级.xlsx" in out
    assert all(f"写入  学校/{s}.xlsx" in out for s in SCHOOLS)
    assert "创建  图片/" in out
    assert out[-1].startswith("完成：写入 8 个工作簿，保留 0 个已有文件。")


def test_each_schools_2024_figures_become_its_2025_prev_figures(initialised, cat):
    inputs, _ = initialised
    rel = f"{L.SCHOOL_DIR}/市一职.xlsx"
    old, _ = read_school(inputs / "2024" / rel, rel, cat, SHI_YI, 2024)
    new, issues = read_school(inputs / "2025" / rel, rel, cat, SHI_YI, 2025)
    assert not [i for i in issues if i.is_error]
    assert new.get("students", "prev") == 2955
    for ind in cat.indicators:
        assert new.get(ind.key, "prev") == old.get(ind.key, "curr"), ind.key
        assert new.get(ind.key, "curr") is None, ind.key  # no 本年 figure is carried


def test_city_prev_column_holds_the_2024_city_figures_as_printed(initialised, cat):
    inputs, _ = initialised
    ws = openpyxl.load_workbook(inputs / "2025" / L.CITY_FILE)[L.CITY_VALUES_SHEET]
    assert ws[city_cell(cat, "students", "prev")].value == 9060
    assert ws[city_cell(cat, "student_teacher_ratio", "prev")].value == 9.42  # 9060 / 962
    assert ws[city_cell(cat, "major_count", "prev")].value == 53  # given by the bureau
    # mean of the schools' 双师型 rates, 57.407… printed as 57.41, stored as a percentage
    dual = ws[city_cell(cat, "dual_teacher_rate", "prev")]
    assert dual.value == pytest.approx(0.5741) and dual.number_format.endswith("%")
    assert all(ws[city_cell(cat, i.key, "curr")].value is None for i in L.city_indicators(cat))


def test_city_facts_are_copied_and_yearly_things_left_empty(initialised, cat):
    inputs, _ = initialised
    loaded = load_year(inputs, 2024, cat)
    old = loaded.data.city
    wb = openpyxl.load_workbook(inputs / "2025" / L.CITY_FILE)
    info = {r[0]: r[1] for r in wb[L.INFO_SHEET].iter_rows(min_row=2, values_only=True)}
    assert info["地区名称"] == old.region and info["行政区划代码"] == old.code
    assert info["编制单位"] == old.bureau and info["审定"] == old.reviewers
    assert info["报告年度"] == 2025
    assert info["声明日期"] is None and info["发布日期"] is None
    team = [r for r in wb[L.TEAM_SHEET].iter_rows(min_row=2, values_only=True)]
    assert team == [(m.role, m.name, m.title) for m in old.team]
    registry = [r[1] for r in wb[L.REGISTRY_SHEET].iter_rows(min_row=2, values_only=True)]
    assert registry == list(SCHOOLS)
    for sheet in (L.PUBLISHED_SHEET, "案例", "图片"):
        assert wb[sheet].max_row == 1, sheet


def test_majors_are_listed_again_without_this_years_numbers(initialised):
    inputs, _ = initialised
    old = openpyxl.load_workbook(inputs / "2024" / L.SCHOOL_DIR / "杭后职教.xlsx")["专业设置"]
    new = openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / "杭后职教.xlsx")["专业设置"]
    old_rows = list(old.iter_rows(min_row=2, values_only=True))
    new_rows = list(new.iter_rows(min_row=2, values_only=True))
    assert [r[:3] for r in new_rows] == [r[:3] for r in old_rows]  # code, name, since
    assert all(r[3:6] == (None, None, None) for r in new_rows)  # classes and students
    assert [r[6] for r in new_rows] == [("停办" if r[6] == "停办" else None) for r in old_rows]
    assert new["D1"].value == "2024 学年班级" and new["E1"].value == "2025 学年新招班级"


def test_cases_and_photos_are_not_carried(initialised):
    inputs, _ = initialised
    for short in SCHOOLS:
        wb = openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / f"{short}.xlsx")
        assert wb["案例"].max_row == 1 and wb["图片"].max_row == 1, short
    assert not any((inputs / "2025" / L.PHOTO_DIR).iterdir())


# ---- hard to fill in wrongly ----------------------------------------------------------


def test_count_cells_accept_only_whole_numbers_from_zero(initialised, cat):
    inputs, _ = initialised
    wb = openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / "市一职.xlsx")
    sheet, coordinate = cell(cat, "students", "curr")
    dv = validation_of(wb[sheet], coordinate)
    assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert dv.showErrorMessage and "整数" in dv.error
    assert dv.showInputMessage and "9月1日" in dv.prompt and "单位：人" in dv.prompt
    label = f"B{coordinate[1:]}"
    assert validation_of(wb[sheet], label) is dv  # the label shows the definition too


def test_percent_cells_take_zero_to_one_hundred_percent_with_a_percent_format(initialised, cat):
    inputs, _ = initialised
    wb = openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / "市一职.xlsx")
    sheet, coordinate = cell(cat, "dual_teacher_rate", "curr")
    dv = validation_of(wb[sheet], coordinate)
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "1")
    assert wb[sheet][coordinate].number_format == "0.00%"
    sheet, coordinate = cell(cat, "internship_funds", "curr")  # an amount: 2 decimals
    assert validation_of(wb[sheet], coordinate).type == "decimal"
    assert wb[sheet][coordinate].number_format == "0.00"


def test_list_sheets_have_drop_downs_and_whole_number_checks(initialised):
    inputs, _ = initialised
    wb = openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / "杭后职教.xlsx")
    ws = wb["专业设置"]
    adjust = validation_of(ws, "G500")
    assert adjust.type == "list" and adjust.formula1 == '"未调,新增,调整,停办"'
    assert validation_of(ws, "F3").type == "whole"
    assert "下拉列表" in validation_of(ws, "G1").prompt  # the header explains the column


def test_labels_are_locked_inputs_unlocked_and_no_password_is_needed(initialised, cat):
    inputs, _ = initialised
    wb = openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / "市一职.xlsx")
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
    sheet, coordinate = cell(cat, "students", "curr")
    row = coordinate[1:]
    ws = wb[sheet]
    assert all(ws[f"{c}{row}"].protection.locked for c in "ABCF")
    assert not ws[f"D{row}"].protection.locked and not ws[f"E{row}"].protection.locked
    assert ws["A1"].protection.locked and ws["E1"].protection.locked
    majors = wb["专业设置"]
    assert majors["A1"].protection.locked  # header
    assert majors.column_dimensions["A"].protection.locked is False  # rows to come
    assert not majors.protection.insertRows  # rows may be added
    info = wb[L.INFO_SHEET]
    assert not info["B5"].protection.locked  # 填表人


def test_each_workbook_is_stamped_with_its_school_and_year(initialised):
    inputs, _ = initialised
    for short in SCHOOLS:
        info = openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / f"{short}.xlsx")[
            L.INFO_SHEET
        ]
        assert (info["A2"].value, info["B2"].value) == ("学校（简称）", short)
        assert (info["A4"].value, info["B4"].value) == ("报告年度", 2025)
        assert info["B2"].protection.locked and info["B4"].protection.locked


def test_guide_says_what_was_carried_and_whom_to_ask(initialised):
    inputs, _ = initialised
    ws = openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / "市一职.xlsx")["填表说明"]
    text = "\n".join(str(r[0]) for r in ws.iter_rows(values_only=True) if r[0])
    assert text.startswith("临河区第一职业中等专业学校（市一职）2025 年度质量报告数据表")
    assert "2024 年数据表" in text and "专业设置" in text and "停办" in text
    ask = next(line for line in text.splitlines() if "有疑问请联系" in line)
    assert "巴彦淖尔市教育局" in ask
    assert ask.index("王宇（数据采集") < ask.index("宋姗姗")  # data collection first


# ---- never overwrite ---------------------------------------------------------------------


def test_second_init_changes_no_file_and_names_each_kept_one(initialised, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(initialised[0], inputs)
    before = snapshot(inputs)
    result = run("init", "2025", "--inputs", str(inputs))
    assert result.exit_code == 0, result.output
    assert snapshot(inputs) == before
    out = lines(result.output)
    assert "保留  市级.xlsx（已存在，未改动）" in out
    assert all(f"保留  学校/{s}.xlsx（已存在，未改动）" in out for s in SCHOOLS)
    assert "保留  图片/（已存在）" in out
    assert out[-1].startswith("完成：写入 0 个工作簿，保留 8 个已有文件。")


def test_init_writes_only_what_is_missing(initialised, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(initialised[0], inputs)
    folder = inputs / "2025"
    (folder / L.SCHOOL_DIR / "市艺校.xlsx").unlink()
    kept = folder / L.SCHOOL_DIR / "市体校.xlsx"
    kept.write_bytes(b"a school's own edited file")
    result = run("init", "2025", "--inputs", str(inputs))
    assert result.exit_code == 0, result.output
    assert "写入  学校/市艺校.xlsx" in lines(result.output)
    assert "保留  学校/市体校.xlsx（已存在，未改动）" in lines(result.output)
    assert kept.read_bytes() == b"a school's own edited file"
    assert "写入 1 个工作簿，保留 7 个已有文件" in result.output


def test_a_file_kept_under_an_alias_or_as_xls_is_not_written_again(initialised, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(initialised[0], inputs)
    sdir = inputs / "2025" / L.SCHOOL_DIR
    (sdir / "市一职.xlsx").rename(sdir / "巴市一职.xlsx")
    (sdir / "市职校.xlsx").rename(sdir / "市职校.xls")
    result = run("init", "2025", "--inputs", str(inputs))
    assert "保留  学校/巴市一职.xlsx（已存在，未改动）" in lines(result.output)
    assert "保留  学校/市职校.xls（已存在，未改动）" in lines(result.output)
    assert not (sdir / "市一职.xlsx").exists() and not (sdir / "市职校.xlsx").exists()


# ---- the previous year ------------------------------------------------------------------


def test_previous_year_with_errors_stops_init_and_points_to_check(tmp_path, cat):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    sheet, coordinate = cell(cat, "students", "curr")
    path = inputs / "2024" / L.SCHOOL_DIR / "市一职.xlsx"
    wb = openpyxl.load_workbook(path)
    wb[sheet][coordinate].value = "两千九"
    wb.save(path)
    result = run("init", "2025", "--inputs", str(inputs))
    assert result.exit_code == 1
    assert "2024 年的数据有 1 个错误，无法结转" in result.output
    assert f"docxreport check --year 2024 --inputs {inputs}" in result.output
    assert not (inputs / "2025").exists()


def test_without_an_earlier_year_init_says_so_and_exits_1(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    result = run("init", "2023", "--inputs", str(inputs))
    assert result.exit_code == 1
    assert "没有早于 2023 的年度文件夹" in result.output
    assert not (inputs / "2023").exists()


def test_without_an_earlier_year_a_city_workbook_gives_blank_school_workbooks(
    initialised, tmp_path
):
    inputs = tmp_path / "inputs"
    (inputs / "2025").mkdir(parents=True)
    shutil.copy(initialised[0] / "2025" / L.CITY_FILE, inputs / "2025" / L.CITY_FILE)
    result = run("init", "2025", "--inputs", str(inputs))
    assert result.exit_code == 0, result.output
    assert "学校名册" in lines(result.output)[0]
    assert "保留  市级.xlsx（已存在，未改动）" in result.output
    wb = openpyxl.load_workbook(inputs / "2025" / L.SCHOOL_DIR / "前旗职中.xlsx")
    assert all(
        v is None
        for (v,) in wb["办学规模"].iter_rows(min_row=2, min_col=4, max_col=4, values_only=True)
    )
    guide = " ".join(str(r[0]) for r in wb["填表说明"].iter_rows(values_only=True))
    assert "没有可结转的数据" in guide


def test_from_names_the_year_to_carry_and_must_exist_and_be_earlier():
    assert previous_year([2022, 2024], 2025, None) == 2024
    assert previous_year([2022, 2024, 2026], 2025, None) == 2024
    assert previous_year([2022, 2024], 2025, 2022) == 2022
    assert previous_year([2026], 2025, None) is None
    with pytest.raises(InputError, match="找不到 2023 年"):
        previous_year([2024], 2025, 2023)
    with pytest.raises(InputError, match="应早于 2025"):
        previous_year([2024, 2025], 2025, 2025)


def test_from_option_on_the_command_line(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    result = run("init", "2025", "--from", "2023", "--inputs", str(inputs))
    assert result.exit_code == 1 and "找不到 2023 年的文件夹" in result.output


def test_city_figures_are_rounded_half_up_like_the_report(cat):
    assert printed(57.40714285714286, cat.indicator("dual_teacher_rate")) == 57.41
    assert printed(9.425, cat.indicator("student_teacher_ratio")) == 9.43
    assert printed(9060, cat.indicator("students")) == 9060
    assert printed("14（全市）", cat.indicator("major_count")) == "14（全市）"


def test_contact_puts_the_data_collectors_first():
    city = CityData(
        file=L.CITY_FILE,
        bureau="甲市教育局",
        team=[TeamMember("负责人", "甲", "副局长"), TeamMember("数据采集", "乙", "科员")],
    )
    assert contact(city) == "甲市教育局编制组 乙（数据采集，科员）、甲（负责人，副局长）"
    assert contact(CityData(file=L.CITY_FILE, bureau="甲市教育局")) == "甲市教育局"


# ---- round trip: fill, check, load ------------------------------------------------------


def test_filled_in_year_passes_check_and_loads_with_last_years_figures(year_copy, cat):
    result = run("check", "--year", "2025", "--inputs", str(year_copy))
    assert result.exit_code == 0, result.output
    assert "共 0 个错误" in result.output
    loaded = load_year(year_copy, 2025, cat)
    data = loaded.data
    assert data is not None
    assert data.figure("students", "prev").value == 9060
    assert data.figure("students", "prev", "市一职").value == 2955
    assert data.figure("students", "curr", "市一职").value == 3000  # filled in by fill()
    assert data.figure("students", "curr").value == 9060 - 2955 + 3000
    assert len(data.school_data("市一职").lists["cases"]) == 1
    assert not [i for i in loaded.report if "数据表填报的本年数" in i.message]


def test_filled_in_year_builds_reports_whose_prev_columns_show_the_2024_figures(
    year_copy, tmp_path
):
    out = tmp_path / "out"
    templates = ROOT / "templates"
    args = ["--year", "2025", "--inputs", str(year_copy), "--templates", str(templates)]
    result = run("build", "--no-page-numbers", *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    report = out / "2025" / "巴彦淖尔市中等职业教育质量年度报告（2025）.docx"
    text = "\n".join(blocks(report))
    # 附表6: 序号 | 指标 | 单位 | 2024年 | 2025年
    assert re.search(r"全日制在校生人数 \| 人 \| 9060 \| 9105$", text, re.M), text


def test_check_rejects_workbooks_in_the_wrong_slot_or_of_the_wrong_year(year_copy):
    sdir = year_copy / "2025" / L.SCHOOL_DIR
    shutil.copy(sdir / "市一职.xlsx", sdir / "市职校.xlsx")
    shutil.copy(year_copy / "2024" / L.SCHOOL_DIR / "市艺校.xlsx", sdir / "市艺校.xlsx")
    result = run("check", "--year", "2025", "--inputs", str(year_copy))
    assert result.exit_code == 1
    rows = [line for line in lines(result.output) if line.startswith("错误")]
    assert any("学校/市职校.xlsx › 基本信息!B2" in r and "“市一职”" in r for r in rows)
    assert any("学校/市艺校.xlsx › 基本信息!B4" in r and "2024，应为 2025" in r for r in rows)


# ---- history: 上年 against last year's 本年 ---------------------------------------------


def test_changed_prev_figure_is_warned_with_both_figures_and_last_years_cell(year_copy, cat):
    sheet, prev = cell(cat, "students", "prev")
    _, curr = cell(cat, "students", "curr")
    path = year_copy / "2025" / L.SCHOOL_DIR / "市一职.xlsx"
    wb = openpyxl.load_workbook(path)
    wb[sheet][prev].value = 2900
    wb.save(path)
    report = load_year(year_copy, 2025, cat).report
    issue = find(report, f"学校/市一职.xlsx › {sheet}!{prev}", "2900", "2955")
    assert not issue.is_error
    assert f"2024/学校/市一职.xlsx › {sheet}!{curr}" in issue.message


def _school(values: dict[tuple[str, str], object], year_file: str) -> SchoolData:
    sd = SchoolData(school=SHI_YI, file=year_file)
    for (key, period), value in values.items():
        sd.values[(key, period)] = Value(value, Location(year_file, "办学规模", period))
    return sd


def test_history_compares_only_what_was_reported_last_year(cat):
    last = _school({("students", "curr"): 2955, ("staff", "curr"): None}, "学校/市一职.xlsx")
    same = _school({("students", "prev"): 2955, ("staff", "prev"): 300}, "学校/市一职.xlsx")
    assert list(compare(same, last, 2024, cat)) == []
    blanked = _school({("students", "prev"): None}, "学校/市一职.xlsx")
    [issue] = compare(blanked, last, 2024, cat)
    assert "上年栏为空" in issue.message and "2955" in issue.message


def test_history_compares_percentages_as_read(cat):
    last = _school({("dual_teacher_rate", "curr"): 60.5}, "x")
    now = _school({("dual_teacher_rate", "prev"): 60.50000000001}, "x")
    assert list(compare(now, last, 2024, cat)) == []
