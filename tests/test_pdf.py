"""LibreOffice conversion: one soffice run for many reports, clear Chinese errors."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from docxreport.errors import OutputError
from docxreport.finish import pdf

HAS_SOFFICE = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None
needs_soffice = pytest.mark.skipif(
    not HAS_SOFFICE, reason="未安装 LibreOffice（soffice）或 poppler-utils，跳过真实转换测试"
)


def small_docx(path: Path, text: str) -> Path:
    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def fake_soffice(
    tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch, shell: str = "/bin/sh"
) -> None:
    """Put a script in place of soffice (see ``DOCXREPORT_SOFFICE``)."""
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!{shell}\n{body}\n", "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(script))


def test_missing_libreoffice_says_so_and_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(OutputError) as exc:
        pdf.convert([small_docx(tmp_path / "a.docx", "正文")], tmp_path / "pdf")
    message = str(exc.value)
    assert "未找到 LibreOffice" in message
    assert "apt-get install -y libreoffice-writer-nogui fonts-noto-cjk" in message
    assert not (tmp_path / "pdf").exists()


def test_configured_soffice_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice(tmp_path, "exit 0", monkeypatch)
    assert pdf.find_soffice() == str(tmp_path / "fake-soffice")


def test_nothing_to_convert_starts_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    assert pdf.convert([], tmp_path) == []


def test_missing_input_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice(tmp_path, "exit 0", monkeypatch)
    with pytest.raises(OutputError, match=r"找不到文件 .*缺失\.docx"):
        pdf.convert([tmp_path / "缺失.docx"], tmp_path)


def test_two_reports_of_the_same_name_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(tmp_path, "exit 0", monkeypatch)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    docs = [small_docx(tmp_path / d / "报告.docx", "正文") for d in ("a", "b")]
    with pytest.raises(OutputError, match="同名"):
        pdf.convert(docs, tmp_path / "pdf")


def test_a_pdf_not_written_is_an_error_and_the_old_pdf_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 0", monkeypatch)
    doc = small_docx(tmp_path / "报告.docx", "正文")
    old = tmp_path / "pdf" / "报告.pdf"
    old.parent.mkdir()
    old.write_bytes(b"%PDF-old")
    with pytest.raises(OutputError, match=r"未能把 .*报告.docx 转换为 PDF.*could not be loaded"):
        pdf.convert([doc], old.parent)
    assert old.read_bytes() == b"%PDF-old"


def test_a_hung_libreoffice_is_stopped_at_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(tmp_path, "sleep 30", monkeypatch)
    doc = small_docx(tmp_path / "报告.docx", "正文")
    with pytest.raises(OutputError, match="1 秒内未能"):
        pdf.convert([doc], tmp_path / "pdf", timeout=1)


# Writes a one-line "PDF" per file URL into --outdir, except for 损坏 files, and logs its arguments.
FAKE_CONVERTER = """
import os, pathlib, sys, urllib.parse, urllib.request
args = sys.argv[1:]
out = pathlib.Path(args[args.index("--outdir") + 1])
with open(os.environ["FAKE_SOFFICE_LOG"], "a", encoding="utf-8") as log:
    log.write(" ".join(args) + "\\n")
for arg in args:
    if arg.startswith("file://") and arg.endswith(".docx"):
        path = pathlib.Path(urllib.request.url2pathname(urllib.parse.urlparse(arg).path))
        if "损坏" in path.name:
            print("Error: source file could not be loaded", file=sys.stderr)
            continue
        (out / (path.stem + ".pdf")).write_bytes(b"%PDF-1.4 " + path.name.encode())
"""


def test_jobs_share_the_reports_out_among_parallel_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(tmp_path, FAKE_CONVERTER, monkeypatch, shell=sys.executable)
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(tmp_path / "runs.log"))
    docs = [small_docx(tmp_path / f"学校{i}.docx", "正文") for i in range(5)]
    out = pdf.convert(docs, tmp_path / "pdf", jobs=2)
    assert out == [tmp_path / "pdf" / f"学校{i}.pdf" for i in range(5)]
    assert [p.read_bytes() for p in out] == [f"%PDF-1.4 学校{i}.docx".encode() for i in range(5)]
    runs = (tmp_path / "runs.log").read_text("utf-8").splitlines()
    assert len(runs) == 2
    assert sorted(r.count("file://") - 1 for r in runs) == [2, 3]  # one is the profile


def test_a_report_that_fails_is_named_and_the_others_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(tmp_path, FAKE_CONVERTER, monkeypatch, shell=sys.executable)
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(tmp_path / "runs.log"))
    docs = [small_docx(tmp_path / f"{name}.docx", "正文") for name in ("全市", "损坏", "学校")]
    with pytest.raises(OutputError) as exc:
        pdf.convert(docs, tmp_path / "pdf")
    assert "未能把 损坏.docx 转换为 PDF" in str(exc.value)
    assert "could not be loaded" in str(exc.value)
    assert "其余 2 份已生成" in str(exc.value)
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == ["全市.pdf", "学校.pdf"]


@needs_soffice
def test_several_reports_are_converted_by_one_soffice_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = []
    real_run = pdf._run
    monkeypatch.setattr(pdf, "_run", lambda cmd, t: runs.append(cmd) or real_run(cmd, t))
    texts = {"全市报告": "巴彦淖尔市教育局", "市一职 报告": "临河区第一职业中等专业学校"}
    docs = [small_docx(tmp_path / f"{name}.docx", text) for name, text in texts.items()]
    out = pdf.convert(docs, tmp_path / "输出")
    assert len(runs) == 1
    assert out == [tmp_path / "输出" / f"{name}.pdf" for name in texts]
    for path, text in zip(out, texts.values(), strict=True):
        assert path.read_bytes().startswith(b"%PDF-")
        shown = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        assert text in shown.stdout
    assert sorted(p.name for p in (tmp_path / "输出").iterdir()) == sorted(p.name for p in out)


@needs_soffice
@pytest.mark.parametrize("archive", [False, True])
def test_every_pdf_is_tagged_in_chinese_and_an_archive_pdf_is_pdf_a_2b(
    tmp_path: Path, archive: bool
) -> None:
    from docxreport.finish.language import declared_language

    doc = Document()
    doc.core_properties.title = "某市中等职业教育质量年度报告"
    doc.add_heading("一、人才培养", level=1)
    doc.add_paragraph("全市中等职业学校坚持立德树人。")
    doc.save(str(tmp_path / "a.docx"))
    [made] = pdf.convert([tmp_path / "a.docx"], tmp_path / "out", archive=archive)
    info = subprocess.run(["pdfinfo", str(made)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    assert "Title:           某市中等职业教育质量年度报告" in info
    assert declared_language(made) == "zh-CN"  # python-docx's default document says en-US
    meta = subprocess.run(["pdfinfo", "-meta", str(made)], capture_output=True, text=True).stdout
    part = "<pdfaid:part>2</pdfaid:part>" in meta and "<pdfaid:conformance>B" in meta
    assert part == archive
