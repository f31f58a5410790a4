"""``docxreport check`` through click's CliRunner, with the shipped catalog."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import JIA, YEAR, Scenario
from docxreport import layout as L
from docxreport.cli import main
from docxreport.console import print_report
from docxreport.issues import Report


@pytest.fixture
def runner(tmp_path, monkeypatch) -> CliRunner:
    """A runner working in an empty folder of its own."""
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def staff_cell(cat) -> tuple[str, str]:
    """Sheet and 本年 cell of 教职工总数 in a school workbook, wherever the catalog puts it."""
    sheet, row = L.indicator_cells(cat)["staff"]
    return sheet, f"{L.CURR_COL}{row}"


@pytest.fixture(scope="module")
def warned_inputs(tmp_path_factory, real_inputs, real_catalog) -> str:
    """Only a warning: 发布核对 prints a city staff figure the schools do not add up to."""
    sc = Scenario(tmp_path_factory.mktemp("warned") / "inputs", real_catalog, registry=(JIA,))
    shutil.copytree(real_inputs, sc.inputs)
    sc.write_city(
        published=[{"table": "1-5", "key": "staff", "school": "", "year": YEAR, "value": 999}]
    )
    return str(sc.inputs)


def test_warnings_only_in_the_default_inputs_folder_exit_0_and_list_each_one(runner, warned_inputs):
    shutil.copytree(warned_inputs, "inputs")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert f"检查 inputs/{YEAR}" in result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if line.startswith("级别"))
    assert header.split() == ["级别", "位置", "指标", "说明"]
    [row] = [line for line in lines if "市级.xlsx › 发布核对!E2" in line]
    assert row.startswith("警告")
    assert "教职工总数" in row
    assert "999" in row
    assert not [line for line in lines if line.startswith("错误")]
    assert "共 0 个错误" in result.output


def test_strict_turns_warnings_into_exit_1(runner, warned_inputs):
    result = runner.invoke(main, ["check", "--strict", "--inputs", warned_inputs])
    assert result.exit_code == 1, result.output
    assert "警告" in result.output


def test_errors_exit_1_and_list_each_error_with_its_location(runner, real_scenario):
    sheet, cell = staff_cell(real_scenario.cat)
    real_scenario.set("甲校", sheet, cell, "一千")
    result = runner.invoke(main, ["check", "--inputs", str(real_scenario.inputs)])
    assert result.exit_code == 1, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("错误")]
    assert any(f"学校/甲校.xlsx › {sheet}!{cell}" in r and "“一千”不是数字" in r for r in rows)
    assert "Traceback" not in result.output


def test_clean_report_says_no_problem_was_found(capsys):
    print_report(Report())
    assert capsys.readouterr().out.strip() == "未发现问题。"


def test_nonexistent_inputs_folder_is_a_chinese_message_and_exit_1(runner, tmp_path):
    result = runner.invoke(main, ["check", "--inputs", str(tmp_path / "没有这个文件夹")])
    assert result.exit_code == 1
    assert "错误：找不到输入文件夹" in result.output
    assert "没有这个文件夹" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_missing_year_lists_the_years_there_are(runner, real_inputs):
    result = runner.invoke(main, ["check", "--inputs", str(real_inputs), "--year", "2019"])
    assert result.exit_code == 1
    assert "找不到" in result.output
    assert f"已有年度：{YEAR}" in result.output


def test_unknown_option_is_reported_in_chinese(runner):
    result = runner.invoke(main, ["check", "--bogus"])
    assert result.exit_code == 2
    assert "没有这个选项" in result.output
    assert "No such option" not in result.output


def test_main_help_is_in_chinese(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "用法" in result.output
    assert "选项" in result.output
    assert "命令" in result.output
    assert "职业教育质量年度报告" in result.output
    assert "check" in result.output
    assert "显示本帮助并退出" in result.output
    for english in ("Usage:", "Options:", "Commands:", "Show this message"):
        assert english not in result.output


def test_check_help_is_in_chinese(runner):
    result = runner.invoke(main, ["check", "--help"])
    assert result.exit_code == 0
    assert "用法" in result.output
    assert "检查某年度的全部工作簿" in result.output
    assert "--strict" in result.output
    assert "有警告时也以失败状态退出" in result.output
    assert "--inputs" in result.output
    assert "默认" in result.output
    for english in ("Usage:", "Options:", "default:", "Show this message"):
        assert english not in result.output
