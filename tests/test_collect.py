"""``collect``: returned workbooks filed by their content, every version kept, photos placed.

The batch is made from the sample the way schools send it: attachment names, one
school twice, a workbook of another year, a CSV renamed .xlsx and a .zip of photos
with an entry that climbs out of the archive.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from PIL import Image

from docxreport import layout as L
from docxreport.cli import main
from docxreport.collect import collect
from docxreport.collect import results as R
from docxreport.load import load_year
from docxreport.workbook.confirmed import content_digest
from docxreport.workbook.read import open_book

SAMPLE = Path(__file__).resolve().parents[1] / "inputs"
YEAR = 2024
NAMES = {
    "市一职": "附件1.xlsx",
    "市职校": "市职校数据表-最终版(2).xlsx",
    "市艺校": "质量年报数据（修改）.xlsx",
    "市体校": "附件2.xlsx",
    "前旗职中": "前旗职中 2024年报数据.xlsx",
    "五原职高": "五原职高数据表-最终版(2).xlsx",
    "杭后职教": "新建 Microsoft Excel 工作表.xlsx",
}


def with_saved_time(data: bytes, when: datetime) -> bytes:
    """The workbook ``data`` with docProps' last-saved time set to ``when`` (UTC)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "docProps/core.xml":
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                part = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, part)
            dst.writestr(info, part)
    return out.getvalue()


def photo_bytes(colour: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buf, "JPEG")
    return buf.getvalue()


def digest(path: Path) -> str:
    book, _ = open_book(path, path.name)
    assert book is not None
    return content_digest(book.values)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample inputs whose school folder is empty (the workbooks are out)."""
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE, inputs)
    return inputs


@pytest.fixture
def batch(sample: Path, tmp_path: Path) -> Path:
    """What came back by e-mail and chat, made from the sample's own workbooks."""
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    out = tmp_path / "收到"
    out.mkdir()
    for short, name in NAMES.items():
        data = (sdir / f"{short}.xlsx").read_bytes()
        (out / name).write_bytes(with_saved_time(data, datetime(2025, 1, 10, 9, 0)))
    # 五原职高 sent an earlier draft too, saved two days before, with another 教职工 count.
    wb = openpyxl.load_workbook(sdir / "五原职高.xlsx")
    wb["办学规模"]["E2"] = 999
    wb.save(out / "draft.xlsx")
    early = with_saved_time((out / "draft.xlsx").read_bytes(), datetime(2025, 1, 8, 9, 0))
    (out / "draft.xlsx").unlink()
    (out / "五原职高数据表.xlsx").write_bytes(early)
    # Last year's workbook of 市艺校, sent by mistake.
    wb = openpyxl.load_workbook(sdir / "市艺校.xlsx")
    wb[L.INFO_SHEET]["B4"] = YEAR - 1
    wb.save(out / "市艺校2023.xlsx")
    (out / "名单.xlsx").write_text("学校,人数\n市一职,100\n", "utf-8")
    with zipfile.ZipFile(out / "照片.zip", "w") as zf:
        zf.writestr("照片/实训课.jpg", photo_bytes("red"))
        zf.writestr("照片/升旗仪式.jpg", photo_bytes("blue"))
        zf.writestr("../逃逸.jpg", photo_bytes("green"))
    for p in sdir.iterdir():
        p.unlink()
    return out


def by_source(done: R.Collected) -> dict[str, R.Received]:
    return {re.split(r"[/›]", r.source)[-1].strip(): r for r in done.received}


def test_a_batch_is_filed_by_content_whatever_the_names(sample: Path, batch: Path):
    done = collect([batch], sample, YEAR)
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    assert sorted(p.name for p in sdir.glob("*.xlsx") if ".备份-" not in p.name) == sorted(
        f"{s}.xlsx" for s in NAMES
    )
    assert {o.school.short: o.status for o in done.schools} == {s: R.NEW for s in NAMES}
    for short in NAMES:
        assert digest(sdir / f"{short}.xlsx") == digest(
            SAMPLE / str(YEAR) / L.SCHOOL_DIR / f"{short}.xlsx"
        )
    got = by_source(done)
    assert got["附件1.xlsx"].school == "市一职" and got["附件1.xlsx"].placed == "学校/市一职.xlsx"


def test_the_newest_of_two_versions_is_used_and_the_other_kept(sample: Path, batch: Path):
    done = collect([batch], sample, YEAR)
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    draft = by_source(done)["五原职高数据表.xlsx"]
    assert draft.status == R.KEPT and "采用了同批较新的" in draft.message
    backups = list(sdir.glob("五原职高.备份-*.xlsx"))
    assert [b.name for b in backups] == [draft.placed.split("/")[-1]]
    wb = openpyxl.load_workbook(backups[0])
    assert wb["办学规模"]["E2"].value == 999
    assert openpyxl.load_workbook(sdir / "五原职高.xlsx")["办学规模"]["E2"].value != 999


def test_wrong_year_csv_and_unsafe_zip_entries_are_refused_and_left(sample: Path, batch: Path):
    done = collect([batch], sample, YEAR)
    got = by_source(done)
    year = got["市艺校2023.xlsx"]
    assert year.status == R.REFUSED and "2023 年度" in year.message and "2024" in year.message
    csv = got["名单.xlsx"]
    assert csv.status == R.REFUSED and "CSV" in csv.message
    escape = next(r for r in done.received if "逃逸" in r.source)
    assert escape.status == R.REFUSED and ".." in escape.message
    assert not (sample / str(YEAR) / "逃逸.jpg").exists() and not (sample / "逃逸.jpg").exists()
    assert (batch / "市艺校2023.xlsx").is_file() and (batch / "名单.xlsx").is_file()
    photos = sample / str(YEAR) / L.PHOTO_DIR
    assert (photos / "实训课.jpg").read_bytes() == photo_bytes("red")
    assert (photos / "升旗仪式.jpg").is_file()
    assert got["实训课.jpg"].status == R.PHOTO_NEW


def test_the_same_batch_twice_writes_nothing_the_second_time(sample: Path, batch: Path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["collect", str(batch), "--inputs", str(sample), "--out", str(out)]
    first = runner.invoke(main, args)
    assert first.exit_code == 1, first.output  # three files were refused
    before = snapshot(sample) | {f"out/{k}": v for k, v in snapshot(out).items()}
    second = runner.invoke(main, args)
    after = snapshot(sample) | {f"out/{k}": v for k, v in snapshot(out).items()}
    assert after == before
    for short in NAMES:
        assert f"{short}：{R.SAME}" in second.output
    assert "收表登记" in second.output and "无变化" in second.output


def test_afterwards_check_equals_the_samples_and_every_version_is_on_disk(
    sample: Path, batch: Path
):
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    # An earlier version already on file: it is backed up, not lost, when the batch arrives.
    wb = openpyxl.load_workbook(SAMPLE / str(YEAR) / L.SCHOOL_DIR / "市一职.xlsx")
    wb["办学规模"]["E2"] = 1
    wb.save(sdir / "市一职.xlsx")
    data = with_saved_time((sdir / "市一职.xlsx").read_bytes(), datetime(2024, 12, 20, 9, 0))
    (sdir / "市一职.xlsx").write_bytes(data)
    earlier = digest(sdir / "市一职.xlsx")
    done = collect([batch], sample, YEAR)
    assert next(o for o in done.schools if o.school.short == "市一职").status == R.UPDATED
    kept = {digest(p) for p in sdir.glob("*.xlsx")}
    assert earlier in kept
    cat_issues = [str(i) for i in load_year(sample, YEAR, _catalog()).report]
    original = [str(i) for i in load_year(SAMPLE, YEAR, _catalog()).report]
    assert cat_issues == original


def _catalog():
    from docxreport.load import region_catalog

    return region_catalog(SAMPLE, YEAR)


def test_a_clashing_photo_name_gets_the_schools_short_name(sample: Path, tmp_path: Path):
    photos = sample / str(YEAR) / L.PHOTO_DIR
    (photos / "实训课.jpg").write_bytes(photo_bytes("white"))
    sent = tmp_path / "sent.zip"
    with zipfile.ZipFile(sent, "w") as zf:
        zf.write(SAMPLE / str(YEAR) / L.SCHOOL_DIR / "前旗职中.xlsx", "前旗职中.xlsx")
        zf.writestr("实训课.jpg", photo_bytes("red"))
    done = collect([sent], sample, YEAR)
    photo = by_source(done)["实训课.jpg"]
    assert photo.status == R.PHOTO_RENAMED and photo.placed == "图片/前旗职中_实训课.jpg"
    assert (photos / "实训课.jpg").read_bytes() == photo_bytes("white")
    assert (photos / "前旗职中_实训课.jpg").read_bytes() == photo_bytes("red")


def test_check_says_whose_a_misnamed_workbook_is(sample: Path):
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    (sdir / "五原职高.xlsx").rename(sdir / "五原职高数据表-最终版(2).xlsx")
    report = load_year(sample, YEAR, _catalog()).report
    texts = [i.message for i in report.errors]
    assert any(
        "从内容看这是“五原职高”的 2024 年度工作簿" in t
        and "docxreport collect" in t
        and "五原职高.xlsx" in t
        for t in texts
    )
    assert any("缺少“五原县高级职业中学”的工作簿" in t and "从内容看就是它" in t for t in texts)
    done = collect([sdir / "五原职高数据表-最终版(2).xlsx"], sample, YEAR)
    assert done.schools[5].status == R.NEW and "移走" in done.received[0].message
    assert load_year(sample, YEAR, _catalog()).report.valid


def test_a_version_older_than_the_one_on_file_is_kept_but_does_not_replace_it(
    sample: Path, batch: Path
):
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    newer = with_saved_time(
        (SAMPLE / str(YEAR) / L.SCHOOL_DIR / "市体校.xlsx").read_bytes(), datetime(2025, 2, 1)
    )
    wb = openpyxl.load_workbook(io.BytesIO(newer))
    wb["办学规模"]["E2"] = 7
    wb.save(sdir / "市体校.xlsx")
    on_file = with_saved_time((sdir / "市体校.xlsx").read_bytes(), datetime(2025, 2, 1))
    (sdir / "市体校.xlsx").write_bytes(on_file)
    done = collect([batch], sample, YEAR)
    outcome = next(o for o in done.schools if o.school.short == "市体校")
    assert outcome.status == R.OLDER
    assert (sdir / "市体校.xlsx").read_bytes() == on_file
    line = by_source(done)["附件2.xlsx"]
    assert "早于已有版本" in line.message and line.backup.startswith("学校/市体校.备份-")
    assert digest(sample / str(YEAR) / line.backup) == digest(
        SAMPLE / str(YEAR) / "学校/市体校.xlsx"
    )
