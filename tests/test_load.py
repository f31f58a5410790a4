"""Loading a year folder end to end: every problem located and reported together.

Two scenarios are loaded once per module and shared by many tests: one year with
a problem of every kind in its cells (``broken_year``), and one year with only
warnings (``doubtful_year``). Whole-file scenarios get their own folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import (
    JIA,
    JIA_VALUES,
    YEAR,
    Scenario,
    as_values,
    copy_scenario,
    find,
    has_words,
    locs,
)
from docxreport.errors import InputError
from docxreport.issues import Report
from docxreport.load import Loaded, load_year, resolve_year, school_files

ROOT_INPUTS = Path(__file__).resolve().parents[1] / "inputs"


def write_photo(path: Path, width: int = 2000, height: int = 1500) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), (40, 120, 200)).save(path)


def test_clean_year_loads_without_issues(scenario):
    loaded = scenario.load()
    assert list(loaded.report) == []
    assert loaded.data is not None
    assert [s.school.short for s in loaded.data.schools] == ["甲校", "乙校"]
    assert loaded.data.figure("staff").value == 154
    assert loaded.folder == scenario.folder


# --- whole files ---------------------------------------------------------------------


def test_missing_city_workbook_is_an_error(scenario):
    scenario.city_path.unlink()
    loaded = scenario.load()
    assert loaded.data is None
    [issue] = loaded.report
    assert issue.level == "错误"
    assert str(issue.loc) == "市级.xlsx"
    assert "缺少市级数据表" in issue.message


def test_missing_school_workbook_is_an_error_naming_the_school(scenario):
    scenario.school_path("乙校").unlink()
    loaded = scenario.load()
    assert loaded.data is None
    [issue] = loaded.report
    assert issue.level == "错误"
    assert str(issue.loc) == "学校/乙校.xlsx"
    assert has_words(issue.message, "缺少", "甲市第二职业学校", "工作簿")


def test_unreadable_school_file_is_reported_on_the_file_and_the_rest_still_checked(scenario):
    scenario.school_path("甲校").write_text("学校,人数\n甲校,1\n", "utf-8")
    scenario.set("乙校", "办学规模", "E2", None)
    report = scenario.report()
    assert find(report, "学校/甲校.xlsx", "CSV").level == "错误"
    assert find(report, "学校/乙校.xlsx › 办学规模!E2", "必填").level == "错误"


def test_empty_registry_is_an_error(scenario):
    with scenario.edit("市级") as wb:
        wb["学校名册"].delete_rows(2, 10)
    loaded = scenario.load()
    assert loaded.data is None
    assert find(loaded.report, "市级.xlsx › 学校名册", "名册为空").level == "错误"


# --- a year with a problem of every kind --------------------------------


@pytest.fixture(scope="module")
def broken_year(tmp_path_factory, clean_inputs, test_catalog) -> Loaded:
    sc = copy_scenario(clean_inputs, tmp_path_factory.mktemp("broken"), test_catalog)
    shutil.copy(sc.school_path("甲校"), sc.school_path("丙校"))  # not in the registry
    shutil.copy(sc.school_path("乙校"), sc.school_path("二职"))  # 乙校's alias: a second copy
    with sc.edit("甲校") as wb:
        wb["办学规模"]["E3"] = "一千"
        wb["办学规模"]["E4"] = -5
        wb["办学规模"]["E5"] = 110
        wb["师资队伍"]["E3"] = 1.2  # formatted 0.00%: 120%
    with sc.edit("乙校") as wb:
        wb["办学规模"]["E2"] = None
        wb["办学规模"]["E3"] = "=1+1"  # never calculated: no cached value
        wb["办学规模"]["E4"] = 12.5
        wb["办学规模"].delete_rows(6)
        wb["师资队伍"].insert_cols(1)
        del wb["经费"]
    return sc.load()


BROKEN = [
    ("学校/甲校.xlsx › 办学规模!E3", ("“一千”不是数字",)),
    ("学校/甲校.xlsx › 办学规模!E4", ("-5", "下限 0")),
    ("学校/甲校.xlsx › 办学规模!E5", ("其中", "110", "教职工总数", "102")),
    ("学校/甲校.xlsx › 师资队伍!E3", ("120", "上限 100")),
    ("学校/乙校.xlsx › 办学规模!E3", ("公式 =1+1", "没有计算结果")),
    ("学校/乙校.xlsx › 办学规模!E2", ("必填", "为空")),
    ("学校/乙校.xlsx › 办学规模!E4", ("12.5", "应为整数")),
    ("学校/乙校.xlsx › 办学规模", ("缺少指标行", "major_count")),
    ("学校/乙校.xlsx › 师资队伍!A1", ("表头应为“指标代码”", "请勿移动")),
    ("学校/乙校.xlsx › 经费", ("缺少工作表“经费”",)),
]


@pytest.mark.parametrize(
    ("loc", "words"),
    BROKEN,
    ids=[
        "text-not-number",
        "negative-count",
        "part-over-whole",
        "percent-over-100",
        "formula-without-value",
        "required-empty",
        "count-with-fraction",
        "missing-row",
        "moved-header",
        "missing-sheet",
    ],
)
def test_cell_problem_is_an_error_at_its_location(broken_year, loc, words):
    assert find(broken_year.report, loc, *words).level == "错误"


def test_unknown_school_file_is_an_error_listing_the_registry(broken_year):
    issue = find(broken_year.report, "学校/丙校.xlsx")
    assert issue.level == "错误"
    assert has_words(issue.message, "“丙校”", "名册", "甲校", "乙校")


def test_same_school_under_short_name_and_alias_is_an_error_on_the_second_file(broken_year):
    # 乙校.xlsx sorts before 二职.xlsx, so it is read and the alias file is rejected
    issue = find(broken_year.report, "学校/二职.xlsx")
    assert issue.level == "错误"
    assert has_words(issue.message, "学校/乙校.xlsx", "同一所学校", "乙校", "只能保留一个")


def test_year_with_errors_gives_no_data(broken_year):
    assert broken_year.data is None
    assert not broken_year.report.valid


def test_every_problem_is_reported_together_sorted_by_file_sheet_and_cell(broken_year):
    found = locs(broken_year.report.errors)
    assert set(found) >= {loc for loc, _ in BROKEN} | {"学校/丙校.xlsx", "学校/二职.xlsx"}
    keys = [_row_major(i.loc) for i in broken_year.report]
    assert keys == sorted(keys)


def _row_major(loc):
    letters = "".join(c for c in loc.cell if c.isalpha())
    digits = "".join(c for c in loc.cell if c.isdigit())
    return (loc.file, loc.sheet, int(digits or 0), len(letters), letters)


def test_text_in_a_required_cell_is_reported_once_not_also_as_empty(broken_year):
    at_cell = [i for i in broken_year.report if str(i.loc) == "学校/甲校.xlsx › 办学规模!E3"]
    assert [i.message for i in at_cell] == ["“一千”不是数字"]


def test_uncalculated_formula_in_a_required_cell_is_reported_once(broken_year):
    at_cell = [i for i in broken_year.report if str(i.loc) == "学校/乙校.xlsx › 办学规模!E3"]
    assert len(at_cell) == 1


# --- a year with only warnings -------------------------------------------------------


@pytest.fixture(scope="module")
def doubtful_year(tmp_path_factory, clean_inputs, test_catalog) -> Loaded:
    sc: Scenario = copy_scenario(clean_inputs, tmp_path_factory.mktemp("doubt"), test_catalog)
    (sc.folder / "学校" / "~$甲校.xlsx").write_bytes(b"\x0clocked by Excel")
    (sc.folder / "学校" / ".~lock.乙校.xlsx#").write_text("locked by WPS")
    sc.write_city(
        values={("staff", "prev"): 149},
        published=[{"table": "1-5", "key": "staff", "school": "", "year": YEAR, "value": 160}],
    )
    majors = [
        {"code": "660301", "name": "计算机应用", "adjust": "未调"},
        {"code": "730301", "name": "会计事务", "adjust": "停办"},
    ]
    photos = [{"section": "一", "caption": "实训课堂", "file": "实训.jpg"}]
    jia = {**JIA_VALUES, "major_count": (2, 2), "student_teacher_ratio": (12.5, 15)}
    sc.write_school(JIA, as_values(jia), lists={"majors": majors, "photos": photos})
    sc.set("乙校", "办学规模", "E3", 100)  # 400 → 100
    sc.set("乙校", "师资队伍", "E5", 0.41)  # senior_rate city mean 36 vs senior_share 26
    sc.set("乙校", "师资队伍", "E3", 0.95, "General")
    return sc.load()


def test_year_with_warnings_only_keeps_its_data(doubtful_year):
    assert doubtful_year.report.valid
    assert doubtful_year.data is not None
    assert {i.level for i in doubtful_year.report} == {"警告"}


@pytest.mark.parametrize(
    ("loc", "words"),
    [
        ("市级.xlsx › 发布核对!E2", ("表1-5", "160", "154")),
        ("市级.xlsx › 市级指标!E2", ("上年", "149", "150")),
        ("学校/甲校.xlsx › 师资队伍!E2", ("15", "1020 / 85", "12.00")),
        ("学校/甲校.xlsx › 办学规模!E6", ("填报 2", "专业设置", "1 个", "停办")),
        ("学校/乙校.xlsx › 办学规模!E3", ("较上年变化", "400 → 100", "请核实")),
        ("市级.xlsx › 市级指标!F10", ("36", "高级教师占比", "26", "不一致")),
        ("学校/甲校.xlsx › 图片!D2", ("找不到图片", "实训.jpg")),
        ("学校/乙校.xlsx › 师资队伍!E3", ("0.95", "含义不明")),
    ],
    ids=[
        "published-differs",
        "city-previous-year-differs",
        "ratio-does-not-follow",
        "count-disagrees-with-list",
        "implausible-jump",
        "compare-with-disagrees",
        "photo-missing",
        "ambiguous-fraction",
    ],
)
def test_doubtful_figure_is_a_warning_at_its_location(doubtful_year, loc, words):
    assert find(doubtful_year.report, loc, *words).level == "警告"


def test_excel_lock_files_in_the_school_folder_are_ignored(doubtful_year):
    assert (doubtful_year.folder / "学校" / "~$甲校.xlsx").exists()
    assert [p.name for p in school_files(doubtful_year.folder)] == ["乙校.xlsx", "甲校.xlsx"]
    assert not [i for i in doubtful_year.report if "~" in i.loc.file]


def test_previous_year_city_figure_is_the_published_one(doubtful_year):
    assert doubtful_year.data.figure("staff", "prev").value == 149


def test_photo_that_is_not_an_image_is_an_error(scenario):
    photos = [
        {"section": "一", "caption": "图一", "file": "a.png"},
        {"section": "一", "caption": "图二", "file": "b.png"},
    ]
    scenario.write_school(JIA, as_values(JIA_VALUES), lists={"photos": photos})
    write_photo(scenario.folder / "图片" / "a.png")
    (scenario.folder / "图片" / "b.png").write_text("not a picture")
    loaded = scenario.load()
    [issue] = loaded.report
    assert issue.level == "错误"
    assert str(issue.loc) == "学校/甲校.xlsx › 图片!D3"
    assert has_words(issue.message, "b.png", "不是图片")
    assert loaded.data is None


def test_published_figure_of_an_unknown_school_is_a_located_issue(scenario):
    scenario.write_city(
        published=[{"table": "1-5", "key": "staff", "school": "丙校", "year": YEAR, "value": 1}]
    )
    report: Report = scenario.report()
    assert any("丙校" in i.message and i.loc.sheet == "发布核对" for i in report)


# --- year folders --------------------------------------------------------------------


def test_missing_inputs_folder_raises_input_error(tmp_path, test_catalog):
    with pytest.raises(InputError, match="找不到输入文件夹"):
        load_year(tmp_path / "nowhere", None, test_catalog)


def test_newest_year_folder_is_the_default(tmp_path):
    for name in ("2022", "2024", "2023", "notes"):
        (tmp_path / name).mkdir()
    assert resolve_year(tmp_path, None) == 2024


def test_missing_year_folder_lists_the_years_there_are(tmp_path):
    (tmp_path / "2023").mkdir()
    with pytest.raises(InputError, match="已有年度：2023"):
        resolve_year(tmp_path, 2024)


def test_inputs_folder_without_year_folders_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="没有年度文件夹"):
        resolve_year(tmp_path, None)


@pytest.fixture(scope="module")
def swapped_year(tmp_path_factory, clean_inputs, test_catalog) -> Loaded:
    sc = copy_scenario(clean_inputs, tmp_path_factory.mktemp("swapped"), test_catalog)
    with sc.edit("甲校") as wb:
        wb["基本信息"]["B4"] = 2023
        wb["办学规模"]["E3"] = "一千"
    with sc.edit("乙校") as wb:
        wb["基本信息"]["B2"] = "甲校"
    return sc.load()


@pytest.mark.parametrize(
    ("loc", "words"),
    [
        ("学校/甲校.xlsx › 基本信息!B4", ("2023", "应为 2024")),
        ("学校/乙校.xlsx › 基本信息!B2", ("“甲校”", "“乙校”的位置")),
    ],
    ids=["other-year-stamp", "other-school-stamp"],
)
def test_workbook_in_the_wrong_slot_is_an_error_at_its_stamp(swapped_year, loc, words):
    issue = find(swapped_year.report, loc, *words)
    assert issue.level == "错误"


def test_workbook_in_the_wrong_slot_reports_only_its_stamp(swapped_year):
    """A wrong workbook's own cells would only add noise (e.g. year headers of another year)."""
    jia = [i for i in swapped_year.report if i.loc.file == "学校/甲校.xlsx"]
    assert [str(i.loc) for i in jia] == ["学校/甲校.xlsx › 基本信息!B4"]


def test_photo_too_small_for_print_is_a_warning_naming_row_and_file(scenario):
    photos = [
        {"section": "一", "caption": "合影", "file": "big.jpg"},
        {"section": "一", "caption": "截图", "file": "tiny.jpg"},
    ]
    scenario.write_school(JIA, as_values(JIA_VALUES), lists={"photos": photos})
    write_photo(scenario.folder / "图片" / "big.jpg", 2000, 1500)
    write_photo(scenario.folder / "图片" / "tiny.jpg", 480, 360)
    loaded = scenario.load()
    [issue] = loaded.report
    assert issue.level == "警告"
    assert str(issue.loc) == "学校/甲校.xlsx › 图片!D3"
    assert has_words(issue.message, "图片/tiny.jpg", "480×360", "133 毫米", "91 ppi", "150")
    assert loaded.data is not None


def test_province_word_comes_from_the_city_workbook(real_scenario):
    from docxreport.load import region_catalog

    name = "skill_award_prov_first"
    # the sample is an autonomous region; a blank 省级称谓 means 省级
    assert region_catalog(ROOT_INPUTS, 2024).indicator(name).name == "技能大赛自治区及以上一等奖"
    assert (
        region_catalog(real_scenario.inputs, 2024).indicator(name).name
        == "技能大赛省级及以上一等奖"
    )
    real_scenario.set("市级", "基本信息", "B10", "省")
    assert (
        region_catalog(real_scenario.inputs, 2024).indicator(name).name == "技能大赛省及以上一等奖"
    )
    with real_scenario.edit("市级") as wb:
        wb["基本信息"].delete_rows(10)  # an older workbook without the row: read as before
    assert (
        region_catalog(real_scenario.inputs, 2024).indicator(name).name
        == "技能大赛省级及以上一等奖"
    )
    assert not real_scenario.report().errors
