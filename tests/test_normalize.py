"""What Excel users really type, turned into clean values (pure functions)."""

from __future__ import annotations

import pytest

from docxreport.normalize import cell_text, parse_number, parse_year


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("1,234", "count", 1234),
        ("１２３４", "count", 1234),
        ("３０", "count", 30),
        (" 12 ", "count", 12),
        ("\u00a012\u3000", "count", 12),
        ("1，234", "count", 1234),
        (12.0, "count", 12),
        (30, "count", 30),
        ("1,234.56", "amount", 1234.56),
        ("596.22", "amount", 596.22),
        ("95%", "percent", 95),
        ("95.5%", "percent", 95.5),
        ("９５％", "percent", 95),
        (95.5, "percent", 95.5),
        ("0", "percent", 0),
        ("13.5", "ratio", 13.5),
    ],
)
def test_accepts_what_users_type(raw, kind, expected):
    parsed = parse_number(raw, kind)
    assert parsed.value == expected
    assert type(parsed.value) is type(expected)
    assert parsed.error is None
    assert parsed.warning is None


@pytest.mark.parametrize("fmt", ["0%", "0.00%"])
def test_fraction_in_a_percent_formatted_cell_is_read_as_percent(fmt):
    parsed = parse_number(0.95, "percent", fmt)
    assert parsed.value == 95
    assert parsed.warning is None
    assert parsed.error is None


def test_fraction_in_a_plain_percent_cell_is_kept_with_an_ambiguity_warning():
    parsed = parse_number(0.95, "percent", "0.00")
    assert parsed.value == 0.95
    assert parsed.error is None
    assert "含义不明" in parsed.warning
    assert "95" in parsed.warning
    assert "0.95%" in parsed.warning


def test_percent_above_one_is_not_ambiguous():
    assert parse_number(1.5, "percent").warning is None


@pytest.mark.parametrize("raw", [None, "", "-", "—", "－", "--", "——", "/", "无数据", "  -  "])
def test_dash_and_blank_marks_mean_empty(raw):
    parsed = parse_number(raw, "count")
    assert parsed.value is None
    assert parsed.error is None
    assert parsed.warning is None


def test_count_with_a_fraction_is_an_error():
    parsed = parse_number(12.5, "count")
    assert parsed.value is None
    assert "12.5" in parsed.error
    assert "应为整数" in parsed.error


def test_chinese_numerals_are_not_a_number():
    parsed = parse_number("一千", "count")
    assert parsed.value is None
    assert parsed.error == "“一千”不是数字"


@pytest.mark.parametrize("raw", ["12人", "1,23", "1.2.3", "abc", "1e3"])
def test_text_mixed_with_digits_is_not_a_number(raw):
    parsed = parse_number(raw, "count")
    assert parsed.value is None
    assert "不是数字" in parsed.error


def test_percent_sign_where_a_count_belongs_is_an_error():
    parsed = parse_number("12%", "count")
    assert parsed.value is None
    assert "带百分号" in parsed.error
    assert "整数" in parsed.error


def test_negative_numbers_are_parsed_so_that_the_range_check_can_name_them():
    assert parse_number("-5", "count").value == -5
    assert parse_number("－5", "count").value == -5


def test_true_false_is_not_a_number():
    assert "不是数字" in parse_number(True, "count").error


def test_nan_is_not_a_valid_number():
    assert parse_number(float("nan"), "amount").error == "不是有效数字"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2024, 2024),
        (2024.0, 2024),
        ("2024", 2024),
        ("2024年", 2024),
        ("2024年度", 2024),
        ("２０２４ 年", 2024),
        (None, None),
        ("二〇二四", None),
        ("24", None),
        (2024.5, None),
    ],
)
def test_parse_year_reads_stamped_years(raw, expected):
    assert parse_year(raw) == expected


def test_cell_text_strips_spaces_and_control_characters():
    assert cell_text("  甲校\x0b\x01 ") == "甲校"
    assert cell_text("   ") is None
    assert cell_text(None) is None
    assert cell_text(12) == "12"
