"""A report's .docx is the zip python-docx writes, tidied, its unchanged parts deflated once."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document

from docxreport.render import package
from docxreport.render.package import save_docx
from docxreport.render.tidy import Stamp, Tidy

STAMP = Stamp(datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC))


def _members(path: Path) -> dict[str, tuple[bytes, int]]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {i.filename: (z.read(i), i.compress_type) for i in z.infolist()}


def test_a_saved_document_is_the_zip_python_docx_writes_tidied(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("正文，" * 5000)
    doc.core_properties.title = "报告"
    doc.save(str(tmp_path / "theirs.docx"))
    save_docx(doc, tmp_path / "ours.docx", STAMP)
    ours, theirs = _members(tmp_path / "ours.docx"), _members(tmp_path / "theirs.docx")
    tidy = Tidy.of_members({name: blob for name, (blob, _) in theirs.items()}, STAMP)
    assert set(theirs) - set(ours) == {"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"}
    assert list(ours) == [name for name in theirs if tidy.keeps(name)]
    assert ours == {
        name: (tidy.part(name, blob), kind)
        for name, (blob, kind) in theirs.items()
        if tidy.keeps(name)
    }
    assert Document(str(tmp_path / "ours.docx")).paragraphs[0].text.startswith("正文，")


def test_a_part_unchanged_since_the_last_save_is_not_deflated_again(
    tmp_path: Path, monkeypatch
) -> None:
    doc = Document()
    doc.add_paragraph("一" * 20000)
    save_docx(doc, tmp_path / "first.docx", STAMP)
    packed: list[int] = []
    real = package.zlib.compressobj

    def counting(*args):
        packer = real(*args)
        packed.append(1)
        return packer

    monkeypatch.setattr(package.zlib, "compressobj", counting)
    doc.add_paragraph("二")  # the body changes, the styles do not
    save_docx(doc, tmp_path / "second.docx", STAMP)
    with zipfile.ZipFile(tmp_path / "second.docx") as z:
        large = [i for i in z.infolist() if i.file_size >= package._KEPT_FROM]
        assert len(packed) == len(z.infolist()) - len(large) + 1  # only the body of those
    assert Document(str(tmp_path / "second.docx")).paragraphs[-1].text == "二"
