"""Reading workbooks: values tagged with their cell, problems reported, never raised."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest

from conftest import JIA, JIA_VALUES, YEAR, YI, Scenario, as_values, copy_scenario, find
from docxreport import layout as L
from docxreport.model import Location
from docxreport.workbook import parse_date, read_city, read_school
from docxreport.workbook.read import open_book

REL = "学校/甲校.xlsx"


def read_jia(sc: Scenario):
    return read_school(sc.school_path("甲校"), REL, sc.cat, JIA, YEAR)


# --- round trip ---------------------------------------------------------------


def test_written_school_workbook_reads_back_every_value_with_its_cell(scenario):
    data, issues = read_jia(scenario)
    assert issues == []
    assert data.year == YEAR
    for key, (prev, curr) in JIA_VALUES.items():
        assert data.get(key, "prev") == prev
        assert data.get(key, "curr") == curr
    assert str(data.values[("fulltime_teachers", "curr")].loc) == "学校/甲校.xlsx › 办学规模!E5"
    assert str(data.values[("fulltime_teachers", "prev")].loc) == "学校/甲校.xlsx › 办学规模!D5"


def test_layout_places_indicators_in_catalog_order(test_catalog):
    cells = L.indicator_cells(test_catalog)
    assert cells["staff"] == ("办学规模", 2)
    assert cells["fulltime_teachers"] == ("办学规模", 5)
    assert cells["dual_rate"] == ("师资队伍", 3)
    assert cells["funds"] == ("经费", 2)


def test_sub_rows_are_shown_indented_with_qizhong(scenario):
    with scenario.edit("甲校") as wb:
        assert wb["办学规模"]["B5"].value == "　其中：专任教师总数"
        assert wb["办学规模"]["B2"].value == "教职工总数"


def test_written_city_workbook_reads_back_registry_and_values(scenario):
    scenario.write_city(
        values={("staff", "prev"): 150, ("major_count", "curr"): 12},
        published=[{"table": "1-5", "key": "staff", "school": "", "year": YEAR, "value": 154}],
    )
    city, issues = read_city(scenario.city_path, L.CITY_FILE, scenario.cat, YEAR)
    assert issues == []
    assert city.region == "甲市"
    assert city.year == YEAR
    assert [s.short for s in city.registry] == ["甲校", "乙校"]
    assert city.school("一职") == city.registry[0]
    assert city.school("甲市第二职业学校") == city.registry[1]
    assert city.values[("staff", "prev")].value == 150
    assert str(city.values[("staff", "prev")].loc) == "市级.xlsx › 市级指标!E2"
    assert str(city.values[("major_count", "curr")].loc) == "市级.xlsx › 市级指标!F6"
    [pub] = city.published
    assert (pub.table, pub.key, pub.period, pub.school, pub.value) == (
        "1-5",
        "staff",
        "curr",
        "",
        154,
    )
    assert str(pub.loc) == "市级.xlsx › 发布核对!E2"


# --- accepted input -------------------------------------------------------------

TYPED = [
    # sheet, cell, what was typed, number format, indicator, period, value read
    ("办学规模", "E3", "1,234", None, "students", "curr", 1234),
    ("办学规模", "E2", "１０２", None, "staff", "curr", 102),
    ("办学规模", "D2", " 100 ", None, "staff", "prev", 100),
    ("办学规模", "E4", "-", None, "graduates", "curr", None),
    ("办学规模", "D4", "—", None, "graduates", "prev", None),
    ("师资队伍", "E3", "95%", None, "dual_rate", "curr", 95),
    ("师资队伍", "E4", 0.95, "0%", "senior_share", "curr", 95),
    ("师资队伍", "D4", 0.955, "0.00%", "senior_share", "prev", 95.5),
    ("师资队伍", "E5", 95.5, "General", "senior_rate", "curr", 95.5),
    ("经费", "E2", "1,234.5", None, "funds", "curr", 1234.5),
]


@pytest.fixture(scope="module")
def typed_by_hand(tmp_path_factory, clean_inputs, test_catalog):
    """甲校's workbook with every cell of TYPED filled as a user would, read once.

    Its stamps are written the way people write them too: an alias, a year with 年.
    """
    sc = copy_scenario(clean_inputs, tmp_path_factory.mktemp("typed"), test_catalog)
    with sc.edit("甲校") as wb:
        for sheet, cell, raw, fmt, *_ in TYPED:
            wb[sheet][cell].value = raw
            if fmt:
                wb[sheet][cell].number_format = fmt
        wb["基本信息"]["B2"] = "一职"
        wb["基本信息"]["B4"] = "２０２４年"
    return read_jia(sc)


def test_cells_typed_by_hand_raise_no_issue(typed_by_hand):
    _, issues = typed_by_hand
    assert issues == []


def test_stamps_may_use_an_alias_and_a_year_written_as_text(typed_by_hand):
    data, issues = typed_by_hand
    assert issues == []
    assert data.year == YEAR


@pytest.mark.parametrize(
    ("sheet", "cell", "raw", "fmt", "key", "period", "expected"),
    TYPED,
    ids=[f"{t[0]}!{t[1]}={t[2]!r}" for t in TYPED],
)
def test_cell_accepts_what_users_type(typed_by_hand, sheet, cell, raw, fmt, key, period, expected):
    data, _ = typed_by_hand
    value = data.values[(key, period)]
    assert value.value == expected
    assert value.loc == Location(REL, sheet, cell)


# --- problems in a workbook -------------------------------------------------------


@pytest.fixture(scope="module")
def mangled(tmp_path_factory, clean_inputs, test_catalog):
    """甲校's workbook with one problem of each kind the reader finds, read once."""
    sc = copy_scenario(clean_inputs, tmp_path_factory.mktemp("mangled"), test_catalog)
    with sc.edit("甲校") as wb:
        scale = wb["办学规模"]
        scale["E3"] = "一千"
        scale["E4"] = 12.5
        scale["E5"] = "=1+1"  # openpyxl stores no cached value
        scale["A6"] = None  # the major_count row loses its key
        scale["A20"] = "mystery"
        scale["A21"] = "staff"
        wb["师资队伍"].insert_cols(1)
        wb["经费"]["E3"] = 0.95
        wb["经费"]["E3"].number_format = "General"
        del wb["案例"]
    return read_jia(sc)


@pytest.fixture(scope="module")
def misplaced(tmp_path_factory, clean_inputs, test_catalog):
    """甲校's slot holding a workbook stamped for another school and another year."""
    sc = copy_scenario(clean_inputs, tmp_path_factory.mktemp("misplaced"), test_catalog)
    with sc.edit("甲校") as wb:
        wb["基本信息"]["B2"] = "乙校"
        wb["基本信息"]["B4"] = 2023
    return read_jia(sc)


def test_text_where_a_number_belongs_is_an_error_at_its_cell(mangled):
    data, issues = mangled
    issue = find(issues, "学校/甲校.xlsx › 办学规模!E3", "“一千”不是数字")
    assert issue.level == "错误"
    assert issue.indicator == "全日制在校生人数"
    assert data.get("students") is None


def test_count_with_a_fraction_is_an_error_at_its_cell(mangled):
    issue = find(mangled[1], "学校/甲校.xlsx › 办学规模!E4", "12.5", "应为整数")
    assert issue.level == "错误"


def test_formula_without_cached_value_is_an_error_at_its_cell(mangled):
    data, issues = mangled
    issue = find(issues, "学校/甲校.xlsx › 办学规模!E5", "公式 =1+1", "没有计算结果")
    assert issue.level == "错误"
    assert "保存" in issue.message
    assert data.get("fulltime_teachers") is None


def test_fraction_in_plain_percent_cell_warns_that_it_is_ambiguous(mangled):
    data, issues = mangled
    issue = find(issues, "学校/甲校.xlsx › 经费!E3", "含义不明", "95")
    assert issue.level == "警告"
    assert issue.indicator == "就业率"
    assert data.get("placement_rate") == 0.95


def test_missing_indicator_row_is_an_error_on_the_sheet_naming_the_key(mangled):
    issue = find(mangled[1], "学校/甲校.xlsx › 办学规模", "缺少指标行", "major_count")
    assert issue.level == "错误"
    assert issue.indicator == "专业数量"


def test_unknown_indicator_key_is_ignored_with_a_warning(mangled):
    issue = find(mangled[1], "学校/甲校.xlsx › 办学规模!A20", "未知的指标代码 mystery")
    assert issue.level == "警告"


def test_duplicated_indicator_key_is_an_error_and_the_first_row_counts(mangled):
    data, issues = mangled
    assert find(issues, "学校/甲校.xlsx › 办学规模!A21", "staff", "重复").level == "错误"
    assert data.values[("staff", "curr")].loc.cell == "E2"


def test_moved_header_is_an_error_at_the_header_cell(mangled):
    data, issues = mangled
    issue = find(issues, "学校/甲校.xlsx › 师资队伍!A1", "表头应为“指标代码”")
    assert issue.level == "错误"
    assert "请勿移动" in issue.message
    assert "实际为“指标”" in find(issues, "学校/甲校.xlsx › 师资队伍!C1").message
    assert ("dual_rate", "curr") not in data.values  # a moved sheet is not read at all


def test_missing_sheet_is_an_error_on_the_sheet(mangled):
    issue = find(mangled[1], "学校/甲校.xlsx › 案例", "缺少工作表“案例”")
    assert issue.level == "错误"


def test_workbook_stamped_with_another_year_is_an_error_on_the_stamp(misplaced):
    issue = find(misplaced[1], "学校/甲校.xlsx › 基本信息!B4", "年度是 2023", "应为 2024")
    assert issue.level == "错误"


def test_workbook_stamped_with_another_school_is_an_error_on_the_stamp(misplaced):
    issue = find(misplaced[1], "学校/甲校.xlsx › 基本信息!B2", "标注的学校是“乙校”", "“甲校”的位置")
    assert issue.level == "错误"


def test_school_read_into_another_slot_reports_the_swap(scenario):
    _, issues = read_school(scenario.school_path("甲校"), REL, scenario.cat, YI, YEAR)
    assert find(issues, "学校/甲校.xlsx › 基本信息!B2", "“甲校”", "“乙校”").level == "错误"


def test_school_lists_keep_their_cells(scenario):
    majors = [{"code": "660301", "name": "计算机应用", "adjust": "未调"}]
    scenario.write_school(JIA, as_values(JIA_VALUES), lists={"majors": majors})
    data, issues = read_jia(scenario)
    assert issues == []
    [row] = data.lists["majors"]
    assert row["name"].value == "计算机应用"
    assert row["name"].loc == Location(REL, "专业设置", "B2")


# --- problems in the city workbook ------------------------------------------------


@pytest.fixture(scope="module")
def mangled_city(tmp_path_factory, clean_inputs, test_catalog):
    sc = copy_scenario(clean_inputs, tmp_path_factory.mktemp("city"), test_catalog)
    sc.write_city(
        published=[
            {"table": "1-5", "key": "nonsense", "school": "", "year": YEAR, "value": 1},
            {"table": "1-5", "key": "staff", "school": "", "year": 2020, "value": 1},
            {"table": "1-5", "key": "staff", "school": "", "year": YEAR - 1, "value": 150},
        ]
    )
    with sc.edit("市级") as wb:
        wb["基本信息"]["B2"] = None
        wb["基本信息"]["B6"] = 2023
    return read_city(sc.city_path, L.CITY_FILE, sc.cat, YEAR)


def test_city_workbook_stamped_with_another_year_is_an_error(mangled_city):
    issue = find(mangled_city[1], "市级.xlsx › 基本信息!B6", "年度是 2023", "应为 2024")
    assert issue.level == "错误"


def test_city_workbook_requires_region_name(mangled_city):
    assert find(mangled_city[1], "市级.xlsx › 基本信息!B2", "必填").level == "错误"


def test_published_row_with_unknown_key_is_an_error(mangled_city):
    issue = find(mangled_city[1], "市级.xlsx › 发布核对!B2", "未知的指标代码“nonsense”")
    assert issue.level == "错误"


def test_published_row_of_another_year_is_an_error(mangled_city):
    assert find(mangled_city[1], "市级.xlsx › 发布核对!E3", "2023/2024").level == "错误"


def test_published_rows_keep_only_the_good_ones_as_previous_or_current(mangled_city):
    city, _ = mangled_city
    [pub] = city.published
    assert (pub.key, pub.period, pub.value) == ("staff", "prev", 150)
    assert str(pub.loc) == "市级.xlsx › 发布核对!E4"


# --- unreadable files -----------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _corrupt_middle(data: bytes) -> bytes:
    """Keep the zip directory intact but zero the compressed members."""
    return data[:100] + b"\0" * (len(data) // 2) + data[100 + len(data) // 2 :]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("zero-byte", lambda old: b"", ("文件为空", "0 字节")),
        ("csv", lambda old: "学校,人数\n甲校,1\n".encode(), ("不是 .xlsx 文件", "CSV")),
        ("xls", lambda old: OLE + b"\0" * 504, ("旧版 .xls", "另存为 .xlsx")),
        (
            "encrypted",
            lambda old: OLE + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64,
            ("打开密码", "已加密"),
        ),
        ("damaged zip", _corrupt_middle, ("文件已损坏",)),
    ],
)
def test_unreadable_file_is_one_error_on_the_whole_file(scenario, name, content, words):
    path = scenario.school_path("甲校")
    path.write_bytes(content(path.read_bytes()))
    data, issues = read_jia(scenario)
    assert data is None
    [issue] = issues
    assert issue.level == "错误"
    assert str(issue.loc) == "学校/甲校.xlsx"
    for word in words:
        assert word in issue.message


def test_zip_that_is_not_a_workbook_is_reported_damaged(scenario):
    path = scenario.school_path("甲校")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    book, issues = open_book(path, REL)
    assert book is None
    assert "文件已损坏" in find(issues, "学校/甲校.xlsx").message


def test_truncated_workbook_is_reported_damaged_not_as_a_renamed_csv(scenario):
    path = scenario.school_path("甲校")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _, issues = read_jia(scenario)
    issue = find(issues, "学校/甲校.xlsx")
    assert "已损坏" in issue.message
    assert "CSV" not in issue.message


# --- dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025年1月22日", date(2025, 1, 22)),
        ("2025-01-22", date(2025, 1, 22)),
        ("2025年1月", date(2025, 1, 1)),
        (datetime(2025, 1, 22, 8, 0), date(2025, 1, 22)),
        (date(2025, 1, 22), date(2025, 1, 22)),
        ("2025年13月1日", None),
        ("明年", None),
        (None, None),
    ],
)
def test_parse_date_reads_dates_as_staff_type_them(raw, expected):
    assert parse_date(raw) == expected
