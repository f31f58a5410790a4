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
