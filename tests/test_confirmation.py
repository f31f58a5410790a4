"""Signed confirmations: the workbook's version fingerprint and what ``check`` says of it."""

from __future__ import annotations

import re

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import JIA, YEAR, YI, Scenario
from docxreport import layout as L
from docxreport.checks.confirmation import (
    CONFIRMED,
    NO_WORKBOOK,
    OUTDATED,
    UNCONFIRMED,
    UNREADABLE,
    parse_recorded,
)
from docxreport.cli import main
from docxreport.model import Value
from docxreport.workbook import read_city
from docxreport.workbook.confirmed import content_digest

JIA_CELL, YI_CELL = "E2", "E3"  # 已确认版本 of the registry's first and second school


def digest_of(path) -> str:
    return content_digest(openpyxl.load_workbook(path, data_only=True))


def check(sc: Scenario) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--inputs", str(sc.inputs), "--templates", "."])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def line_of(output: str, short: str) -> str:
    """The school's line of the progress summary (it carries the confirmation)."""
    return next(ln.strip() for ln in output.splitlines() if ln.strip().startswith(short + "："))


def warning_lines(output: str) -> list[str]:
    return [ln for ln in output.splitlines() if ln.startswith("警告")]


# -- the fingerprint ------------------------------------------------------------------------------


def test_fingerprint_survives_saving_the_workbook_again_without_a_change(scenario, tmp_path):
    path = scenario.school_path(JIA.short)
    before = digest_of(path)
    copy = tmp_path / "again.xlsx"
    openpyxl.load_workbook(path).save(copy)
    assert digest_of(copy) == before
    assert re.fullmatch(r"[0-9a-f]{64}", before)


def test_fingerprint_changes_when_one_cell_changes(scenario):
    before = digest_of(scenario.school_path(JIA.short))
    scenario.set(JIA.short, "经费", "E4", "多了一个字")
    assert digest_of(scenario.school_path(JIA.short)) != before


def test_fingerprint_of_each_school_is_read_with_its_workbook(scenario):
    loaded = scenario.load()
    by_short = {sd.school.short: sd.digest for sd in loaded.data.schools}
    assert by_short[JIA.short] == digest_of(scenario.school_path(JIA.short))
    assert by_short[JIA.short] != by_short[YI.short]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("3f2a9c1b", "3f2a9c1b"),
        ("  3F2A 9C1B 7D4E ", "3f2a9c1b7d4e"),
        ("３ｆ２ａ９ｃ１ｂ", "3f2a9c1b"),  # full-width, as a Chinese input method types it
        (12345678, "12345678"),  # Excel made a number of it: the digits are still the prefix
        ("3f2a9c1", None),  # too short
        ("已确认", None),
        (1.2345e71, None),
        (None, None),
    ],
)
def test_recorded_fingerprint_is_read_as_staff_type_it(typed, read):
    assert parse_recorded(typed) == read


# -- the registry column --------------------------------------------------------------------------


def test_registry_column_round_trips_and_is_text(scenario):
    city, issues = read_city(scenario.city_path, L.CITY_FILE, scenario.cat, YEAR)
    assert issues == [] and city.confirmed_column == "E"
    assert city.confirmed[JIA.short] == Value(None, city.confirmed[JIA.short].loc)
    assert str(city.confirmed[YI.short].loc) == f"市级.xlsx › 学校名册!{YI_CELL}"
    ws = openpyxl.load_workbook(scenario.city_path)[L.REGISTRY_SHEET]
    assert ws["E1"].value == L.CONFIRMED_HEADER
    assert ws[JIA_CELL].number_format == "@"


def test_a_city_workbook_without_the_column_still_reads_and_check_says_so(real_scenario):
    with real_scenario.edit("市级") as wb:
        wb[L.REGISTRY_SHEET].delete_cols(5)
    code, out = check(real_scenario)
    assert code == 0, out
    assert "没有“已确认版本”列" in out
    assert "未确认" in line_of(out, JIA.short)


# -- check ---------------------------------------------------------------------------------------


def test_check_lists_each_school_once_and_an_unconfirmed_one_is_not_a_warning(real_scenario):
    code, out = check(real_scenario)
    assert code == 0, out
    assert warning_lines(out) == []
    assert "未确认" in line_of(out, JIA.short)
    assert sum(ln.strip().startswith(JIA.short + "：") for ln in out.splitlines()) == 1
    assert "共 1 所学校：未确认 1 所。" in out


def test_changing_one_cell_after_confirmation_makes_it_out_of_date_until_the_new_one_is_recorded(
    real_scenario,
):
    scenario = real_scenario
    signed = digest_of(scenario.school_path(JIA.short))
    scenario.set("市级", L.REGISTRY_SHEET, JIA_CELL, signed[:12].upper())
    code, out = check(scenario)
    assert code == 0 and warning_lines(out) == [], out
    assert f"数据确认：{CONFIRMED}" in line_of(out, JIA.short)

    scenario.set(JIA.short, "办学规模", "E3", 901)  # one cell, after the school signed
    code, out = check(scenario)
    assert code == 0, out  # a warning, not an error
    (warned,) = warning_lines(out)
    assert f"市级.xlsx › 学校名册!{JIA_CELL}" in warned
    assert "学校/甲校.xlsx" in warned and "已过期" in warned and signed[:12] in warned
    assert f"数据确认：{OUTDATED}" in line_of(out, JIA.short)
    assert (
        CliRunner()
        .invoke(main, ["check", "--inputs", str(scenario.inputs), "--templates", ".", "--strict"])
        .exit_code
        == 1
    )

    scenario.set("市级", L.REGISTRY_SHEET, JIA_CELL, digest_of(scenario.school_path(JIA.short)))
    code, out = check(scenario)
    assert warning_lines(out) == [], out
    assert f"数据确认：{CONFIRMED}" in line_of(out, JIA.short)


def test_a_registry_cell_that_holds_no_fingerprint_is_a_warning_at_that_cell(real_scenario):
    real_scenario.set("市级", L.REGISTRY_SHEET, JIA_CELL, "已盖章")
    _code, out = check(real_scenario)
    (warned,) = warning_lines(out)
    assert f"学校名册!{JIA_CELL}" in warned and "“已盖章”不是版本指纹" in warned
    assert UNREADABLE in line_of(out, JIA.short)


def test_confirmation_states_cover_a_school_whose_workbook_is_missing(scenario):
    scenario.school_path(YI.short).unlink()
    loaded = scenario.load()
    states = {c.school.short: c.state for c in loaded.confirmations}
    assert states == {JIA.short: UNCONFIRMED, YI.short: NO_WORKBOOK}


def test_a_new_year_from_init_starts_unconfirmed(real_scenario):
    signed = digest_of(real_scenario.school_path(JIA.short))
    real_scenario.set("市级", L.REGISTRY_SHEET, JIA_CELL, signed)
    result = CliRunner().invoke(
        main, ["init", str(YEAR + 1), "--inputs", str(real_scenario.inputs)]
    )
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(real_scenario.inputs / str(YEAR + 1) / L.CITY_FILE)[
        L.REGISTRY_SHEET
    ]
    assert ws["E1"].value == L.CONFIRMED_HEADER and ws["B2"].value == JIA.short
    assert ws[JIA_CELL].value is None
