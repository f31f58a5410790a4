"""Checking Word templates: syntax, names the data model lacks, tags Word split, locations."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from conftest import find
from docxreport.catalog import default_catalog
from docxreport.checks.sentences import SENTENCE
from docxreport.checks.templates import (
    check_template,
    check_templates,
    context_names,
    excerpt,
    jinja_line,
    template_files,
)
from docxreport.cli import main
from docxreport.render.document import render_report

ROOT = Path(__file__).resolve().parents[1]
CAT = default_catalog()


def write_template(path: Path, *paragraphs: str | list[str], header: str = "") -> Path:
    """A .docx with one paragraph per item; a list item is one paragraph in several runs."""
    document = docx.Document()
    for item in paragraphs:
        p = document.add_paragraph()
        for i, text in enumerate([item] if isinstance(item, str) else item):
            p.add_run(text).bold = i % 2 == 1
    if header:
        document.sections[0].header.paragraphs[0].text = header
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def issues_of(tmp_path: Path, *paragraphs, name: str = "city.docx", **kw):
    path = write_template(tmp_path / "templates" / name, *paragraphs, **kw)
    return check_template(path, f"templates/{name}", CAT)


# -- the shipped templates ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["city.docx", "school.docx"])
def test_shipped_templates_have_no_problem(name):
    path = ROOT / "templates" / name
    if not path.exists():
        pytest.skip(f"{name} is not shipped yet")
    assert check_template(path, f"templates/{name}", CAT) == []


def test_names_come_from_the_report_context():
    city, school = context_names("city.docx", CAT), context_names("school.docx", CAT)
    for name in ("region", "year", "prev_year", "team", "v", "change", "table", "toc"):
        assert name in city and name in school
    assert "school" in school and "school" not in city
    assert "school" in context_names("other.docx", CAT)  # a template of unknown use gets both


# -- what passes ---------------------------------------------------------------------------------


def test_names_the_template_defines_itself_are_known(tmp_path):
    assert (
        issues_of(
            tmp_path,
            '{%p set major_school = "杭后职教" %}',
            '{{p table("1-1", major_school) }}',
            "{%p for m in team %}",
            "{{ loop.index }}. {{ m.name }}",
            "{%p endfor %}",
            '{% set c = change("students") %}{{ c.word }}{{ range(2)|list }}',
        )
        == []
    )


def test_school_may_be_used_in_the_school_template(tmp_path):
    assert issues_of(tmp_path, "{{ school.full }}", name="school.docx") == []


def test_smart_quotes_inside_tags_are_read_as_docxtpl_reads_them(tmp_path):
    assert issues_of(tmp_path, "在校生 {{ v(“students”, ‘prev’) }} 人") == []


def test_docxtpl_cell_tags_are_not_jinja_errors(tmp_path):
    assert issues_of(tmp_path, "{% colspan 2 %}", "{% cellbg 'FF0000' %}{% vm %}{% hm %}") == []


# -- what is reported, and where -------------------------------------------------------------------


def test_an_unclosed_block_points_at_the_paragraph_that_opens_it(tmp_path):
    found = issues_of(tmp_path, "标题", "{%p if year %}", *["正文"] * 30)
    issue = find(found, "templates/city.docx › 正文!段落 2", "{% if %}", "{% endif %}")
    assert issue.is_error
    assert issue.message.endswith("所在段落：“{%p if year %}”")


def test_a_period_other_than_prev_or_curr_is_an_error(tmp_path):
    found = issues_of(tmp_path, '{{ v("students", "last") }}')
    assert find(found, "templates/city.docx › 正文!段落 1", '"prev"', "“last”").is_error


def test_headers_are_checked_and_located_as_such(tmp_path):
    found = issues_of(tmp_path, "正文", header="{{ yaer }} 年度报告")
    issue = find(found, "templates/city.docx › 页眉 1!段落 1", "“yaer”", "是否应为“year”")
    assert issue.message.endswith("所在段落：“{{ yaer }} 年度报告”")


def test_figures_and_years_pass_in_a_header_but_a_table_there_is_an_error(tmp_path):
    header = '{{ region.name }}中职质量报告（{{ year }}）在校生{{ v("students") }}人'
    assert issues_of(tmp_path, "正文", header=header) == []
    found = issues_of(tmp_path, "正文", header='{{p table("1-5") }}')
    issue = find(found, "templates/city.docx › 页眉 1!段落 1", "页眉 1 中不能使用 table()")
    assert issue.is_error


def test_every_unknown_name_is_reported_once_per_paragraph(tmp_path):
    found = issues_of(tmp_path, "{{ yaer }}{{ yaer }}", "{{ yaer }}")
    assert [str(i.loc) for i in found] == [
        "templates/city.docx › 正文!段落 1",
        "templates/city.docx › 正文!段落 2",
    ]


def test_a_split_tag_is_only_a_warning_because_docxtpl_renders_it(tmp_path):
    path = write_template(tmp_path / "t" / "city.docx", ["（", "{{ ", "year", " }}", "）"])
    [issue] = check_template(path, "templates/city.docx", CAT)
    assert not issue.is_error
    assert "拆成了 3 段" in issue.message
    out = tmp_path / "out.docx"
    render_report(path, {"year": 2024}, out)
    assert [p.text for p in docx.Document(str(out)).paragraphs] == ["（2024）"]


def test_a_tag_in_one_run_is_not_split(tmp_path):
    assert issues_of(tmp_path, ["在校生 ", '{{ v("students") }}', " 人"]) == []


def test_a_file_that_is_not_a_docx_is_one_error_on_the_file(tmp_path):
    path = tmp_path / "templates" / "city.docx"
    path.parent.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "not a document")
    path.write_bytes(buffer.getvalue())
    [issue] = check_template(path, "templates/city.docx", CAT)
    assert str(issue.loc) == "templates/city.docx"
    assert "无法作为 Word .docx 文件读取" in issue.message


def test_lock_files_and_other_files_are_not_templates(tmp_path):
    folder = tmp_path / "templates"
    write_template(folder / "city.docx", "{{ year }}")
    (folder / "~$city.docx").write_bytes(b"\x05owner")
    (folder / "说明.txt").write_text("{{ yaer }}", "utf-8")
    assert [p.name for p in template_files(folder)] == ["city.docx"]
    assert check_templates(folder, CAT) == []


# -- helpers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("{%p for m in team %}", "{% for m in team %}"),
        ("前文{%p if x %}后文", "{% if x %}"),
        ("{{r year }}", "{{ year }}"),
        ("{%tr endfor %}", "{% endfor %}"),
        ("“引号”{{ v(“students”) }}", '“引号”{{ v("students") }}'),
        ("{% colspan n %}", "{{ n }}"),
    ],
)
def test_paragraphs_become_the_jinja_lines_docxtpl_would_render(text, line):
    assert jinja_line(text) == line


def test_a_long_paragraph_is_shortened_around_the_problem():
    text = "前" * 100 + "{{ yaer }}" + "后" * 100
    start = text.index("{{")
    shown = excerpt(text, (start, start + 10))
    assert "{{ yaer }}" in shown
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) < 100


# -- the command -----------------------------------------------------------------------------------


@pytest.fixture
def runner(tmp_path, monkeypatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_check_skips_a_missing_default_templates_folder_with_a_note(runner, real_inputs):
    result = runner.invoke(main, ["check", "--inputs", str(real_inputs)])
    assert result.exit_code == 0, result.output
    assert "没有模板文件夹 templates，跳过模板检查" in result.output


def test_check_refuses_a_templates_folder_that_was_named_but_is_missing(runner, real_inputs):
    result = runner.invoke(main, ["check", "--inputs", str(real_inputs), "--templates", "没有"])
    assert result.exit_code == 1
    assert "找不到模板文件夹 没有" in result.output
    assert "Traceback" not in result.output


def test_check_lists_template_problems_after_the_workbooks_and_fails(runner, real_inputs, tmp_path):
    shutil.copytree(real_inputs, "inputs")
    write_template(tmp_path / "templates" / "city.docx", "报告年度：{{ yaer }} 年")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    at = lines.index("检查模板 templates：")
    assert any(line.startswith("检查 inputs") for line in lines[:at])
    [row] = [line for line in lines[at:] if line.startswith("错误")]
    assert "templates/city.docx › 正文!段落 1" in row
    assert "“yaer”" in row and "所在段落：“报告年度：{{ yaer }} 年”" in row


def test_strict_fails_on_a_template_warning(runner, real_inputs, tmp_path):
    write_template(tmp_path / "tpl" / "city.docx", ["{{ ", "year", " }}"])
    args = ["check", "--inputs", str(real_inputs), "--templates", "tpl"]
    assert runner.invoke(main, args).exit_code == 0
    assert runner.invoke(main, [*args, "--strict"]).exit_code == 1


@pytest.mark.parametrize(
    ("condition", "shown"),
    [
        ('{% if v("students") != "—" %}有{% endif %}', "v(…)"),
        ('{% if v("students") not in ("—", "0") %}有{% endif %}', "v(…)"),
        ('{% if change("students").pct != "—" %}变{% endif %}', "….pct"),
    ],
)
def test_comparing_a_printed_figure_as_text_is_an_error(tmp_path, condition, shown):
    [issue] = issues_of(tmp_path, "前言", condition)
    assert issue.level == "错误" and str(issue.loc) == "templates/city.docx › 正文!段落 2"
    assert shown in issue.message and "has(" in issue.message and "known(" in issue.message


def test_predicates_take_catalog_keys_and_periods(tmp_path):
    ok = '{% if has("students") and known("students", "prev") %}{{ v("students") }}{% endif %}'
    assert issues_of(tmp_path, ok) == []
    [issue] = issues_of(tmp_path, '{% if has("studnets") %}有{% endif %}')
    assert "studnets" in issue.message and "students" in issue.message
    [issue] = issues_of(tmp_path, '{% if known("students", "last") %}有{% endif %}')
    assert "known()" in issue.message and "last" in issue.message


def test_the_majors_school_comes_from_the_data(tmp_path):
    found = issues_of(tmp_path, "{%p if majors_school %}", "{{ majors_school }}", "{%p endif %}")
    assert found == []


# -- sentences that fit their data -------------------------------------------------------------


def test_a_sentence_printing_an_optional_figure_unguarded_is_warned(tmp_path):
    found = issues_of(tmp_path, '全市财政专项经费 {{ v("special_funding") }} 万元。')
    [issue] = [i for i in found if i.kind == SENTENCE]
    assert str(issue.loc) == "templates/city.docx › 正文!段落 1"
    assert "年财政专项经费可能印为“—”" in issue.message
    assert "〈年财政专项经费〉 万元。" in issue.message


def test_a_guarded_figure_and_a_guarded_comparison_are_fine(tmp_path):
    found = issues_of(
        tmp_path,
        '{% if known("special_funding") %}经费 {{ v("special_funding") }} 万元。{% endif %}'
        '在校生 {{ v("students") }} 人{% set c = change("students") %}'
        "{% if c.has_pct %}，较上年{{ c.word }} {{ c.pct }}%{% endif %}。",
    )
    assert [i for i in found if i.kind == SENTENCE] == []


def test_a_comparison_printed_unguarded_is_warned(tmp_path):
    found = issues_of(tmp_path, '在校生较上年{{ change("students").word }}。')
    [issue] = [i for i in found if i.kind == SENTENCE]
    assert "较上年变化可能印为“—”" in issue.message


def test_a_school_template_is_tried_as_a_school_report(tmp_path):
    found = issues_of(
        tmp_path,
        '{{ school.full }}共有专业群 {{ v("major_groups") }} 个。',
        name="school.docx",
    )
    [issue] = [i for i in found if i.kind == SENTENCE]
    assert str(issue.loc) == "templates/school.docx › 正文!段落 1"
    assert "专业群数量可能印为“—”" in issue.message


def test_a_block_in_a_later_sections_footer_names_that_section(tmp_path):

    path = tmp_path / "city.docx"
    doc = docx.Document(str(ROOT / "templates" / "city.docx"))
    footer = doc.sections[2].footer
    footer.is_linked_to_previous = False
    footer.paragraphs[0].text = '{{p chart("1-5", "students") }}'
    doc.save(str(path))
    found = check_template(path, "templates/city.docx", CAT)
    issue = next(i for i in found if "中不能使用 chart()" in i.message)
    assert issue.is_error and "（第 3 节）" in str(issue.loc) and "页脚" in str(issue.loc)
