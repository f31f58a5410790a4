"""The audit of hand-typed figures: what counts as a figure, what it is compared with, and
how refresh and ``check --edited`` report a figure the data contradicts."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

import test_refresh as base
from docxreport.catalog import default_catalog
from docxreport.figureaudit import Auditor, audit_report
from docxreport.load import load_year
from docxreport.render.patch import ReportFile
from docxreport.view.report import make_view
from test_refresh import CITY, PROSE, correct_students, refresh, run

ROOT = Path(__file__).resolve().parents[1]
CAT = default_catalog()
built, year = base.built, base.year


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    data = load_year(ROOT / "inputs", 2024, CAT).data
    return Auditor(CAT, make_view(data, CAT), lambda short: make_view(data, CAT, short))


def audit(auditor: Auditor, text: str):  # type: ignore[no-untyped-def]
    return auditor.audit([("1.10 培养规模", text, text)])


@pytest.mark.parametrize(
    "text",
    [
        "全市在校生 9060 人。",
        "全市在校生9,060人",
        "全日制在校生人数为 9060 人",
        "在校生 10112 人（上年）",
    ],
)
def test_a_typed_figure_equal_to_this_or_last_years_data_passes(auditor: Auditor, text: str):
    found = audit(auditor, text)
    assert len(found) == 1 and found[0].agrees


def test_a_typed_figure_the_data_contradicts_is_named_with_chapter_and_excerpt(auditor):
    (finding,) = audit(auditor, "截至年底，全市在校生 9070 人，较上年有所减少。")
    assert not finding.agrees
    assert finding.line() == (
        "1.10 培养规模 › “截至年底，全市在校生 9070 人，较上年…”：手写的 9070 与数据"
        "“全日制在校生人数”2024 年 9060（2023 年为 10112）不一致"
    )


def test_a_school_named_in_the_clause_makes_it_that_schools_figure(auditor: Auditor):
    (right,) = audit(auditor, "市一职在校生 2955 人。")
    assert right.agrees and right.school == "市一职"
    (wrong,) = audit(auditor, "市一职在校生 9060 人。")
    assert not wrong.agrees and "“市一职的全日制在校生人数”2024 年 2955" in wrong.line()


@pytest.mark.parametrize(
    "text",
    [
        "2024 年全市在校生规模稳定。",  # a year
        "2025 年 1 月 22 日，在校生代表发言。",  # a date
        "在校生服务热线 0478-8888888。",  # a phone number
        "依据《关于印发在校生 3000 人以上学校标准的通知》办理。",  # a title
        "在校生资助按巴教发〔2024〕12 号文件执行。",  # a document number
        "在校生人数居全区第 3 位。",  # a rank
        "就业率达 95% 以上。",  # no indicator named
        "培训人次达在校生规模的 2 倍。",  # no unit of the catalog
    ],
)
def test_what_is_not_a_figure_is_not_checked(auditor: Auditor, text: str):
    assert [f for f in audit(auditor, text) if not f.agrees] == []


def test_a_rounded_figure_matches_its_data(auditor: Auditor):
    view = auditor.view
    ratio = next(
        i for i in CAT.indicators if i.unit == "%" and "." in view.figures[(i.key, "curr")].text
    )
    printed = view.figures[(ratio.key, "curr")].text
    if "." not in printed:
        pytest.skip("the sample prints this percentage without decimals")
    rounded = f"{float(printed):.1f}"
    found = audit(auditor, f"{ratio.name}为 {rounded}%。")
    assert found and found[0].agrees


def test_the_built_city_report_has_no_hand_typed_figure_to_warn_about(built: Path):
    data = load_year(built / "inputs", 2024, CAT).data
    found = audit_report(ReportFile(built / "out" / "2024" / CITY), data, CAT)
    assert [f for f in found if not f.agrees] == []


def add_typed_sentence(path: Path) -> str:
    doc = docx.Document(str(path))
    prose = next(p for p in doc.paragraphs if p.text.startswith(PROSE))
    added = prose.insert_paragraph_before("编制组补充：全市在校生 9060 人，均已注册学籍。")
    doc.save(str(path))
    return added.text


def test_refresh_lists_a_hand_typed_figure_the_correction_contradicts(year: Path):
    city = year / "out" / "2024" / CITY
    typed = add_typed_sentence(city)
    correct_students(year)
    result = refresh(year, city)
    assert result.exit_code == 3, result.output
    assert (
        "全市报告 › 1.10 培养规模 › “编制组补充：全市在校生 9060 人，均已注…”："
        "手写的 9060 与数据“全日制在校生人数”2024 年 9160（2023 年为 10112）不一致"
    ) in result.output
    assert "1 处手写的数字与数据不一致" in result.output.splitlines()[-1]
    assert typed in [p.text for p in docx.Document(str(city)).paragraphs]  # never changed


def test_check_edited_lists_them_too_and_strict_fails(year: Path):
    city = year / "out" / "2024" / CITY
    add_typed_sentence(city)
    correct_students(year)
    args = ["check", "--inputs", str(year / "inputs"), "--templates", str(ROOT / "templates")]
    result = run(*args, "--edited", str(city))
    assert "正文中手写的数字" in result.output and "与数据不一致 1 处" in result.output
    assert "手写的 9060 与数据“全日制在校生人数”2024 年 9160" in result.output
    strict = run(*args, "--edited", str(city), "--strict")
    assert strict.exit_code == 1


def test_adopt_splits_the_hand_written_numbers_and_binds_on_request(year: Path, tmp_path: Path):
    city = year / "out" / "2024" / CITY
    doc = docx.Document(str(city))
    prose = next(p for p in doc.paragraphs if p.text.startswith(PROSE))
    prose.insert_paragraph_before("编制组补充：全市在校生 9060 人；全市招生 3000 人。")
    doc.save(str(city))
    args = ["adopt", str(city), "--inputs", str(year / "inputs")]
    result = run(*args, "--templates", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "与数据中恰好一个数相同的手写数字 1 处（可加 --bind-typed 改为占位符）：" in out
    assert (
        '1.10 培养规模 › “编制组补充：全市在校生 9060 人；全市招…”：9060 → {{ v("students") }}'
        in out
    )
    assert "与数据不一致的手写数字 1 处：" in out
    assert "手写的 3000 与数据“招生数”2024 年 3321" in out
    assert "手写的年份" in out and "“2024 年”是手写的" in out
    template = "\n".join(
        p.text for p in docx.Document(str(tmp_path / "a" / "city.docx")).paragraphs
    )
    assert "编制组补充：全市在校生 9060 人" in template  # not bound without the flag

    result = run(*args, "--templates", str(tmp_path / "b"), "--bind-typed")
    assert "（已改为占位符）" in result.output
    bound = docx.Document(str(tmp_path / "b" / "city.docx")).paragraphs
    assert '编制组补充：全市在校生 {{ v("students") }} 人；全市招生 3000 人。' in [
        p.text for p in bound
    ]


def test_a_tracked_refresh_puts_the_contradicted_typed_figures_in_its_summary_comment(year: Path):
    city = year / "out" / "2024" / CITY
    add_typed_sentence(city)
    correct_students(year)
    result = run(
        "refresh",
        str(city),
        "--inputs",
        str(year / "inputs"),
        "--out",
        str(year / "out"),
        "--no-page-numbers",
        "--track",
    )
    assert result.exit_code == 3, result.output
    summary = next(c.text for c in docx.Document(str(city)).comments if "更新本报告" in c.text)
    assert (
        "手写的数字与数据不一致（未改动）：1.10 培养规模 › “编制组补充：全市在校生 9060" in summary
    )
