"""Tables built from table specs: cell texts, merges, header rows and widths."""

from __future__ import annotations

from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn

from docxreport.catalog import (
    Catalog,
    CityRule,
    Indicator,
    ListColumn,
    ListSpec,
    Sheet,
    TableColumn,
    TableRow,
    TableSpec,
)
from docxreport.errors import TemplateError
from docxreport.model import CityData, Dataset, Figure, Location, School, SchoolData, Value
from docxreport.render.tables import add_table
from docxreport.view.fmt import clean_text, format_change, format_value

SCHOOLS = ("甲校", "乙校", "丙校")
TEXT_WIDTH_TWIPS = int(156 * 1440 / 25.4)


def ind(key: str, name: str, unit: str = "人", kind: str = "count", **kw) -> Indicator:
    return Indicator(key=key, name=name, unit=unit, kind=kind, sheet="s", **kw)


INDICATORS = (
    ind("staff", "教职工数"),
    ind("enrol", "招生数"),
    ind("grads", "毕业生人数"),
    ind("further", "升学人数", parent="grads"),
    ind("bachelor", "升入本科人数", parent="grads"),
    ind("rate", "在校生满意度", "%", "percent", decimals=2),
    ind("note", "备注", "", "text", city=CityRule("none")),
    ind("income", "月收入", "元", "amount", decimals=2, thousands=True),
)
MAJORS = ListSpec(
    "majors",
    "专业设置",
    (
        ListColumn("code", "专业代码"),
        ListColumn("name", "专业名称"),
        ListColumn("classes", "{prev} 学年班级", kind="count"),
    ),
)


def make_catalog(*tables: TableSpec) -> Catalog:
    return Catalog((Sheet("s", "表"),), INDICATORS, (MAJORS,), tables)


def make_dataset() -> Dataset:
    registry = [School(short, f"{short}全称", order=i) for i, short in enumerate(SCHOOLS)]
    loc = Location("学校/甲校.xlsx", "专业设置", "A2")
    majors = [
        {"code": Value("720201", loc), "name": Value("护理", loc), "classes": Value(12.0, loc)},
        {"code": Value("140800", loc), "name": Value("音乐", loc), "classes": Value(None, loc)},
    ]
    schools = [
        SchoolData(s, f"学校/{s.short}.xlsx", lists={"majors": majors} if i == 0 else {})
        for i, s in enumerate(registry)
    ]
    data = Dataset(2024, CityData("市级.xlsx", registry=registry), schools)
    school_values = {
        "甲校": {"staff": 358, "enrol": (966, 953), "rate": 91.145, "note": "国赛一等奖"},
        "乙校": {"staff": 264, "enrol": (350, 245), "rate": None, "note": None},
        "丙校": {"staff": 43, "enrol": (12, None), "rate": 95.4},
    }
    for short, values in school_values.items():
        figs = data.school_figures.setdefault(short, {})
        for key, value in values.items():
            prev, curr = value if isinstance(value, tuple) else (None, value)
            figs[(key, "prev")], figs[(key, "curr")] = Figure(prev), Figure(curr)
    city = {"staff": (None, 665), "enrol": (1328, 1198), "rate": (None, 93.27), "grads": (10, 20)}
    city |= {"further": (5, 6), "bachelor": (1, 2), "income": (3085.7, 2448.705)}
    for key, (prev, curr) in city.items():
        data.city_figures[(key, "prev")] = Figure(prev)
        data.city_figures[(key, "curr")] = Figure(curr)
    return data


def build(spec: TableSpec, school: str | None = None):
    doc = Document()
    table = add_table(doc, spec, make_dataset(), make_catalog(spec), school)
    return doc, table


def texts(table) -> list[list[str]]:
    """Cell texts by grid position (merged cells repeat, as python-docx reports them)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def tc_attr(table, row: int, index: int, tag: str) -> str | None:
    tc = table._tbl.tr_lst[row].tc_lst[index]
    el = tc.tcPr.find(qn(tag)) if tc.tcPr is not None else None
    return None if el is None else el.get(qn("w:val"), "continue")


def grid_widths(table) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]


SCHOOLS_SPEC = TableSpec(
    "scale",
    "schools_rows",
    corner="学校",
    columns=(
        TableColumn("staff", label="教职工数"),
        TableColumn("enrol", "prev", group="招生数"),
        TableColumn("enrol", "curr", group="招生数"),
        TableColumn("note"),
    ),
    total_label="总计",
)


def test_schools_rows_cells_and_two_level_header():
    _, table = build(SCHOOLS_SPEC)
    assert texts(table) == [
        ["学校", "教职工数", "招生数", "招生数", "备注"],
        ["学校", "教职工数", "2023 年", "2024 年", "备注"],
        ["甲校", "358", "966", "953", "国赛一等奖"],
        ["乙校", "264", "350", "245", "—"],
        ["丙校", "43", "12", "—", "—"],
        ["总计", "665", "1328", "1198", ""],
    ]


def test_schools_rows_merges_group_across_and_ungrouped_down():
    _, table = build(SCHOOLS_SPEC)
    assert tc_attr(table, 0, 2, "w:gridSpan") == "2"
    assert tc_attr(table, 0, 0, "w:vMerge") == "restart"
    assert tc_attr(table, 1, 0, "w:vMerge") == "continue"
    assert tc_attr(table, 1, 1, "w:vMerge") == "continue"  # 教职工数 spans both rows


def test_header_rows_repeat_and_do_not_split():
    _, table = build(SCHOOLS_SPEC)
    flags = [(tr.trPr.find(qn("w:tblHeader")) is not None) for tr in table._tbl.tr_lst]
    assert flags == [True, True, False, False, False, False]
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in table._tbl.tr_lst)


def test_table_is_bordered_fixed_and_fits_text_block():
    _, table = build(SCHOOLS_SPEC)
    tblPr = table._tbl.tblPr
    borders = tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    assert tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    widths = grid_widths(table)
    assert sum(widths) <= TEXT_WIDTH_TWIPS
    assert min(widths) >= 4 * 105  # every column holds at least a few characters (twips)
    first_row = table._tbl.tr_lst[0]
    assert int(first_row.tc_lst[2].tcPr.find(qn("w:tcW")).get(qn("w:w"))) == sum(widths[2:4])


def test_cells_use_song_font_five_hao_centred_vertically():
    _, table = build(SCHOOLS_SPEC)
    run = table.cell(2, 1).paragraphs[0].runs[0]
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert run.font.size.pt == 10.5
    assert all(
        tc.tcPr.find(qn("w:vAlign")).get(qn("w:val")) == "center"
        for tc in table._tbl.iter(qn("w:tc"))
    )


def test_cells_use_table_text_style_when_the_document_has_it():
    doc = Document()
    doc.styles.add_style("表格文字", 1)
    table = add_table(doc, SCHOOLS_SPEC, make_dataset(), make_catalog(SCHOOLS_SPEC))
    assert table.cell(2, 1).paragraphs[0].style.name == "表格文字"


INDICATORS_SPEC = TableSpec(
    "satisfaction",
    "indicators_rows",
    corner="指标",
    rows=(
        TableRow("rate", seq="1"),
        TableRow("staff", label="规模", seq="2"),
        TableRow("enrol", label="规模"),
    ),
    total_label="全市",
    show_seq=True,
    show_unit=True,
)


def test_indicators_rows_cells_with_seq_and_unit():
    _, table = build(INDICATORS_SPEC)
    assert texts(table) == [
        ["序号", "指标", "单位", "甲校", "乙校", "丙校", "全市"],
        ["1", "在校生满意度", "%", "91.15", "—", "95.40", "93.27"],
        ["2", "规模", "人", "358", "264", "43", "665"],
        ["2", "规模", "人", "953", "245", "—", "1198"],
    ]
    assert tc_attr(table, 3, 0, "w:vMerge") == "continue"  # 序号 carried down
    assert tc_attr(table, 3, 1, "w:vMerge") == "continue"  # identical labels merged


def test_indicators_rows_label_carries_unit_without_unit_column():
    spec = TableSpec("t", "indicators_rows", corner="学校 指标", rows=(TableRow("staff"),))
    _, table = build(spec)
    assert texts(table) == [
        ["学校 指标", "甲校", "乙校", "丙校"],
        ["教职工数（人）", "358", "264", "43"],
    ]


def test_years_rows():
    spec = TableSpec("t", "years_rows", corner="年份", key="enrol", total_label="合计")
    _, table = build(spec)
    assert texts(table) == [
        ["年份", "甲校", "乙校", "丙校", "合计"],
        ["2023 年", "966", "350", "12", "1328"],
        ["2024 年", "953", "245", "—", "1198"],
    ]


ANNEX_SPEC = TableSpec(
    "annex1",
    "annex",
    rows=(
        TableRow("grads", seq="1"),
        TableRow("further", seq="2"),
        TableRow("bachelor", seq="2"),
        TableRow("income", seq="3"),
    ),
)


def test_annex_rows_prefix_first_child_and_indent():
    _, table = build(ANNEX_SPEC)
    assert texts(table) == [
        ["序号", "指标", "单位", "2023年", "2024年"],
        ["1", "毕业生人数", "人", "10", "20"],
        ["2", "其中：升学人数", "人", "5", "6"],
        ["2", "升入本科人数", "人", "1", "2"],
        ["3", "月收入", "元", "3,085.70", "2,448.71"],
    ]
    assert tc_attr(table, 3, 0, "w:vMerge") == "continue"
    ind_el = table.cell(2, 1).paragraphs[0]._p.pPr.find(qn("w:ind"))
    assert ind_el.get(qn("w:leftChars")) == "100"
    assert table.cell(2, 1).paragraphs[0].alignment == 0  # left


def test_annex_for_one_school():
    spec = TableSpec("a", "annex", rows=(TableRow("staff", seq="1"),))
    _, table = build(spec, "乙校")
    assert texts(table)[1] == ["1", "教职工数", "人", "—", "264"]


def test_list_table_replaces_years_and_dashes_empty():
    spec = TableSpec("majors", "list", list="majors")
    _, table = build(spec, "甲校")
    assert texts(table) == [
        ["专业代码", "专业名称", "2023 学年班级"],
        ["720201", "护理", "12"],
        ["140800", "音乐", "—"],
    ]
    _, empty = build(spec, "乙校")
    assert texts(empty)[1] == ["—", "—", "—"]


def test_list_table_needs_a_school():
    with pytest.raises(TemplateError, match="需要指定学校"):
        build(TableSpec("majors", "list", list="majors"))


def test_wide_table_uses_small_font():
    cols = tuple(TableColumn("staff", label=f"列{i}") for i in range(14))
    _, table = build(TableSpec("wide", "schools_rows", corner="学校", columns=cols))
    assert table.cell(1, 1).paragraphs[0].runs[0].font.size.pt == 9
    assert sum(grid_widths(table)) <= TEXT_WIDTH_TWIPS


def test_markup_and_control_characters_in_data_are_text():
    spec = TableSpec("t", "schools_rows", corner="学校", columns=(TableColumn("note"),))
    data = make_dataset()
    data.school_figures["甲校"][("note", "curr")] = Figure('A&B <x> "q"\x07')
    doc = Document()
    table = add_table(doc, spec, data, make_catalog(spec))
    assert table.cell(1, 1).text == 'A&B <x> "q"'


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        (ind("a", "a", decimals=2), 2.675, "2.68"),
        (ind("a", "a", decimals=0), 0.5, "1"),
        (ind("a", "a", decimals=0), 2.5, "3"),
        (ind("a", "a", decimals=2, thousands=True), 1234567.125, "1,234,567.13"),
        (ind("a", "a", "%", "percent", decimals=2), 97.2, "97.20"),
        (ind("a", "a", decimals=1), Decimal("-0.04"), "0.0"),
        (ind("a", "a"), None, "—"),
        (ind("a", "a", kind="text"), "文本", "文本"),
    ],
)
def test_format_value(indicator, value, expected):
    assert format_value(indicator, value) == expected


def test_format_change():
    up = format_change(200, 250)
    assert (up.word, up.abs, up.pct) == ("增加", "50", "25.00")
    down = format_change(Figure(3.5), Figure(2.25))
    assert (down.word, down.abs, down.pct) == ("减少", "1.25", "35.71")
    assert format_change(5, 5).word == "持平"
    assert format_change(0, 5).pct == "—"
    missing = format_change(None, 5)
    assert (missing.word, missing.abs, missing.pct) == ("—", "—", "—")


def test_clean_text_strips_xml_illegal_characters():
    assert clean_text("a\x00b\x0bc\td\ne\ufffe") == "abc\td\ne"


def test_column_widths_follow_the_content():
    """Figures never wrap; a long label wraps rather than squeezing the figures."""
    from docxreport.model import Figure
    from docxreport.view.grids import Cell, Grid, fit_weights

    label = "生均教学科研仪器设备值（元/生）" * 2
    rows = [[Cell("指标"), Cell("甲校"), Cell("全市")]]
    rows.append(
        [
            Cell(label),
            Cell("13251.13", figure=Figure(13251.13)),
            Cell("129823", figure=Figure(129823)),
        ]
    )
    weights, size = fit_weights(Grid(rows, [1.0, 1.0, 1.0]), 156.0, (10.5, 9.0))
    assert size == 10.5
    assert weights[1] >= len("13251.13") + 2  # half-em units plus cell margins
    assert weights[2] >= len("129823") + 2
    assert weights[0] > weights[1]  # the label takes what is left, and wraps
    many = [[Cell("指标")] + [Cell(f"学校{i}") for i in range(9)]]
    many.append([Cell(label)] + [Cell("94518.42", figure=Figure(94518.42)) for _ in range(9)])
    _, small = fit_weights(Grid(many, [1.0] * 10), 156.0, (10.5, 9.0))
    assert small == 9.0  # 小五 when 五号 has no room for every figure
