"""The catalog is loaded and checked like a schema: every problem named by its entry."""

from __future__ import annotations

import pytest

from conftest import LISTS_TOML, TEST_CATALOG_TOML
from docxreport.catalog import (
    Catalog,
    CityRule,
    Indicator,
    ListColumn,
    ListSpec,
    Sheet,
    default_catalog,
    load_catalog,
)
from docxreport.errors import CatalogError

SHEETS = '[[sheets]]\nid = "scale"\nname = "办学规模"\n'


def indicator(key: str, extra: str = "") -> str:
    return (
        f'\n[[indicators]]\nkey = "{key}"\nname = "{key}名"\nunit = "人"\nkind = "count"\n'
        f'sheet = "scale"\n{extra}\n'
    )


def load_text(tmp_path, text: str) -> Catalog:
    path = tmp_path / "catalog.toml"
    path.write_text(text, "utf-8")
    return load_catalog(path)


def test_shipped_catalog_loads_with_the_core_indicators():
    cat = default_catalog()
    for key in ("staff", "enrolment", "students", "graduates"):
        assert cat.indicator(key).required == "always"
        assert cat.indicator(key).kind == "count"


def test_test_catalog_loads_from_a_path(test_catalog):
    assert [s.name for s in test_catalog.sheets] == ["办学规模", "师资队伍", "经费"]
    assert test_catalog.indicator("fulltime_teachers").parent == "staff"
    assert test_catalog.children("staff") == [test_catalog.indicator("fulltime_teachers")]
    assert test_catalog.depth("fulltime_teachers") == 1
    assert test_catalog.depth("staff") == 0


def test_kinds_get_default_ranges(test_catalog):
    assert (test_catalog.indicator("staff").min, test_catalog.indicator("staff").max) == (0, None)
    percent = test_catalog.indicator("dual_rate")
    assert (percent.min, percent.max) == (0, 100)
    text = test_catalog.indicator("remarks")
    assert (text.min, text.max) == (None, None)
    assert not text.numeric


def test_explicit_range_overrides_the_default(tmp_path):
    cat = load_text(tmp_path, SHEETS + LISTS_TOML + indicator("staff", "max = 5000"))
    assert cat.indicator("staff").max == 5000


def test_label_adds_the_unit(test_catalog):
    assert test_catalog.indicator("staff").label == "教职工总数（人）"
    assert test_catalog.indicator("student_teacher_ratio").label == "生师比"


def test_city_rules_describe_themselves_in_chinese():
    assert CityRule("sum").describe() == "各校合计"
    assert CityRule("ratio", "a", "b").describe() == "合计分子 / 合计分母"
    assert CityRule("given").describe() == "市级数据表填报"


def test_catalog_can_be_built_from_the_dataclasses_directly():
    cat = Catalog(
        sheets=(Sheet("scale", "办学规模"),),
        indicators=(Indicator("staff", "教职工总数", "人", "count", "scale", min=0),),
        lists=(ListSpec("majors", "专业设置", (ListColumn("code", "专业代码"),)),),
        tables=(),
    )
    assert cat.has("staff")
    assert not cat.has("students")
    assert cat.on_sheet("scale")[0].name == "教职工总数"
    assert cat.list("majors").column("code").name == "专业代码"


def test_malformed_toml_is_a_catalog_error_naming_the_file(tmp_path):
    with pytest.raises(CatalogError) as exc:
        load_text(tmp_path, TEST_CATALOG_TOML + "\n[[indicators]\nkey = 1\n")
    assert "catalog.toml" in str(exc.value)
    assert "不是有效的 TOML" in str(exc.value)


def test_unknown_parent_is_a_catalog_error_naming_the_entry(tmp_path):
    text = TEST_CATALOG_TOML.replace('parent = "staff"', 'parent = "nobody"')
    with pytest.raises(CatalogError) as exc:
        load_text(tmp_path, text)
    assert "indicators.fulltime_teachers" in str(exc.value)
    assert "未声明的指标 nobody" in str(exc.value)


def test_unknown_rule_is_a_catalog_error_naming_the_entry(tmp_path):
    text = TEST_CATALOG_TOML.replace('city = { rule = "given" }', 'city = { rule = "median" }')
    with pytest.raises(CatalogError) as exc:
        load_text(tmp_path, text)
    assert "indicators.major_count" in str(exc.value)
    assert "city.rule" in str(exc.value)


def test_unknown_indicator_field_is_a_catalog_error_naming_the_entry(tmp_path):
    with pytest.raises(CatalogError, match=r"indicators\.staff.*colour"):
        load_text(tmp_path, SHEETS + LISTS_TOML + indicator("staff", "colour = 1"))


def test_ratio_rule_without_its_parts_is_a_catalog_error(tmp_path):
    extra = 'city = { rule = "ratio", numerator = "staff" }'
    with pytest.raises(CatalogError, match=r"indicators\.rate.*numerator 和 denominator"):
        load_text(tmp_path, SHEETS + LISTS_TOML + indicator("staff") + indicator("rate", extra))


def test_every_problem_is_listed_together(tmp_path):
    text = (
        SHEETS
        + LISTS_TOML
        + indicator("staff", 'parent = "nobody"')
        + indicator("staff")
        + indicator("pupils", 'required = "sometimes"')
        + indicator("grads", 'counts_list = "nothing"')
    )
    with pytest.raises(CatalogError) as exc:
        load_text(tmp_path, text)
    message = str(exc.value)
    assert "indicators.staff: 键重复" in message
    assert "indicators.staff: 引用了未声明的指标 nobody" in message
    assert "indicators.pupils: required" in message
    assert "indicators.grads: counts_list nothing" in message


def test_indicator_on_an_undeclared_sheet_is_a_catalog_error(tmp_path):
    text = SHEETS + LISTS_TOML + indicator("staff").replace('sheet = "scale"', 'sheet = "money"')
    with pytest.raises(CatalogError, match=r"indicators\.staff: 工作表 money 未声明"):
        load_text(tmp_path, text)


def test_table_referring_to_an_unknown_indicator_is_a_catalog_error(tmp_path):
    table = '\n[[tables]]\nid = "1-5"\nkind = "schools_rows"\ncolumns = [{ key = "ghost" }]\n'
    with pytest.raises(CatalogError, match=r"tables\.1-5: 引用了未声明的指标 ghost"):
        load_text(tmp_path, SHEETS + LISTS_TOML + indicator("staff") + table)


def test_unknown_list_column_field_is_a_catalog_error_naming_the_list(tmp_path):
    text = TEST_CATALOG_TOML.replace(
        '{ key = "file", name = "文件" }', '{ key = "file", name = "文件", colour = "red" }'
    )
    with pytest.raises(CatalogError, match=r"lists\.photos"):
        load_text(tmp_path, text)


def test_parent_cycle_is_a_catalog_error(tmp_path):
    text = TEST_CATALOG_TOML.replace('parent = "staff"', 'parent = "fulltime_teachers"')
    with pytest.raises(CatalogError, match=r"indicators\.fulltime_teachers"):
        load_text(tmp_path, text)
