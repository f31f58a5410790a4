"""Template checks beyond the tags: layout and page numbers, styles, page fields, school names."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from docxreport.build import Job, run_job
from docxreport.catalog import default_catalog
from docxreport.checks.templates import check_template
from docxreport.cli import main
from docxreport.finish.pdf import find_soffice
from docxreport.load import load_year

ROOT = Path(__file__).resolve().parents[1]
CITY = ROOT / "templates" / "city.docx"
CAT = default_catalog("自治区")


def edited(tmp_path: Path, change) -> list:
    """Check a copy of the sample city template after ``change(document)``."""
    doc = docx.Document(str(CITY))
    change(doc)
    path = tmp_path / "city.docx"
    doc.save(str(path))
    return check_template(path, "templates/city.docx", CAT)


def _sects(doc):
    return list(doc.element.body.iter(qn("w:sectPr")))


def test_front_matter_without_roman_numbers_is_an_error(tmp_path):
    def plain(doc):
        front = _sects(doc)[1]
        front.remove(front.find(qn("w:pgNumType")))

    [issue] = edited(tmp_path, plain)
    assert issue.is_error and "罗马数字" in issue.message and "段落" in issue.loc.cell


def test_body_that_does_not_restart_at_one_is_an_error(tmp_path):
    def continued(doc):
        del _sects(doc)[2].find(qn("w:pgNumType")).attrib[qn("w:start")]

    [issue] = edited(tmp_path, continued)
    assert issue.is_error and "没有从 1 开始" in issue.message


def test_body_in_the_same_section_as_the_contents_is_an_error(tmp_path):
    def merged(doc):
        front = _sects(doc)[1]
        front.getparent().remove(front)

    issues = edited(tmp_path, merged)
    assert any("与目录在同一节" in i.message for i in issues)


def test_a_section_break_in_a_paragraph_the_build_replaces_is_an_error(tmp_path):
    def moved(doc):
        front = _sects(doc)[1]
        p = next(p for p in doc.paragraphs if p.text.startswith("{%p for m in team"))
        p._p.get_or_add_pPr().append(front)

    issues = edited(tmp_path, moved)
    assert any("分节符" in i.message and i.loc.cell == "段落 12" for i in issues)


def test_missing_caption_style_is_an_error_and_missing_contents_style_a_warning(tmp_path):
    def unstyled(doc):
        for name in ("表题", "toc 2"):
            style = doc.styles[name].element
            style.getparent().remove(style)

    issues = edited(tmp_path, unstyled)
    assert [(i.is_error, "表题" in i.message) for i in issues if "表题" in i.message] == [
        (True, True)
    ]
    assert any(not i.is_error and "toc 2" in i.message for i in issues)


def test_a_footer_without_page_field_is_an_error(tmp_path):
    def no_page(doc):
        for section in doc.sections:
            for p in section.footer.paragraphs:
                for instr in list(p._p.iter(qn("w:instrText"))):
                    instr.text = ""

    issues = edited(tmp_path, no_page)
    assert [i.message[:4] for i in issues if "PAGE" in i.message] == ["前置部分", "正文（第"]


def test_unknown_school_set_in_a_template_fails_check_with_its_paragraph(real_inputs, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    doc = docx.Document(str(templates / "city.docx"))
    anchor = next(p for p in doc.paragraphs if p.text == "{%p if majors_school %}")
    anchor.insert_paragraph_before('{%p set major_school = "杭后职教" %}')
    anchor.insert_paragraph_before('{{p table("1-1", major_school) }}')
    doc.paragraphs[0].insert_paragraph_before('{{p table("1-1", "市一职") }}')
    doc.save(str(templates / "city.docx"))
    result = CliRunner().invoke(
        main, ["check", "--inputs", str(real_inputs), "--templates", str(templates)]
    )
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "不在学校名册中" in line]
    assert len(lines) == 2, result.output
    assert "city.docx › 正文!段落 1 " in lines[0] and "市一职" in lines[0]
    assert "{% set major_school %}" in lines[1] and "第 52 段 table()" in lines[1]
    assert "段落 51 " in lines[1] and "杭后职教" in lines[1]


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_a_template_saved_by_libreoffice_still_builds_roman_front_matter(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(CITY, src / "city.docx")
    subprocess.run(
        [
            find_soffice(),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path / "rt"),
            str(src / "city.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = tmp_path / "rt" / "city.docx"
    issues = check_template(saved, "templates/city.docx", CAT)
    assert not [i for i in issues if i.is_error], [str(i) for i in issues]
    # what LibreOffice broke, said as warnings: contents styles dropped, tags split into runs
    assert {"toc 1", "toc 2", "toc 3"} <= {i.message[5:10] for i in issues if "样式" in i.message}
    loaded = load_year(ROOT / "inputs", 2024, CAT)
    out = tmp_path / "out.docx"
    run_job(Job("全市报告", saved, out), loaded.data, CAT, loaded.folder)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'w:fmt="lowerRoman"' in xml and xml.count("<w:sectPr") == 3
