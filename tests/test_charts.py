"""Native charts: what they draw equals the catalog's figures, they render, survive and refresh.

The sample city report and 市一职's report are built once with the sample templates, which
hold three charts (city) and two (school).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import REGISTRY, city_data
from docxreport.catalog import default_catalog
from docxreport.cli import main
from docxreport.errors import TemplateError
from docxreport.finish.pdf import find_soffice
from docxreport.model import Dataset
from docxreport.render.chartpatch import chart_values
from docxreport.render.chartxml import default_chart_xml
from docxreport.view.charts import ChartSpec, parse_spec
from docxreport.view.report import make_view
from docxreport.workbook import chartdata
from docxreport.workbook.chartdata import read_chart_workbook

ROOT = Path(__file__).resolve().parents[1]
CITY = "巴彦淖尔市中等职业教育质量年度报告（2024）.docx"
SCHOOL = "学校/临河区第一职业中等专业学校质量年度报告（2024）.docx"
SCHOOLS = ["市一职", "市职校", "市艺校", "市体校", "前旗职中", "五原职高", "杭后职教"]
# 表1-5 as published: 在校生 2023 and 2024 per school
STUDENTS = {
    "2023 年": [3326, 812, 49, 320, 1680, 1730, 2213],
    "2024 年": [2955, 793, 52, 286, 1671, 1568, 1735],
}
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("charts")
    shutil.copytree(ROOT / "inputs", root / "inputs")
    common = ["--inputs", str(root / "inputs"), "--templates", str(ROOT / "templates")]
    for only in ("--city-only", "--school=市一职"):
        result = run("build", *common, "--out", str(root / "out"), "--no-page-numbers", only)
        assert result.exit_code == 0, result.output
    return root


def charts_of(path: Path) -> list[dict]:
    """Every chart of a report in order: alt text, part XML, workbook values, cached values."""
    doc = docx.Document(str(path))
    out = []
    for inline in doc.element.body.iter("{*}inline"):
        ref = next(inline.iter(f"{C}chart"), None)
        if ref is None:
            continue
        part = doc.part.related_parts[ref.get(f"{{{docx.oxml.ns.nsmap['r']}}}id")]
        books = [r.target_part for r in part.rels.values() if r.reltype.endswith("/package")]
        out.append(
            {
                "descr": next(inline.iter("{*}docPr")).get("descr"),
                "xml": part.blob,
                "cache": chart_values(part.blob),
                "book": read_chart_workbook(books[0].blob) if books else None,
            }
        )
    return out


def test_the_city_report_draws_its_charts_from_the_catalog_figures(built: Path) -> None:
    charts = charts_of(built / "out" / "2024" / CITY)
    assert [c["descr"] for c in charts] == [
        "全市招生、在校生、毕业生人数",
        "各职业学校在校生人数",
        "毕业生面向三次产业就业人数",
    ]
    by_school = charts[1]
    categories, series = by_school["cache"]
    assert categories == SCHOOLS
    assert {name: [int(v) for v in values] for name, values in series} == STUDENTS
    # the workbook Word opens with 编辑数据 holds the same values as the cache
    for chart in charts:
        assert chart["book"] == chart["cache"]
    city, pie = charts[0]["cache"], charts[2]["cache"]
    assert city[1] == [
        ("2023 年", [3313.0, 10112.0, 3221.0]),
        ("2024 年", [3321.0, 9060.0, 3173.0]),
    ]
    assert pie == (
        ["面向第一产业就业人数", "面向第二产业就业人数", "面向第三产业就业人数"],
        [("2024 年", [5.0, 19.0, 304.0])],
    )


def test_a_chart_part_is_fit_for_word_and_wps(built: Path) -> None:
    with zipfile.ZipFile(built / "out" / "2024" / CITY) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        body = etree.fromstring(package.read("word/document.xml"))
    charts = sorted(n for n in names if re.fullmatch(r"word/charts/chart\d+\.xml", n))
    assert len(charts) == 3 and len([n for n in names if n.startswith("word/embeddings/")]) == 3
    assert "drawingml.chart+xml" in types and rels.count("relationships/chart") == 3
    with zipfile.ZipFile(built / "out" / "2024" / CITY) as package:
        xml = package.read(charts[0]).decode()
    assert '<c:roundedCorners val="0"/>' in xml
    assert '<a:ea typeface="宋体"/>' in xml and "<c:externalData r:id=" in xml
    assert "<c:formatCode>0</c:formatCode>" in xml
    ids = [el.get("id") for el in body.iter("{*}docPr")]
    assert len(ids) == len(set(ids)), "every drawing has its own id"


def test_the_number_format_comes_from_the_catalog() -> None:
    cat = default_catalog()
    data = Dataset(year=2024, city=city_data(REGISTRY), schools=[])
    view = make_view(data, cat)
    assert view.charts is not None
    chart = view.charts(parse_spec(cat, "student_teacher_ratio"))
    assert chart.number_format == "0.00"
    assert chart.categories == ("生师比",) and [s.name for s in chart.series] == [
        "2023 年",
        "2024 年",
    ]


def test_chart_arguments_are_checked_in_chinese() -> None:
    cat = default_catalog()
    spec = parse_spec(cat, "1-5", "students")
    assert (spec.keys, spec.by, spec.periods, spec.table) == (
        ("students",),
        "school",
        ("prev", "curr"),
        "1-5",
    )
    assert parse_spec(cat, "1-5", "staff").periods == ("curr",)
    assert ChartSpec.from_key(spec.key()) == spec
    assert spec.tag() == '{{p chart("1-5", "students", kind="column") }}'
    for args, kwargs, words in [
        (("9-9",), {}, "没有的指标"),
        (("1-5", "majors"), {}, "表格“1-5”中没有指标"),
        (("students",), {"kind": "donut"}, "图表类型“donut”不对"),
        (("students",), {"by": "city"}, "by 应为"),
        (("1-1",), {}, "清单表"),
    ]:
        with pytest.raises(TemplateError, match=words):
            parse_spec(cat, *args, **kwargs)


def test_check_templates_knows_chart(tmp_path: Path) -> None:
    from docxreport.checks.templates import check_template

    doc = docx.Document()
    doc.add_paragraph('{{p chart("1-5", "students", kind="column") }}')
    doc.add_paragraph('{{p chart("1-9", "students") }}')
    doc.add_paragraph('{{p chart(["students", "enrolment"], kind="pie3d") }}')
    doc.add_paragraph('{{p chart("students", colour="red") }}')
    doc.save(tmp_path / "city.docx")
    issues = check_template(
        tmp_path / "city.docx", "city.docx", default_catalog(), kind="city.docx"
    )
    messages = [i.message for i in issues]
    assert len(messages) == 3, messages
    assert "“1-9”" in messages[0] and "pie3d" in messages[1] and "colour" in messages[2]
    assert all(i.loc.cell == f"段落 {n}" for i, n in zip(issues, (2, 3, 4), strict=True))


def test_a_school_report_charts_this_year_against_last(built: Path) -> None:
    charts = charts_of(built / "out" / "2024" / SCHOOL)
    assert [c["descr"] for c in charts] == ["本校招生、在校生、毕业生人数", "本校升入本科人数"]
    categories, series = charts[0]["cache"]
    assert categories == ["招生数", "全日制在校生人数", "毕业生人数"]
    assert series == [("2023 年", [966.0, 3326.0, 1112.0]), ("2024 年", [953.0, 2955.0, 1240.0])]
    assert all(c["book"] == c["cache"] for c in charts)


def test_the_listing_records_every_charted_figure(built: Path) -> None:
    ws = openpyxl.load_workbook(built / "out" / "2024" / "数据来源.xlsx").active
    rows = [
        r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "图：各职业学校在校生人数"
    ]
    assert len(rows) == 14
    assert rows[7][:5] == ("全市报告", "图：各职业学校在校生人数", "市一职", "2024 年", "2955")
    assert rows[7][5] == "学校/市一职.xlsx › 办学规模!E4"


def test_a_python_docx_open_and_save_keeps_the_charts(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "saved.docx"
    docx.Document(str(built / "out" / "2024" / CITY)).save(str(copy))
    assert [c["cache"] for c in charts_of(copy)] == [
        c["cache"] for c in charts_of(built / "out" / "2024" / CITY)
    ]


def correct_students(root: Path, value: int) -> None:
    book = root / "inputs" / "2024" / "学校" / "市一职.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["办学规模"]["E4"] = value
    wb.save(book)


def test_refresh_updates_a_chart_cache_and_workbook_and_keeps_its_style(
    built: Path, tmp_path: Path
) -> None:
    shutil.copytree(built / "inputs", tmp_path / "inputs")
    shutil.copytree(built / "out", tmp_path / "out")
    report = tmp_path / "out" / "2024" / CITY
    _restyle_first_series(report)  # staff recolour a series in Word
    correct_students(tmp_path, 3055)
    result = run(
        "refresh", "--inputs", str(tmp_path / "inputs"), "--out", str(tmp_path / "out"),
        "--no-page-numbers",
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "图：各职业学校在校生人数）市一职 2024 年：2955 → 3055" in result.output
    assert "全日制在校生人数 2024 年：9060 → 9160" in result.output
    charts = charts_of(report)
    by_school = charts[1]
    assert by_school["cache"][1][1][1][0] == 3055.0
    assert by_school["book"] == by_school["cache"]
    assert charts[0]["cache"][1][1][1][1] == 9160.0 and charts[0]["book"] == charts[0]["cache"]
    assert b'<a:srgbClr val="00B050"/>' in by_school["xml"], "staff's colour stays"
    ws = openpyxl.load_workbook(tmp_path / "out" / "2024" / "数据来源.xlsx").active
    assert any(
        r[1] == "图：各职业学校在校生人数" and r[4] == "3055"
        for r in ws.iter_rows(values_only=True)
    )


def _restyle_first_series(report: Path) -> None:
    """Recolour the first series of the by-school chart, as staff would in Word."""
    with zipfile.ZipFile(report) as package:
        blobs = {i.filename: package.read(i.filename) for i in package.infolist()}
    name = "word/charts/chart2.xml"
    xml = blobs[name].decode()
    fill = '<c:spPr><a:solidFill><a:srgbClr val="00B050"/></a:solidFill></c:spPr>'
    xml = xml.replace("</c:tx><c:dLbls>", f"</c:tx>{fill}<c:dLbls>", 1)
    assert fill in xml
    blobs[name] = xml.encode()
    with zipfile.ZipFile(report, "w", zipfile.ZIP_DEFLATED) as out:
        for filename, blob in blobs.items():
            out.writestr(filename, blob)


def test_adopt_turns_a_chart_back_into_its_tag(built: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.docx"
    shutil.copy(built / "out" / "2024" / CITY, report)
    result = run("adopt", str(report), "--templates", str(tmp_path / "templates"))
    assert result.exit_code in (0, 1), result.output
    template = tmp_path / "templates" / "city.docx"
    texts = [p.text for p in docx.Document(str(template)).paragraphs]
    assert '{{p chart("1-5", "students", kind="column", title="各职业学校在校生人数") }}' in texts
    assert any(t.startswith('{{p chart(["enrolment", "students", "graduates"]') for t in texts)
    with zipfile.ZipFile(template) as package:
        assert not [n for n in package.namelist() if n.startswith(("word/charts", "word/embed"))]


# -- LibreOffice --------------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice 未安装")


def own_profile(tmp_path: Path) -> str:
    """A LibreOffice profile of the test's own: a second soffice on the default profile
    (another test run, a desktop session) makes this one exit with status 1."""
    return f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"


@needs_soffice
def test_libreoffice_draws_every_chart(built: Path, tmp_path: Path) -> None:
    shutil.copy(built / "out" / "2024" / CITY, tmp_path / "city.docx")
    soffice = str(find_soffice())
    subprocess.run(
        [soffice, "--headless", own_profile(tmp_path), "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "city.docx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "city.pdf"
    pages = _pages_with(pdf, "图 1-13 2023 年、2024 年各职业学校在校生人数")
    assert len(pages) == 2, "listed in 图目录 and printed under the chart"
    page = pages[-1]
    text = _text(pdf, page)
    assert all(s in text for s in SCHOOLS), "the category axis names every school"
    assert "3326" in text and "2955" in text, "values are labelled"
    # the chart stands just above its caption: that band of the page has drawn pixels
    top = _caption_top(pdf, page, "1-13")
    png = _raster(pdf, page, tmp_path)
    from PIL import Image

    with Image.open(png) as im:
        scale = im.size[1] / 842  # A4 is 842 points high
        band = im.convert("L").crop(
            (
                int(im.size[0] * 0.15),
                int((top - 220) * scale),
                int(im.size[0] * 0.85),
                int(top * scale),
            )
        )
        dark = sum(band.histogram()[:200])
    assert dark > 2000, f"only {dark} drawn pixels where the chart stands"


@needs_soffice
def test_a_libreoffice_round_trip_keeps_the_charts(built: Path, tmp_path: Path) -> None:
    src = tmp_path / "in" / "city.docx"
    src.parent.mkdir()
    shutil.copy(built / "out" / "2024" / CITY, src)
    subprocess.run(
        [str(find_soffice()), "--headless", own_profile(tmp_path), "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "out"), str(src)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    after = charts_of(tmp_path / "out" / "city.docx")
    assert len(after) == 3
    assert after[1]["cache"][0] == SCHOOLS
    assert [v for _, values in after[1]["cache"][1] for v in values] == [
        float(v) for values in STUDENTS.values() for v in values
    ]


def _pages_with(pdf: Path, words: str) -> list[int]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    pages = text.stdout.split("\f")
    return [i + 1 for i, page in enumerate(pages) if words in " ".join(page.split())]


def _caption_top(pdf: Path, page: int, word: str) -> float:
    """Where ``word`` (the caption's number) starts on the page, in points from the top."""
    args = ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"]
    html = subprocess.run(args, capture_output=True, text=True).stdout
    found = re.search(r'yMin="([\d.]+)"[^>]*>' + re.escape(word) + "<", html)
    assert found, f"{word} not on page {page}"
    return float(found.group(1))


def _text(pdf: Path, page: int) -> str:
    args = ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True).stdout


def _raster(pdf: Path, page: int, folder: Path) -> Path:
    args = ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), str(pdf)]
    subprocess.run([*args, str(folder / "page")], check=True)
    return next(folder.glob("page*.png"))


def _openpyxl_chart_workbook(categories, series, number_format) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = chartdata.SHEET
    chartdata.fill_sheet(ws, categories, series, number_format)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _workbook_content(blob: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    return [
        (
            ws.title,
            ws.dimensions,
            [
                (c.coordinate, c.value, c.data_type, c.number_format)
                for r in ws.iter_rows()
                for c in r
            ],
            {k: (d.width, d.customWidth) for k, d in ws.column_dimensions.items()},
        )
        for ws in wb.worksheets
    ]


@pytest.mark.parametrize(
    ("categories", "series", "number_format"),
    [
        (["市一职", " 市职校 ", "A&B<C>", ""], [("2023 年", [1, None, 2.5, 3])], "0.0"),
        (["甲", "乙"], [("在校生", [1234567, 2]), ("毕业生", [0.125, None])], "#,##0"),
        (["x" * 20], [("n", [1.0])], "General"),
        ([], [], "General"),
        (["一"], [(f"系列{i}", [i / 3]) for i in range(30)], "0.00"),
    ],
)
def test_a_chart_workbook_holds_what_openpyxl_would_write(categories, series, number_format):
    written = chartdata.write_chart_workbook(categories, series, number_format)
    expected = _openpyxl_chart_workbook(categories, series, number_format)
    assert _workbook_content(written) == _workbook_content(expected)
    with (
        zipfile.ZipFile(io.BytesIO(written)) as ours,
        zipfile.ZipFile(io.BytesIO(expected)) as theirs,
    ):
        assert ours.namelist() == theirs.namelist()
        assert ours.read("xl/styles.xml") == theirs.read("xl/styles.xml")


def test_the_chart_workbook_template_is_the_empty_workbook_openpyxl_writes():
    with (
        zipfile.ZipFile(chartdata.TEMPLATE) as ours,
        zipfile.ZipFile(io.BytesIO(chartdata.template_workbook())) as theirs,
    ):
        assert ours.namelist() == theirs.namelist()
        for name in ours.namelist():
            if name != "docProps/core.xml":  # the dates it was written
                assert ours.read(name) == theirs.read(name), name


@pytest.mark.parametrize("kind", ["column", "bar", "stacked_column", "stacked_bar", "line", "pie"])
def test_a_default_chart_is_the_one_python_pptx_writes(kind: str) -> None:
    pptx = pytest.importorskip("pptx")
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter

    types = pptx.enum.chart.XL_CHART_TYPE
    chosen = {
        "column": types.COLUMN_CLUSTERED,
        "bar": types.BAR_CLUSTERED,
        "stacked_column": types.COLUMN_STACKED,
        "stacked_bar": types.BAR_STACKED,
        "line": types.LINE_MARKERS,
        "pie": types.PIE,
    }[kind]
    categories = [f"学校{i}" for i in range(27)] + ["A&B <C>"]
    series = [(f"系列 {j} & <{j}>", [i * 1.5 + j for i in range(28)]) for j in range(28)]
    data = CategoryChartData(number_format="#,##0.0")
    data.categories = categories
    for name, values in series:
        data.add_series(name, values)
    parser = etree.XMLParser(remove_blank_text=True)
    # the one difference: python-pptx's negative axis ids (the schema says unsignedInt)
    theirs_xml = ChartXmlWriter(chosen, data).xml.replace('Id val="-', 'Id val="')
    theirs_xml = theirs_xml.replace('crossAx val="-', 'crossAx val="')
    theirs = etree.fromstring(theirs_xml.encode(), parser)
    ours = etree.fromstring(default_chart_xml(kind, categories, series, "#,##0.0").encode(), parser)
    assert etree.tostring(ours) == etree.tostring(theirs)
