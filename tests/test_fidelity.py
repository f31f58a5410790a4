"""Every kind of file docxreport writes passes the fidelity gate (``ooxml_gate``), and tells
the truth about itself: its properties, its settings, its parts.

The sample is built once (the city report and 市一职's, with page numbers and PDFs when
LibreOffice is there), then refreshed, round-tripped through LibreOffice and refreshed,
adopted, confirmed, drafted, checked into findings workbooks, carried into 2025 by
``init``, and a new region is started with ``new``; the workbooks embedded in the charts
are checked too.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from lxml import etree
from openpyxl.styles import Font

from docxreport.cli import main
from docxreport.finish.pdf import find_soffice
from docxreport.render.tidy import APPLICATION, CORE_NS, python_docx_thumbnail
from ooxml_gate import (
    EXCLUSIONS,
    OoxmlWarning,
    assert_valid_ooxml,
    excluded,
    own_findings,
    validator_findings,
)

ROOT = Path(__file__).resolve().parents[1]
YEAR = "2024"
CITY = "巴彦淖尔市中等职业教育质量年度报告（2024）.docx"
SCHOOL = "学校/临河区第一职业中等专业学校质量年度报告（2024）.docx"
KEYWORDS = "中等职业教育、质量年度报告、2024、巴彦淖尔市"
LIBREOFFICE = find_soffice() is not None and shutil.which("pdfinfo") is not None
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(*args: str, code: int | tuple[int, ...] = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in ((code,) if isinstance(code, int) else code), result.output
    return result


def correct_students(inputs: Path, value: int) -> None:
    book = inputs / YEAR / "学校" / "市一职.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["办学规模"]["E4"] = value
    wb.save(book)


def round_trip(path: Path, work: Path) -> None:
    """Open and save ``path`` with LibreOffice, as staff who use it would."""
    subprocess.run(
        [
            find_soffice(),
            "--headless",
            f"-env:UserInstallation=file://{work}/profile",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(work / "lo"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.copyfile(work / "lo" / path.name, path)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind of file docxreport writes, by what it is."""
    root = tmp_path_factory.mktemp("fidelity")
    inputs, templates, out = root / "inputs", root / "templates", root / "out"
    shutil.copytree(ROOT / "inputs", inputs)
    shutil.copytree(ROOT / "templates", templates)
    where = ("--inputs", str(inputs), "--templates", str(templates), "--out", str(out))
    pages = ("--pdf",) if LIBREOFFICE else ("--no-page-numbers",)
    run("build", *where, "--school", "市一职", *pages)
    run("build", *where, "--city-only", *pages)
    year = out / YEAR
    files = {  # copies: the next steps write over the reports
        "city report": shutil.copy(year / CITY, root / "city.docx"),
        "school report": shutil.copy(year / SCHOOL, root / "school.docx"),
        "data-source listing": year / "数据来源.xlsx",
    }

    correct_students(inputs, 3055)
    run("refresh", str(year / SCHOOL), *where[:2], *where[4:], "--no-page-numbers", code=3)
    files["refreshed report"] = shutil.copy(year / SCHOOL, root / "refreshed.docx")
    if find_soffice() is not None:
        round_trip(year / CITY, root)
        run("refresh", str(year / CITY), *where[:2], *where[4:], "--no-page-numbers", code=3)
        files["report saved by LibreOffice, refreshed"] = year / CITY
    correct_students(inputs, 2955)

    run("adopt", str(files["city report"]), "--templates", str(templates))
    files["adopted template"] = templates / "city.docx"
    run("confirm", *where, "--school", "市一职")
    files["数据确认表"] = next((year / "数据确认表").glob("*.docx"))
    draft = root / "draft"
    run("build", *where[:4], "--out", str(draft), "--city-only", "--draft", "--no-page-numbers")
    files["draft"] = draft / YEAR / CITY

    run(
        "check",
        *where[:4],
        "--report",
        str(root / "检查结果.xlsx"),
        "--report-dir",
        str(root / "各校"),
    )
    files["findings workbook"] = root / "检查结果.xlsx"
    files["a school's findings workbook"] = next((root / "各校").glob("*.xlsx"))
    run("init", "2025", "--inputs", str(inputs))
    files["city workbook from init"] = inputs / "2025" / "市级.xlsx"
    files["school workbook from init"] = inputs / "2025" / "学校" / "市一职.xlsx"

    region = root / "new"
    run("new", "2025", "--inputs", str(region / "inputs"), "--templates", str(region / "t"))
    files["starter city template from new"] = region / "t" / "city.docx"
    files["starter school template from new"] = region / "t" / "school.docx"
    files["city workbook from new"] = region / "inputs" / "2025" / "市级.xlsx"
    return files


KINDS = [
    "city report",
    "school report",
    "refreshed report",
    "report saved by LibreOffice, refreshed",
    "adopted template",
    "数据确认表",
    "draft",
    "starter city template from new",
    "starter school template from new",
    "data-source listing",
    "findings workbook",
    "a school's findings workbook",
    "city workbook from init",
    "school workbook from init",
    "city workbook from new",
]
DOCX_KINDS = [k for k in KINDS if "workbook" not in k and "listing" not in k]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_file_passes_the_gate(made: dict[str, Path], kind: str) -> None:
    if kind not in made:
        pytest.skip("LibreOffice is not installed")
    assert_valid_ooxml(made[kind])


def test_the_chart_workbooks_staff_open_with_edit_data_pass_the_gate(
    made: dict[str, Path], tmp_path: Path
) -> None:
    with zipfile.ZipFile(made["city report"]) as package:
        names = [n for n in package.namelist() if n.startswith("word/embeddings/")]
        assert len(names) == 3  # the sample's three charts
        for name in names:
            (tmp_path / Path(name).name).write_bytes(package.read(name))
    for name in names:
        assert_valid_ooxml(tmp_path / Path(name).name)


def _core(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("docProps/core.xml"))


def _prop(core: etree._Element, name: str) -> str:
    found = [c for c in core if etree.QName(c).localname == name]
    assert len(found) <= 1, name
    return (found[0].text or "") if found else ""


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("kind", DOCX_KINDS)
def test_every_document_is_a_current_chinese_one_with_its_own_properties(
    made: dict[str, Path], kind: str
) -> None:
    if kind not in made:
        pytest.skip("LibreOffice is not installed")
    with zipfile.ZipFile(made[kind]) as package:
        names = set(package.namelist())
        settings = etree.fromstring(package.read("word/settings.xml"))
        app = package.read("docProps/app.xml").decode()
        types = package.read("[Content_Types].xml").decode()
    modes = [
        s.get(f"{W}val")
        for s in settings.iter(f"{W}compatSetting")
        if s.get(f"{W}name") == "compatibilityMode"
    ]
    assert modes == ["15"]  # not 兼容模式
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"
    assert f"<Application>{APPLICATION}</Application>" in app
    assert "<Pages>" not in app and "<Words>" not in app and "Macintosh" not in app
    assert "word/stylesWithEffects.xml" not in names and "stylesWithEffects" not in types
    if "docProps/thumbnail.jpeg" in names:  # the cover, where LibreOffice laid it out
        with zipfile.ZipFile(made[kind]) as package:
            assert package.read("docProps/thumbnail.jpeg") != python_docx_thumbnail()
    core = _core(made[kind])
    assert _prop(core, "description") != "generated by python-docx"
    assert _prop(core, "lastModifiedBy") == APPLICATION
    created, modified = _when(_prop(core, "created")), _when(_prop(core, "modified"))
    assert timedelta(0) <= datetime.now(UTC) - modified < timedelta(hours=1)
    assert created <= modified and created.year > 2013


def test_the_data_s_keywords_are_read_back_and_carried_into_the_pdf(made: dict[str, Path]):
    path = made["city report"]
    core = _core(path)
    assert [etree.QName(c).namespace for c in core if etree.QName(c).localname == "keywords"] == [
        CORE_NS
    ]
    properties = Document(str(path)).core_properties
    assert properties.keywords == KEYWORDS
    assert properties.revision == 1 and properties.last_modified_by == APPLICATION
    if not LIBREOFFICE:
        pytest.skip("LibreOffice is not installed")
    pdf = made["data-source listing"].parent / CITY.replace(".docx", ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert f"Keywords:        {KEYWORDS}" in info
    assert "Title:           巴彦淖尔市中等职业教育质量年度报告（2024）" in info


@pytest.mark.skipif(not LIBREOFFICE, reason="LibreOffice is not installed")
def test_the_thumbnail_is_the_cover_page_as_laid_out(made: dict[str, Path]) -> None:
    from PIL import Image, ImageChops

    with zipfile.ZipFile(made["city report"]) as package:
        thumbnail = Image.open(io.BytesIO(package.read("docProps/thumbnail.jpeg")))
    pdf = made["data-source listing"].parent / CITY.replace(".docx", ".pdf")
    page = made["city report"].parent / "page"
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-singlefile", "-png", "-scale-to",
                    "256", str(pdf), str(page)], check=True)  # fmt: skip
    cover = Image.open(page.with_suffix(".png")).convert("L")
    assert thumbnail.size == cover.size and max(thumbnail.size) == 256
    difference = ImageChops.difference(thumbnail.convert("L"), cover)
    assert max(difference.getdata()) < 64  # the same page, but for JPEG's blur
    assert max(ImageChops.difference(cover, Image.new("L", cover.size, 255)).getdata()) > 128


def test_a_rebuild_keeps_the_creation_time_and_counts_the_revision(tmp_path: Path) -> None:
    where = ("--inputs", str(ROOT / "inputs"), "--templates", str(ROOT / "templates"))
    args = ("build", *where, "--out", str(tmp_path), "--school", "市艺校", "--no-page-numbers")
    run(*args)
    path = next((tmp_path / YEAR / "学校").glob("*.docx"))
    first = _core(path)
    run(*args)
    second = _core(path)
    assert _prop(second, "created") == _prop(first, "created")
    assert _prop(second, "revision") == "2"
    assert _when(_prop(second, "modified")) >= _when(_prop(first, "modified"))


def test_refresh_keeps_what_staff_set_and_counts_one_more_revision(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    where = ("--inputs", str(tmp_path / "inputs"), "--out", str(tmp_path / "out"))
    run("build", *where, "--templates", str(ROOT / "templates"), "--school", "市一职",
        "--no-page-numbers")  # fmt: skip
    path = tmp_path / "out" / YEAR / SCHOOL
    built = _core(path)
    staff = docx.Document(str(path))  # staff edit the properties in Word
    staff.core_properties.title = "临河一职 2024 年度报告（定稿）"
    staff.core_properties.comments = "已经校长审阅"
    staff.core_properties.keywords = "年报、临河一职"
    staff.save(str(path))
    correct_students(tmp_path / "inputs", 3055)
    run("refresh", str(path), *where, "--no-page-numbers", code=3)
    core = _core(path)
    assert _prop(core, "title") == "临河一职 2024 年度报告（定稿）"
    assert _prop(core, "description") == "已经校长审阅"
    assert _prop(core, "keywords") == "年报、临河一职"
    assert _prop(core, "created") == _prop(built, "created")
    assert _prop(core, "revision") == "2" and _prop(core, "lastModifiedBy") == APPLICATION
    assert not own_findings(path)


# -- the gate itself --------------------------------------------------------------------------


def _pitfall_document(tmp_path: Path, name: str, spoil) -> Path:
    from docxreport.render.package import save_docx
    from docxreport.render.tidy import Stamp

    doc = Document()
    doc.add_paragraph("正文")
    spoil(doc)
    path = tmp_path / f"{name}.docx"
    save_docx(doc, path, Stamp(datetime.now(UTC)))
    return path


def _newline(doc) -> None:
    doc.paragraphs[0].runs[0]._r.find(f"{W}t").text = "第一行\n第二行"


def _br_outside_a_run(doc) -> None:
    doc.paragraphs[0]._p.append(etree.Element(f"{W}br"))


def _long_bookmark(doc) -> None:
    start, end = etree.Element(f"{W}bookmarkStart"), etree.Element(f"{W}bookmarkEnd")
    start.set(f"{W}id", "1")
    start.set(f"{W}name", "_dr" + "长" * 40)
    end.set(f"{W}id", "1")
    doc.paragraphs[0]._p.extend([start, end])


def _duplicate_docpr(doc) -> None:
    import io

    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, "PNG")
    for _ in range(2):
        doc.add_picture(io.BytesIO(image.getvalue()))
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    for pr in doc.element.body.iter(f"{wp}docPr"):
        pr.set("id", "7")


def _empty_abstract_num(doc) -> None:
    doc.add_paragraph("一项", style="List Bullet")
    abstract = doc.part.numbering_part.element.find(f"{W}abstractNum")
    for level in abstract.findall(f"{W}lvl"):
        abstract.remove(level)


def _duplicated_core_properties(tmp_path: Path) -> Path:
    """core.xml as docxcompose's rebinding of ``cp`` leaves it (docxcompose #101)."""
    path = _pitfall_document(tmp_path, "core", lambda doc: None)
    with zipfile.ZipFile(path) as package:
        blobs = {n: package.read(n) for n in package.namelist()}
    custom = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    blobs["docProps/core.xml"] = blobs["docProps/core.xml"].replace(
        b"</cp:coreProperties>",
        f'<cp:keywords/><cp:keywords xmlns:cp="{custom}">年报</cp:keywords>'
        "</cp:coreProperties>".encode(),
    )
    with zipfile.ZipFile(path, "w") as package:
        for name, data in blobs.items():
            package.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "spoil",
    [_newline, _br_outside_a_run, _long_bookmark, _duplicate_docpr, _empty_abstract_num],
    ids=lambda f: f.__name__.strip("_"),
)
def test_the_gate_fails_on_each_word_pitfall(tmp_path: Path, spoil) -> None:
    assert_valid_ooxml(_pitfall_document(tmp_path, "clean", lambda doc: None))
    spoiled = _pitfall_document(tmp_path, spoil.__name__, spoil)
    with pytest.raises(AssertionError):
        assert_valid_ooxml(spoiled)


def test_the_gate_fails_on_duplicated_core_properties(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="keywords"):
        assert_valid_ooxml(_duplicated_core_properties(tmp_path))


def test_the_gate_lists_the_validator_s_warnings(made: dict[str, Path]) -> None:
    with pytest.warns(OoxmlWarning, match="inline-string"):
        assert_valid_ooxml(made["data-source listing"])


def test_each_exclusion_is_a_finding_on_the_library_s_own_minimal_output(tmp_path: Path):
    wb = openpyxl.Workbook()  # openpyxl's own workbook, one underlined cell
    wb.active["A1"] = "链接"
    wb.active["A1"].font = Font(underline="single", color="0563C1")
    wb.save(tmp_path / "openpyxl.xlsx")
    found = validator_findings(tmp_path / "openpyxl.xlsx")
    for exclusion in EXCLUSIONS:
        assert any(excluded(f.part_uri, f.description) is exclusion for f in found), exclusion


def _as_built_before(path: Path) -> None:
    """Give a report the package of the reports built before the tidy pass: docxcompose's
    doubled core properties, python-docx's stylesWithEffects and settings, negative axis ids."""
    with zipfile.ZipFile(path) as package:
        blobs = {n: package.read(n) for n in package.namelist()}
    with zipfile.ZipFile(ROOT / "templates" / "city.docx") as template:
        blobs["word/stylesWithEffects.xml"] = template.read("word/stylesWithEffects.xml")
    custom = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    core = etree.fromstring(blobs["docProps/core.xml"])
    keywords = next(c for c in core if etree.QName(c).localname == "keywords")
    moved = etree.SubElement(core, f"{{{custom}}}keywords")  # the value, misplaced
    moved.text, keywords.text = keywords.text, None  # the standard copy, empty
    blobs["docProps/core.xml"] = etree.tostring(core)
    blobs["word/settings.xml"] = (
        blobs["word/settings.xml"]
        .replace(b'w:val="15"', b'w:val="14"')
        .replace(b'"zh-CN"', b'"ja-JP"')
    )
    for name in [n for n in blobs if n.startswith("word/charts/chart")]:
        blobs[name] = blobs[name].replace(b'axId val="', b'axId val="-')
    blobs["word/_rels/document.xml.rels"] = blobs["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId990" Type="http://schemas.microsoft.com/office/2007/'
        b'relationships/stylesWithEffects" Target="stylesWithEffects.xml"/></Relationships>',
    )
    blobs["[Content_Types].xml"] = blobs["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/stylesWithEffects.xml" ContentType="application/'
        b'vnd.ms-word.stylesWithEffects+xml"/></Types>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in blobs.items():
            package.writestr(name, data)


def test_refresh_mends_a_report_built_before_the_tidy_pass(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    where = ("--inputs", str(tmp_path / "inputs"), "--out", str(tmp_path / "out"))
    run("build", *where, "--templates", str(ROOT / "templates"), "--school", "市一职",
        "--no-page-numbers")  # fmt: skip
    path = tmp_path / "out" / YEAR / SCHOOL
    keywords = Document(str(path)).core_properties.keywords
    _as_built_before(path)
    assert Document(str(path)).core_properties.keywords == ""  # as python-docx read them
    with pytest.raises(AssertionError):
        assert_valid_ooxml(path)
    correct_students(tmp_path / "inputs", 3055)
    run("refresh", str(path), *where, "--no-page-numbers", code=3)
    assert_valid_ooxml(path)
    with zipfile.ZipFile(path) as package:
        assert "word/stylesWithEffects.xml" not in package.namelist()
        assert b'w:val="15"' in package.read("word/settings.xml")
    assert Document(str(path)).core_properties.keywords == keywords
