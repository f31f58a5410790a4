"""Trust: every printed figure is listed with its source, and no edit is ever lost."""

from __future__ import annotations

import copy
import dataclasses
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from docxreport import build as build_module
from docxreport.build import SCHOOL_TEMPLATE, Job, Options, build, run_job
from docxreport.catalog import default_catalog
from docxreport.cli import main
from docxreport.errors import TemplateError
from docxreport.finish.manifest import MANIFEST
from docxreport.load import load_year
from docxreport.model import Value

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"
TEMPLATES = ROOT / "templates"
CITY = "巴彦淖尔市中等职业教育质量年度报告（2024）.docx"
FAST = Options(page_numbers=False)


@pytest.fixture(scope="module")
def sample():
    loaded = load_year(INPUTS, 2024, default_catalog("自治区"))
    assert loaded.data is not None
    return loaded


@pytest.fixture(scope="module")
def city_build(sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    outcome = build(
        sample.data,
        default_catalog("自治区"),
        sample.folder,
        TEMPLATES,
        out,
        schools=["市艺校"],
        options=FAST,
    )
    return out / "2024", outcome


def _numbers_in_tables(path: Path) -> list[str]:
    doc = Document(str(path))
    found = []
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                text = cell.text.strip()
                if re.fullmatch(r"-?\d[\d,]*(\.\d+)?", text):
                    found.append(text)
    return found


def test_every_number_in_the_city_report_is_in_the_source_listing(city_build):
    year_dir, outcome = city_build
    assert outcome.sources == year_dir / "数据来源.xlsx"
    ws = openpyxl.load_workbook(outcome.sources).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    listed = {r[4] for r in rows if r[0] == "全市报告"}
    numbers = _numbers_in_tables(year_dir / CITY)
    assert numbers, "城市报告中没有找到数字"
    missing = sorted({n for n in numbers if n not in listed})
    # 序号 column values are row numbers, not figures.
    assert all(len(n) <= 2 for n in missing), missing[:20]


def test_source_listing_names_cells_and_rules(city_build):
    year_dir, _ = city_build
    ws = openpyxl.load_workbook(year_dir / "数据来源.xlsx").active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:F")
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    total = next(r for r in rows if r[1] == "表1-5" and r[2] == "总计" and r[4] == "9060")
    assert total[5].startswith("合计 = 7 个单元格之和（学校/市一职.xlsx › 办学规模!E4")
    ratio = next(
        r for r in rows if r[1] == "表6-1" and r[2].startswith("生师比") and r[3] == "合计"
    )
    assert ratio[4] == "9.42" and "生师比 = 9060 / 962" in ratio[5]
    prose = next(r for r in rows if r[0] == "全市报告" and r[1] == "正文" and r[4] == "9060")
    assert prose[5].startswith("合计 = 7 个单元格之和（学校/")
    change = next(
        r for r in rows if r[1] == "正文" and r[2] == "全日制在校生人数" and "较上年" in r[3]
    )
    # 2023 is the figure published last year (10112), 2024 the schools' sum (9060).
    assert change[4] == "10.40" and "10112" in change[5] and "9060" in change[5]
    school = [r for r in rows if r[0] == "市艺校"]
    assert school and all("市艺校" in r[5] or "市级" not in r[5] for r in school)


def run_build(*args: str):
    return CliRunner().invoke(
        main,
        [
            "build",
            "--no-page-numbers",
            "--inputs",
            str(INPUTS),
            "--templates",
            str(TEMPLATES),
            "--city-only",
            *args,
        ],
    )


def test_an_edited_report_is_kept_and_force_backs_it_up(tmp_path):
    out = tmp_path / "out"
    assert run_build("--out", str(out)).exit_code == 0
    report = out / "2024" / CITY
    doc = Document(str(report))
    doc.add_paragraph("编制组在 Word 中补充的一段话。")
    doc.save(str(report))
    edited = report.read_bytes()

    result = run_build("--out", str(out))
    assert result.exit_code == 1
    assert "保留" in result.output and "生成后被修改过" in result.output
    assert report.read_bytes() == edited

    result = run_build("--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    backups = list(report.parent.glob("*.备份-*.docx"))
    assert len(backups) == 1 and backups[0].read_bytes() == edited
    assert "编制组在 Word 中补充" not in "\n".join(p.text for p in Document(str(report)).paragraphs)


def test_an_unchanged_report_is_rebuilt_without_complaint(tmp_path):
    out = tmp_path / "out"
    assert run_build("--out", str(out)).exit_code == 0
    assert (out / "2024" / MANIFEST).is_file()
    result = run_build("--out", str(out))
    assert result.exit_code == 0 and "保留" not in result.output


def test_a_report_open_in_word_is_not_written_over(tmp_path):
    out = tmp_path / "out"
    assert run_build("--out", str(out)).exit_code == 0
    report = out / "2024" / CITY
    before = report.read_bytes()
    (report.parent / ("~$" + report.name)).write_bytes(b"lock")
    result = run_build("--out", str(out))
    assert result.exit_code == 1
    assert "正被 Word/WPS 打开" in result.output and "关闭" in result.output
    assert report.read_bytes() == before


def test_a_failed_build_leaves_earlier_outputs_as_they_were(sample, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(
        sample.data,
        default_catalog("自治区"),
        sample.folder,
        TEMPLATES,
        out,
        schools=["市一职", "市职校"],
        city=False,
        options=FAST,
    )
    files = sorted((out / "2024").rglob("*.docx"))
    before = {p: p.read_bytes() for p in files}
    calls = {"n": 0}
    real = build_module.render_report

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise TemplateError("模拟的渲染失败")
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "render_report", failing)
    outcome = build(
        sample.data,
        default_catalog("自治区"),
        sample.folder,
        TEMPLATES,
        out,
        schools=["市一职", "市职校"],
        city=False,
        options=FAST,
    )
    assert [(job.school, reason) for job, reason in outcome.failed] == [
        ("市职校", "模拟的渲染失败")
    ]
    after = sorted((out / "2024").rglob("*.docx"))
    assert after == files  # no new, half-written or temporary file
    failed = next(p for p in files if "巴彦淖尔职业技术学校" in p.name)  # 市职校, the 2nd report
    assert failed.read_bytes() == before[failed]
    assert not [p for p in (out / "2024").rglob("*") if ".tmp" in p.name]


def test_a_broken_report_template_does_not_stop_the_other_reports(real_scenario, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    doc = Document(str(templates / "city.docx"))
    para = next(p for p in doc.paragraphs if p.text.startswith("法定代表人"))
    para.add_run("{{ yaer }}")
    doc.save(str(templates / "city.docx"))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "build",
            "--no-page-numbers",
            "--inputs",
            str(real_scenario.inputs),
            "--templates",
            str(templates),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    assert [p.name for p in (out / "2024" / "学校").glob("*.docx")] == [
        "甲市第一职业学校质量年度报告（2024）.docx"
    ]
    assert not list((out / "2024").glob("*.docx"))
    assert "1 份报告未能生成" in result.output
    assert "全市报告" in result.output and "yaer" in result.output
    assert "法定代表人（签名）：{{ yaer }}" in result.output  # the template paragraph


XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(min_size=1, max_size=60).filter(lambda t: XML_ILLEGAL.sub("", t).strip()),
    name=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=20
    ).filter(lambda t: XML_ILLEGAL.sub("", t).strip()),
)
@example(text="<b>&amp;", name="甲&乙<校>")  # markup in a marked name (school.full) too
@example(text="0", name="0\n")  # a line break splits the run a mark stands in
def test_any_text_in_a_case_or_a_school_name_comes_out_as_text(sample, tmp_path, text, name):
    data = copy.deepcopy(sample.data)
    sd = data.school_data("市艺校")
    case = sd.lists["cases"][0]
    sd.lists["cases"][0] = {**case, "text": Value("开头" + text + "结尾", case["text"].loc)}
    school = dataclasses.replace(sd.school, full=name)
    sd.school = school
    data.city.registry = [school if s.short == "市艺校" else s for s in data.city.registry]
    out = tmp_path / f"r{abs(hash((text, name)))}.docx"
    run_job(
        Job("学校报告", TEMPLATES / SCHOOL_TEMPLATE, out, "市艺校"),
        data,
        default_catalog("自治区"),
        sample.folder,
    )
    with zipfile.ZipFile(out) as z:
        for part in z.namelist():
            if part.endswith((".xml", ".rels")):
                etree.fromstring(z.read(part))
        body = "".join(etree.fromstring(z.read("word/document.xml")).itertext())
    squash = re.compile(r"\s+")
    expected = squash.sub("", XML_ILLEGAL.sub("", "开头" + text + "结尾"))
    assert expected in squash.sub("", body)
    assert squash.sub("", XML_ILLEGAL.sub("", name)) in squash.sub("", body)
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_document_properties_come_from_the_data(city_build):
    year_dir, _outcome = city_build
    city = Document(str(year_dir / CITY)).core_properties
    assert city.title == "巴彦淖尔市中等职业教育质量年度报告（2024）"
    assert city.author == "巴彦淖尔市教育局"
    assert city.subject == "2024 年度中等职业教育质量年度报告"
    assert "巴彦淖尔市" in city.keywords and "2024" in city.keywords
    [school] = (year_dir / "学校").glob("*.docx")
    props = Document(str(school)).core_properties
    assert props.title == "巴彦淖尔市艺术学校质量年度报告（2024）"
    assert props.author == "巴彦淖尔市艺术学校"


TAG_TEXTS = ("{% endif %}", '{{ v("students") }}', "{{ year }}", "{%p endif %}", "{# 注 #}")


@pytest.mark.parametrize("tag", TAG_TEXTS)
def test_data_text_that_looks_like_a_template_tag_prints_literally(sample, tmp_path, tag):
    """A school's sentence quoting the template's own tags is data: it prints as typed, in
    a case, a catalog table and a name, and the report is written."""
    data = copy.deepcopy(sample.data)
    sd = next(s for s in data.schools if s.lists.get("majors") and s.lists.get("cases"))
    case = sd.lists["cases"][0]
    sd.lists["cases"][0] = {**case, "text": Value(f"案例原文：{tag}。", case["text"].loc)}
    major = sd.lists["majors"][0]
    sd.lists["majors"][0] = {**major, "name": Value(f"专业{tag}", major["name"].loc)}
    data.city.team[0] = dataclasses.replace(data.city.team[0], name=f"编者{tag}")
    data.selection = None  # the selection was made from the unchanged rows: print every case
    out = tmp_path / "city.docx"
    run_job(
        Job("全市报告", TEMPLATES / "city.docx", out),
        data,
        default_catalog("自治区"),
        sample.folder,
    )
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    cells = "\n".join(c.text for t in Document(str(out)).tables for r in t.rows for c in r.cells)
    assert f"案例原文：{tag}。" in text + cells
    assert f"编者{tag}" in text
    assert f"专业{tag}" in cells


def test_a_tag_the_template_left_is_still_refused_when_data_holds_the_same(tmp_path):
    """The data's copy of a tag passes; the template's own unprocessed copy does not."""
    from docxreport.render.marks import Marks
    from docxreport.render.verify import check_leftover_texts, template_texts

    marks = Marks()
    wrapped = marks.wrap("item", '{{ v("x") }}')
    body = etree.fromstring(
        '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:p><w:r><w:t>数据：{wrapped}</w:t></w:r></w:p>"
        '<w:p><w:r><w:t>{</w:t></w:r><w:r><w:t>{ v("x") }}</w:t></w:r></w:p></w:body>'
    )
    texts = template_texts(body, marks.items, lambda item: "figure")
    assert texts == ["数据：", '{{ v("x") }}']
    with pytest.raises(TemplateError, match="未处理的模板标记"):
        check_leftover_texts(texts, "", {'{{ v("x") }}'})
