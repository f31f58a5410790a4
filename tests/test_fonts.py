"""Fonts: the font map, what prints for each font a document asks for, and where it asks."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from docxreport.cli import main
from docxreport.finish import fonts
from docxreport.finish.fontuse import font_report, fonts_used
from docxreport.finish.language import declared_language, set_language
from docxreport.model import Location

ROOT = Path(__file__).resolve().parents[1]
NOWHERE = "方正不存在测试体"
have_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="未安装 LibreOffice 或 poppler-utils，跳过 PDF 测试",
)


def installed(*names: str) -> frozenset[str]:
    return frozenset(n.casefold() for n in names)


def test_a_missing_gb2312_font_prints_as_the_first_installed_face_of_its_map() -> None:
    serif = installed("Noto Serif CJK SC", "Noto Sans CJK SC")
    assert fonts.choose("仿宋_GB2312", serif).printed == "Noto Serif CJK SC"
    # Windows has 仿宋 (FangSong) but not 仿宋_GB2312: its own face wins over any fallback
    windows = installed("FangSong", "KaiTi", "SimHei", "SimSun", "Noto Serif CJK SC")
    assert fonts.choose("仿宋_GB2312", windows).printed == "FangSong"
    assert fonts.choose("楷体_GB2312", windows).printed == "KaiTi"
    assert fonts.choose("黑体", installed("AR PL KaitiM GB", "Noto Sans CJK SC")).printed == (
        "Noto Sans CJK SC"
    )
    itself = fonts.choose("黑体", installed("黑体", "Noto Sans CJK SC"))
    assert itself.installed and itself.printed == "黑体"
    assert fonts.choose(NOWHERE, serif).missing
    assert fonts.choose("楷体_GB2312", installed("Liberation Serif")).missing


def test_where_the_installed_fonts_cannot_be_listed_nothing_is_claimed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "installed_fonts", lambda: None)
    choice = fonts.choose(NOWHERE)
    assert not choice.known and not choice.missing and not choice.installed
    assert fonts.replacement_items() == ""
    report = font_report([(asking_for(tmp_path / "a.docx", "黑体", NOWHERE), "a.docx")])
    assert not report.issues
    assert f"{NOWHERE}：无法列出本机已安装的字体，未能核对" in report.lines


def test_every_pan_cjk_fallback_is_its_simplified_chinese_variant() -> None:
    faces = [f for t in fonts.typefaces() for f in t.fallback if re.search(r"CJK|Source Han", f)]
    assert faces and all(f.endswith(" SC") for f in faces), faces
    kinds = {t.kind for t in fonts.typefaces()}
    assert {"仿宋", "楷体", "黑体", "宋体"} <= kinds


def test_the_replacement_table_always_replaces_each_missing_name() -> None:
    have = installed("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL KaitiM GB", "黑体")
    xml = (
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry">'
        + fonts.replacement_items(have)
        + "</oor:items>"
    )
    root = etree.fromstring(xml.encode("utf-8"))
    pairs = {}
    for node in root.iter("node"):
        props = {
            p.get("{http://openoffice.org/2001/registry}name"): p.findtext("value") for p in node
        }
        assert props["Always"] == "true" and props["OnScreenOnly"] == "false"
        pairs[props["ReplaceFont"]] = props["SubstituteFont"]
    assert pairs["仿宋_GB2312"] == "Noto Serif CJK SC"
    assert pairs["楷体_GB2312"] == "AR PL KaitiM GB"
    assert pairs["宋体"] == "Noto Serif CJK SC"
    assert pairs["SimHei"] == "黑体"  # installed under its Chinese name
    assert "黑体" not in pairs  # installed: printed as itself


def asking_for(path: Path, style_font: str, run_font: str) -> Path:
    """A document whose Heading 1 style and one run of its second paragraph ask for fonts."""
    doc = Document()
    rfonts = doc.styles["Heading 1"].element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.attrib.pop(qn("w:eastAsiaTheme"), None)  # a theme font overrides a named one
    rfonts.set(qn("w:eastAsia"), style_font)
    doc.add_paragraph("第一章 概况", style="Heading 1")
    run = doc.add_paragraph().add_run("全市共有中等职业学校七所，在校生一万余人。")
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), run_font)
    doc.save(str(path))
    return path


def test_fonts_are_found_in_styles_in_use_and_in_runs_with_their_places(tmp_path: Path) -> None:
    docx = asking_for(tmp_path / "a.docx", "黑体", NOWHERE)
    uses = fonts_used(docx, "模板/a.docx")
    assert Location("模板/a.docx", "样式", "标题 1") in uses["黑体"].places
    assert uses[NOWHERE].places == [
        Location("模板/a.docx", "正文", "段落 2（“全市共有中等职业学校七所…”）")
    ]
    # a style nobody uses asks for nothing
    assert "Courier" not in uses  # the unused Macro Text style asks for it


def test_a_font_installed_nowhere_gets_a_located_warning_naming_it_and_its_substitute(
    tmp_path: Path,
) -> None:
    docx = asking_for(tmp_path / "a.docx", NOWHERE, "黑体")
    report = font_report([(docx, "模板/a.docx")])
    [issue] = [i for i in report.issues if NOWHERE in i.message]
    assert issue.loc == Location("模板/a.docx", "样式", "标题 1")
    pick = fonts.fontconfig_pick(NOWHERE)
    if pick:
        assert f"以“{pick}”印出" in issue.message
    assert any(line.startswith(f"{NOWHERE}：本机未安装") for line in report.lines)


def test_check_lists_the_templates_fonts_and_warns_of_a_missing_one(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(ROOT / "templates" / "school.docx", templates / "school.docx")
    with (
        zipfile.ZipFile(ROOT / "templates" / "city.docx") as src,
        zipfile.ZipFile(templates / "city.docx", "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/styles.xml":  # the headings ask for a rare font
                data = data.replace(
                    'w:eastAsia="黑体"'.encode(), f'w:eastAsia="{NOWHERE}"'.encode()
                )
            dst.writestr(info, data)
    result = CliRunner().invoke(
        main, ["check", "--inputs", str(ROOT / "inputs"), "--templates", str(templates)]
    )
    assert "Traceback" not in result.output
    assert "字体（文档要求的字体" in result.output
    assert re.search(r"仿宋_GB2312：本机(已安装|未安装，以 .+ 代替)", result.output)
    warned = [ln for ln in result.output.splitlines() if NOWHERE in ln and "警告" in ln]
    assert warned and "templates/city.docx › 样式!" in warned[0], result.output[-2000:]
    assert f"{NOWHERE}：本机未安装" in result.output


def test_the_declared_language_is_written_over_the_latin_default(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    body = b"%PDF-1.6\n1 0 obj\n<</Type/Catalog/Pages 2 0 R\n/Lang(en-US)\n>>\nendobj\n"
    pdf.write_bytes(body)
    assert set_language(pdf, "zh-CN") and declared_language(pdf) == "zh-CN"
    assert len(pdf.read_bytes()) == len(body)
    assert not set_language(pdf, "zh-Hans-CN")  # another length: left as it is
    assert declared_language(pdf) == "zh-CN"


# -- what LibreOffice prints ---------------------------------------------------------------------

GLYPHS = "直骨角令写"  # their mainland and Japanese shapes differ


def _crops(pdf: Path, tmp: Path) -> list:
    """The glyphs of each probe line as an image (the lines are set alike, one under another)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", str(pdf), str(tmp / "p")], check=True)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    image = Image.open(next(tmp.glob("p*.png")))
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)', html
    )
    boxes = [[round(float(v) * 100 / 72) for v in w[:4]] for w in words if w[4] == GLYPHS]
    return [
        image.crop((x0 - _SHIFT, y0 - _SHIFT, x1 + _SHIFT, y1 + _SHIFT)) for x0, y0, x1, y1 in boxes
    ]


_SHIFT = 3  # pixels: a line may sit a fraction of a point off the grid the others sit on


def _distance(a, b) -> int:
    """How unlike two crops are: the smallest pixel difference over small shifts."""
    w, h = min(a.width, b.width) - 2 * _SHIFT, min(a.height, b.height) - 2 * _SHIFT
    core = a.crop((_SHIFT, _SHIFT, _SHIFT + w, _SHIFT + h)).tobytes()
    return min(
        sum(
            abs(x - y)
            for x, y in zip(core, b.crop((dx, dy, dx + w, dy + h)).tobytes(), strict=True)
        )
        for dx in range(2 * _SHIFT + 1)
        for dy in range(2 * _SHIFT + 1)
    )


@have_soffice
def test_gb2312_fonts_print_in_simplified_chinese_faces_not_japanese(tmp_path: Path) -> None:
    from docxreport.finish.pdf import convert

    have = fonts.installed_fonts() or frozenset()
    needed = ["noto serif cjk sc", "noto serif cjk jp", "noto sans cjk sc", "noto sans cjk jp"]
    if not all(n in have for n in needed):
        pytest.skip("未安装 fonts-noto-cjk")
    asked = ["仿宋_GB2312", "Noto Serif CJK SC", "Noto Serif CJK JP"]
    asked += ["黑体", "Noto Sans CJK SC", "Noto Sans CJK JP"]
    doc = Document()
    for font in asked:
        run = doc.add_paragraph().add_run(GLYPHS)
        run.font.size = Pt(28)
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    doc.save(str(tmp_path / "probe.docx"))
    [pdf] = convert([tmp_path / "probe.docx"], tmp_path / "pdf")
    crops = _crops(pdf, tmp_path)
    assert len(crops) == 6
    fang, serif_sc, serif_jp, hei, sans_sc, sans_jp = crops
    # each requested font looks like the SC face and unlike the JP one
    assert _distance(fang, serif_sc) * 4 < _distance(fang, serif_jp), "仿宋_GB2312"
    assert _distance(hei, sans_sc) * 4 < _distance(hei, sans_jp), "黑体"


def test_a_report_s_own_fonts_and_its_charts_fonts_are_found(tmp_path: Path) -> None:
    built = tmp_path / "built.docx"
    with (
        zipfile.ZipFile(asking_for(tmp_path / "a.docx", "黑体", NOWHERE)) as src,
        zipfile.ZipFile(built, "w") as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(
            "word/charts/chart2.xml",
            '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:latin '
            'typeface="Times New Roman"/><a:ea typeface="华文中宋"/><a:ea typeface="+mn-ea"/>'
            "</c:chartSpace>",
        )
    uses = fonts_used(built, "报告.docx")
    assert uses["华文中宋"].places == [Location("报告.docx", "图表", "图表 2")]
    assert Location("报告.docx", "图表", "图表 2") in uses["Times New Roman"].places
    assert not [f for f in uses if f.startswith("+")]


def test_a_header_s_font_is_placed_as_the_template_check_places_it(tmp_path: Path) -> None:
    doc = Document()
    run = doc.sections[0].header.paragraphs[0].add_run("巴彦淖尔市中等职业教育质量年度报告")
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), NOWHERE)
    doc.save(str(tmp_path / "h.docx"))
    [place] = fonts_used(tmp_path / "h.docx", "h.docx")[NOWHERE].places
    assert place == Location("h.docx", "页眉 1", "段落 1（“巴彦淖尔市中等职业教育质…”）")


def test_windows_fonts_are_read_from_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib
    import sys
    import types

    values = {
        "machine": ["SimSun & NSimSun (TrueType)", "FangSong (TrueType)", "KaiTi (TrueType)"],
        "user": ["楷体_GB2312 (TrueType)"],
    }
    fake = types.SimpleNamespace(
        HKEY_LOCAL_MACHINE="machine",
        HKEY_CURRENT_USER="user",
        OpenKey=lambda hive, path: contextlib.nullcontext(hive),
        QueryInfoKey=lambda key: (0, len(values[key]), 0),
        EnumValue=lambda key, i: (values[key][i], "x.ttf", 1),
    )
    monkeypatch.setitem(sys.modules, "winreg", fake)
    found = fonts._windows_fonts()
    assert found == installed("SimSun", "NSimSun", "FangSong", "KaiTi", "楷体_GB2312")
    assert fonts.choose("仿宋_GB2312", found).printed == "FangSong"
    assert fonts.choose("楷体_GB2312", found).installed
