"""The report view: what one report prints, decided from the data alone (no Word involved)."""

from __future__ import annotations

from conftest import JIA_VALUES, YI_VALUES, dataset
from docxreport.catalog import Catalog
from docxreport.model import Location
from docxreport.view.report import (
    CITY_REPORT,
    majors_school,
    make_view,
    moved,
    printed,
)


def test_city_figure_prints_with_its_rule_and_every_cell_it_combined(test_catalog: Catalog):
    data = dataset(test_catalog)
    view = make_view(data, test_catalog)
    staff = view.figures[("staff", "curr")]
    assert (staff.text, staff.school, staff.column) == ("154", None, "2024 年")
    assert not staff.empty and staff.nonzero
    assert Location("学校/甲校.xlsx", "办学规模", "E2") in staff.figure.sources
    assert Location("学校/乙校.xlsx", "办学规模", "E2") in staff.figure.sources
    assert view.label == CITY_REPORT


def test_school_view_holds_that_school_alone(test_catalog: Catalog):
    view = make_view(dataset(test_catalog), test_catalog, "一职")  # an alias
    assert (
        view.label == "甲校" and view.school is not None and view.school.full == "甲市第一职业学校"
    )
    assert view.figures[("staff", "curr")].text == "102"
    assert {f.school for f in view.figures.values()} == {"甲校"}


def test_empty_figure_prints_a_dash_and_is_neither_known_nor_nonzero(test_catalog: Catalog):
    jia = {**JIA_VALUES, "funds": (None, None)}
    view = make_view(dataset(test_catalog, jia=jia), test_catalog, "甲校")
    funds = view.figures[("funds", "curr")]
    assert (funds.text, funds.empty, funds.nonzero) == ("—", True, False)


def test_zero_is_known_but_not_nonzero_and_format_does_not_decide(test_catalog: Catalog):
    jia = {**JIA_VALUES, "funds": (0, 0.0)}
    view = make_view(dataset(test_catalog, jia=jia), test_catalog, "甲校")
    funds = view.figures[("funds", "curr")]
    assert funds.text == "0.00"
    assert not funds.empty and not funds.nonzero


def test_graduate_figures_of_a_school_without_graduates_are_empty(test_catalog: Catalog):
    jia = {**JIA_VALUES, "graduates": (300, 0)}
    data = dataset(test_catalog, jia=jia)
    view = make_view(data, test_catalog, "甲校")
    assert view.school is not None and not view.school.has_graduates
    rate = view.figures[("placement_rate", "curr")]
    assert rate.empty and rate.text == "—"
    assert view.figures[("placement_rate", "prev")].text == "95.00"  # last year it had some


def test_change_carries_word_percentage_and_its_rule(test_catalog: Catalog):
    data = dataset(test_catalog)
    change = moved(data, test_catalog.indicator("students"), "甲校")
    assert (change.word, change.abs, change.pct) == ("增加", "20", "2.00")
    assert change.known and not change.flat
    assert change.pct_figure.rule == "较上年变化 = (1020 − 1000) / 1000"
    assert len(change.pct_figure.sources) == 2


def test_change_from_zero_has_no_percentage_and_equal_years_are_flat(test_catalog: Catalog):
    jia = {**JIA_VALUES, "funds": (0, 10), "staff": (102, 102)}
    data = dataset(test_catalog, jia=jia, yi=YI_VALUES)
    from_zero = moved(data, test_catalog.indicator("funds"), "甲校")
    assert from_zero.known and from_zero.pct == "—" and from_zero.pct_figure.empty
    same = moved(data, test_catalog.indicator("staff"), "甲校")
    assert same.flat and same.word == "持平"


def test_unknown_year_makes_the_change_unknown(test_catalog: Catalog):
    jia = {**JIA_VALUES, "funds": (None, 10)}
    change = moved(dataset(test_catalog, jia=jia), test_catalog.indicator("funds"), "甲校")
    assert not change.known and change.word == "—" and change.pct_figure.empty


def test_printed_figure_of_a_school_that_sent_no_workbook_is_empty(test_catalog: Catalog):
    data = dataset(test_catalog)
    data.schools = [s for s in data.schools if s.school.short != "乙校"]
    assert printed(data, test_catalog.indicator("staff"), "curr", "乙校").text == "—"


def test_majors_school_is_the_first_registered_school_that_listed_its_majors(
    test_catalog: Catalog,
):
    data = dataset(test_catalog)
    assert majors_school(data) == ""
    yi = next(s for s in data.schools if s.school.short == "乙校")
    yi.lists["majors"] = [{}]
    assert majors_school(data) == "乙校"


def test_photos_and_cases_are_grouped_by_section(test_catalog: Catalog, tmp_path):
    from docxreport.model import Value

    data = dataset(test_catalog)
    loc = Location("学校/甲校.xlsx", "图片", "A2")

    def row(**cells):
        return {k: Value(v, loc) for k, v in cells.items()}

    jia = next(s for s in data.schools if s.school.short == "甲校")
    jia.lists["photos"] = [
        row(section="1.2", caption="实训", file="a.jpg"),
        row(section="3", caption="案例配图", case="好故事"),
    ]
    jia.lists["cases"] = [row(section="3", title="好故事", text="第一段\n\n第二段")]
    view = make_view(data, test_catalog, "甲校", tmp_path)
    [photo] = view.photos["1.2"]
    assert (photo.caption, photo.path, photo.school) == ("实训", tmp_path / "a.jpg", "甲校")
    [case] = view.cases["3"]
    assert case.paragraphs == ["第一段", "第二段"]
    assert [p.caption for p in case.photos] == ["案例配图"]
    assert make_view(data, test_catalog, "乙校", tmp_path).photos == {}


def test_a_case_gets_only_the_photos_of_its_own_workbook(test_catalog: Catalog, tmp_path):
    """Two schools may tell cases of the same title: each case shows its own school's photos."""
    from docxreport.model import Value

    data = dataset(test_catalog)
    for sd in data.schools:
        loc = Location(f"学校/{sd.school.short}.xlsx", "图片", "A2")
        sd.lists["photos"] = [
            {
                k: Value(v, loc)
                for k, v in dict(section="3", caption=sd.school.short, case="实训").items()
            }
        ]
        sd.lists["cases"] = [
            {k: Value(v, loc) for k, v in dict(section="3", title="实训", text="正文").items()}
        ]
    cases = make_view(data, test_catalog, None, tmp_path).cases["3"]
    assert [[p.caption for p in c.photos] for c in cases] == [
        [sd.school.short] for sd in data.schools
    ]
