"""Laying a region's entries over the shipped catalog's data (pure: no files)."""

from __future__ import annotations

import pytest

from docxreport.catalog import checked, shipped_data
from docxreport.errors import CatalogError
from docxreport.regional import Entry, RegionCatalog, merge, summary

SHIPPED = shipped_data()


def region(indicators=(), rows=(), sheets=()) -> RegionCatalog:
    def entries(items, what):
        return tuple(Entry(f"{what} 第 {n} 行", dict(f)) for n, f in enumerate(items, start=2))

    return RegionCatalog("指标目录.xlsx", entries(sheets, "工作表"), entries(indicators, "指标"),
                         entries(rows, "表格"))  # fmt: skip


def test_the_shipped_data_is_left_as_it_was():
    before = repr(SHIPPED)
    merge(
        SHIPPED,
        region([{"key": "staff", "name": "教职工数"}, {"key": "pe_teachers", "retire": True}]),
    )
    assert repr(SHIPPED) == before


def test_retiring_a_part_keeps_a_disjoint_group_and_drops_a_complete_split():
    merged = merge(
        SHIPPED,
        region(
            [{"key": "pe_teachers", "retire": True}, {"key": "primary_employed", "retire": True}]
        ),
    )
    cat = checked(merged.data, "x", merged.problems, merged.where)
    wholes = {g.whole: g.parts for g in cat.groups}
    assert wholes["fulltime_teachers"] == ("ideology_teachers", "art_teachers")
    assert "sector_employed" not in wholes  # 第二 + 第三产业 no longer make the whole
    assert not cat.has("primary_employed")
    annex1 = [r.key for r in cat.table("annex1").rows]
    assert "secondary_employed" in annex1 and "primary_employed" not in annex1


def test_retiring_the_indicator_of_a_years_table_drops_that_table():
    merged = merge(SHIPPED, region([{"key": "bachelor_entrants", "retire": True}]))
    cat = checked(merged.data, "x", merged.problems, merged.where)
    assert cat.table("1-7") is None and cat.table("annex1") is not None


def test_rows_go_after_the_named_indicator_or_at_the_end_and_columns_into_school_tables():
    new = {"key": "school_area", "name": "校舍建筑面积", "unit": "平方米", "kind": "amount",
           "sheet": "scale", "city": {"rule": "sum"}}  # fmt: skip
    rows = [
        {"table": "6-1", "key": "school_area", "after": "staff_quota"},
        {"table": "annex6", "key": "school_area", "label": "校舍面积", "seq": "1"},
        {"table": "1-5", "key": "school_area", "label": "校舍"},
        {"table": "新表", "kind": "indicators_rows", "key": "school_area"},
    ]
    merged = merge(SHIPPED, region([new], rows))
    cat = checked(merged.data, "x", merged.problems, merged.where)
    assert [r.key for r in cat.table("6-1").rows][:2] == ["staff_quota", "school_area"]
    last = cat.table("annex6").rows[-1]
    assert (last.key, last.label, last.seq) == ("school_area", "校舍面积", "1")
    assert cat.table("1-5").columns[-1].label == "校舍"
    made = cat.table("新表")
    assert (made.kind, made.corner, made.total_label, made.show_unit) == (
        "indicators_rows", "指标", "合计", True
    )  # fmt: skip
    assert summary(region([new], rows), SHIPPED) == "新增 1 个指标、表格中加 4 行"


def test_rows_for_a_list_table_an_unknown_place_or_a_changed_kind_are_located_problems():
    rows = [
        {"table": "1-1", "key": "staff"},
        {"table": "annex6", "key": "staff", "after": "nowhere"},
        {"table": "annex6", "kind": "schools_rows", "key": "staff"},
    ]
    merged = merge(SHIPPED, region(rows=rows))
    with pytest.raises(CatalogError) as caught:
        checked(merged.data, "指标目录.xlsx", merged.problems, merged.where)
    message = str(caught.value)
    assert "表格 第 2 行：表 1-1 的行由数据决定" in message
    assert "表格 第 3 行：表 annex6 中没有指标 nowhere" in message
    assert "表格 第 4 行：表 annex6 已有，类型为“附表”，不能改变" in message
