"""adopt: the published (edited) report becomes next year's template, with staff's wording.

The loop of the compiling group's year: build 2024 → staff edit the city report →
adopt it → init 2025 → the schools fill their workbooks → build 2025. The 2025 report
must carry 2025's figures in the wording staff wrote in 2024.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docxreport.catalog import default_catalog
from docxreport.checks.sentences import SENTENCE
from docxreport.checks.templates import check_template
from docxreport.cli import main
from docxreport.dump import blocks
from test_init import fill

ROOT = Path(__file__).resolve().parents[1]
CITY_2024 = "巴彦淖尔市中等职业教育质量年度报告（2024）.docx"
CITY_2025 = "巴彦淖尔市中等职业教育质量年度报告（2025）.docx"
SCHOOL_2024 = "学校/临河区第一职业中等专业学校质量年度报告（2024）.docx"
STAFF = "截至本学年末，全市中等职业学校共有教职工 "
ADDED = "编制组补充：本年度继续推进“双优”建设。"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """2024 built and edited by staff, adopted into the templates; 2025 initialised."""
    root = tmp_path_factory.mktemp("adopt")
    shutil.copytree(ROOT / "inputs", root / "inputs")
    shutil.copytree(ROOT / "templates", root / "templates")
    common = ["--inputs", str(root / "inputs"), "--templates", str(root / "templates")]
    result = run(
        "build", *common, "--out", str(root / "out"), "--no-page-numbers", "--school", "市一职"
    )
    assert result.exit_code == 0, result.output
    result = run("build", *common, "--out", str(root / "out"), "--no-page-numbers", "--city-only")
    assert result.exit_code == 0, result.output
    city = root / "out" / "2024" / CITY_2024
    doc = docx.Document(str(city))
    prose = next(p for p in doc.paragraphs if p.text.startswith("全市中等职业学校共有教职工"))
    prose.runs[0].text = STAFF
    prose.insert_paragraph_before(ADDED)
    doc.save(str(city))
    result = run("adopt", str(city), "--templates", str(root / "templates"))
    assert result.exit_code == 0, result.output
    school = run(
        "adopt", str(root / "out" / "2024" / SCHOOL_2024), "--templates", str(root / "templates")
    )
    assert school.exit_code == 0, school.output
    result = run("init", "2025", "--inputs", str(root / "inputs"))
    assert result.exit_code == 0, result.output
    fill(root / "inputs" / "2025", default_catalog())
    return root, result.output


def test_adopted_template_has_staff_wording_with_tags_and_passes_the_template_check(adopted):
    root, _ = adopted
    template = root / "templates" / "city.docx"
    text = "\n".join(blocks(template))
    assert ADDED in text
    assert STAFF + '{{ v("staff") }}' in text
    assert '{{ change("students").pct }}' in text and '{{p table("1-5") }}' in text
    assert '{{ toc("表") }}' in text and '{{p figures("1.1.1") }}' in text
    assert "{%p for m in team %}" in text and "{{ year }}" in text
    assert "9060" not in text and "2024 年招生" not in text
    assert "表 1-5" not in text  # numbers come back with the next build
    issues = check_template(template, "templates/city.docx", default_catalog())
    assert _beyond_sentences(issues) == []
    assert list((root / "templates").glob("city.备份-*.docx"))  # the old one kept


def test_a_school_report_becomes_that_school_s_own_template(adopted):
    root, _ = adopted
    own = root / "templates" / "学校" / "市一职.docx"
    text = "\n".join(blocks(own))
    assert "{{ school.full }}" in text and '{{ v("students") }}' in text
    issues = check_template(
        own, "templates/学校/市一职.docx", default_catalog(), kind="school.docx"
    )
    assert _beyond_sentences(issues) == []


def _beyond_sentences(issues):
    """The issues other than sentences that may print a dash: the adopted wording prints
    each figure as the report did, without the starter's conditions, so a sentence whose
    figure is blank in some later year is pointed out (and only that)."""
    sentences = [i for i in issues if i.kind == SENTENCE]
    assert all("可能印为“—”" in i.message for i in sentences)
    return [i for i in issues if i.kind != SENTENCE]


def test_next_year_builds_from_the_adopted_wording_with_next_year_s_figures(adopted, tmp_path):
    root, _ = adopted
    common = ["--inputs", str(root / "inputs"), "--templates", str(root / "templates")]
    result = run("build", *common, "--year", "2025", "--out", str(tmp_path), "--no-page-numbers")
    assert result.exit_code == 0, result.output
    city = "\n".join(blocks(tmp_path / "2025" / CITY_2025))
    assert ADDED in city
    assert f"{STAFF}1467 人；2025 年招生" in city  # 2025's figures in 2024's wording
    assert "在校生 9105 人" in city  # 市一职 3000 instead of 2955 (9060 − 2955 + 3000)
    assert "（2025）" in city and "表 1-5 " in city and "1.10 培养规模" in city
    school = "\n".join(blocks(next((tmp_path / "2025" / "学校").glob("临河区*.docx"))))
    assert "本校现有教职工" in school and "3000" in school


def test_handwritten_years_and_numbers_are_listed_with_their_place(adopted, tmp_path):
    root, _ = adopted
    report = root / "out" / "2024" / CITY_2024
    result = run("adopt", str(report), "--templates", str(tmp_path / "templates"))
    lines = [ln for ln in result.output.splitlines() if "是手写的" in ln]
    assert any("“2024 年”是手写的，下一年度不会自动更新" in ln for ln in lines)
    assert all("›" in ln or "“" in ln for ln in lines)
    assert not any("“150800”" in ln for ln in lines)  # the region code is data, not handwriting


def test_a_file_docxreport_did_not_build_cannot_be_adopted(tmp_path):
    other = tmp_path / "other.docx"
    document = docx.Document()
    document.add_paragraph("别的文件")
    document.save(str(other))
    result = run("adopt", str(other), "--templates", str(tmp_path / "templates"))
    assert result.exit_code == 1 and "没有 docxreport 的标记信息" in result.output
    assert not (tmp_path / "templates").exists()
