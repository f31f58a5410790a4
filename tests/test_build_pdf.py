"""``docxreport build --pdf``: PDFs beside the reports, and a clear word without LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from docxreport import build as build_module
from docxreport.cli import main

ROOT = Path(__file__).resolve().parents[1]
CITY = "巴彦淖尔市中等职业教育质量年度报告（2024）"


def run_build(out: Path, *args: str):
    return CliRunner().invoke(
        main,
        [
            "build",
            "--inputs",
            str(ROOT / "inputs"),
            "--templates",
            str(ROOT / "templates"),
            "--out",
            str(out),
            *args,
        ],
    )


def test_without_libreoffice_the_reports_are_written_and_the_pdfs_are_said_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "find_soffice", lambda: None)
    result = run_build(tmp_path, "--city-only", "--pdf")
    assert result.exit_code == 1
    assert "未安装 LibreOffice" in result.output and "apt-get install" in result.output
    assert (tmp_path / "2024" / f"{CITY}.docx").is_file()
    assert not list(tmp_path.rglob("*.pdf"))
    assert "Traceback" not in result.output


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="未安装 LibreOffice 或 poppler-utils，跳过 PDF 测试",
)
def test_pdf_is_written_beside_the_report_with_page_numbers_that_agree(tmp_path: Path) -> None:
    result = run_build(tmp_path, "--school", "市艺校", "--pdf")
    assert result.exit_code == 0, result.output
    assert "目录页码已填写：1 份报告共排版 2 次（其中 1 份为首次生成" in result.output
    docx = next((tmp_path / "2024" / "学校").glob("*.docx"))
    pdf = docx.with_suffix(".pdf")
    assert pdf.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert 10 <= int(re.search(r"Pages:\s+(\d+)", info)[1]) <= 80
    # Every 目录 entry in the .docx carries a number; the PDF prints the heading on that page.
    entries = [p.text for p in Document(str(docx)).paragraphs if p.style.name.startswith("toc ")]
    assert entries and all(re.search(r"\t\S+$", e) for e in entries), entries[:5]
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout.split("\f")
    footers = {}
    for page in pages:
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        if lines and (m := re.fullmatch(r"—\s*(\S+)\s*—", lines[-1])):
            footers[m[1]] = page
    for entry in entries:
        title, number = entry.rsplit("\t", 1)
        assert re.sub(r"\s+", "", title)[:10] in re.sub(r"\s+", "", footers[number]), entry


def _outline(pdf: Path) -> list[str]:
    """The titles of the PDF outline's top level (LibreOffice writes its objects uncompressed)."""
    data = pdf.read_bytes()
    objects = {
        int(m[1]): m[2]
        for m in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:endobj|stream)", data, re.DOTALL)
    }
    catalog = next(v for v in objects.values() if b"/Type/Catalog" in v)
    node = re.search(
        rb"/First (\d+) 0 R", objects[int(re.search(rb"/Outlines (\d+) 0 R", catalog)[1])]
    )
    titles = []
    while node:
        item = objects[int(node[1])]
        titles.append(
            bytes.fromhex(re.search(rb"/Title\s*<([0-9A-Fa-f]+)>", item)[1].decode()).decode(
                "utf-16"
            )
        )
        node = re.search(rb"/Next (\d+) 0 R", item)
    return titles


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdffonts") is None,
    reason="未安装 LibreOffice 或 poppler-utils，跳过 PDF 测试",
)
def test_the_city_pdf_is_tagged_chinese_in_its_typefaces_with_outline_and_links(
    tmp_path: Path,
) -> None:
    from docxreport.finish.fonts import choose
    from docxreport.finish.language import declared_language

    result = run_build(tmp_path, "--city-only", "--pdf")
    assert result.exit_code == 0, result.output
    assert re.search(r"仿宋_GB2312：本机(已安装|未安装，以 .+ 代替)", result.output)
    pdf = tmp_path / "2024" / f"{CITY}.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    # no Korean or traditional face; Noto's CJK collections share one glyph table named
    # “…CJKjp” whatever the face, so SC glyph shapes are proven in test_fonts instead
    assert not [n for n in names if re.search(r"CJK(kr|tc|hk)|KR\b|TC\b", n)], names
    cjk = {re.sub(r"-.*", "", n) for n in names if not n.startswith(("Liberation", "DejaVu"))}
    assert len(cjk) >= 2, names  # a serif body and sans headings (and a Kai face where installed)
    # the body (仿宋) and the headings (黑体) print in the faces the font map chose here
    for asked in ("仿宋_GB2312", "黑体"):
        printed = choose(asked).printed or ""
        key = re.sub(r"\W", "", printed).lower()[:8]
        assert key and any(n.lower().startswith(key) for n in names), (asked, printed, names)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(rf"Title:\s+{re.escape(CITY)}", info)
    assert declared_language(pdf) == "zh-CN"
    tree = subprocess.run(["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True).stdout
    kinds = re.findall(r"^\s*(\w+) \(", tree, re.M)
    assert kinds.count("H1") >= 7 and "H2" in kinds and "Table" in kinds  # read as a document
    chapters = [t for t in _outline(pdf) if re.match(r"\d+\. ", t)]
    assert len(chapters) == 7, _outline(pdf)
    assert chapters[0] == "1. 人才培养"
    contents = [p for p in Document(str(tmp_path / "2024" / f"{CITY}.docx")).paragraphs]
    entries = [p for p in contents if p.style.name.startswith("toc ")]
    links = pdf.read_bytes().count(b"/Subtype/Link")
    assert links >= len(entries) > 20


def test_pdf_archive_asks_for_pdfs_in_the_archive_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = []

    def finish(outcome, manifest, options, previous=None) -> None:
        asked.append((options.pdf, options.archive))

    monkeypatch.setattr(build_module, "finish", finish)
    assert run_build(tmp_path, "--city-only", "--pdf-archive").exit_code == 0
    assert run_build(tmp_path, "--city-only", "--pdf", "--force").exit_code == 0
    assert asked == [(True, True), (True, False)]
