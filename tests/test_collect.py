"""``collect``: returned workbooks filed by their content, every version kept, photos placed.

The batch is made from the sample the way schools send it: attachment names, one
school twice, a workbook of another year, a CSV renamed .xlsx and a .zip of photos
with an entry that climbs out of the archive.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import stat
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from PIL import Image

from docxreport import layout as L
from docxreport.cli import main
from docxreport.collect import collect, gather
from docxreport.collect import results as R
from docxreport.finish.pdf import find_soffice, private_profile, run_soffice
from docxreport.load import load_year
from docxreport.workbook import convert
from docxreport.workbook.confirmed import content_digest
from docxreport.workbook.read import open_book, read_school

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


@pytest.mark.skipif(not convert.available(), reason="LibreOffice is not installed")
def test_an_xls_is_converted_by_libreoffice_and_reads_the_same_values(sample: Path, tmp_path):
    original = SAMPLE / str(YEAR) / L.SCHOOL_DIR / "市职校.xlsx"
    xls = tmp_path / "市职校数据.xls"
    with tempfile.TemporaryDirectory() as tmp:
        profile = private_profile(Path(tmp))
        run_soffice(
            [
                find_soffice(),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "xls:MS Excel 97",
                "--outdir",
                tmp,
                original.as_uri(),
            ],
            300,
        )
        shutil.copyfile(Path(tmp) / "市职校.xls", xls)
    (sample / str(YEAR) / L.SCHOOL_DIR / "市职校.xlsx").unlink()
    done = collect([xls], sample, YEAR)
    line = done.received[0]
    assert line.status == R.NEW and "LibreOffice" in line.message
    assert line.digest == digest(original)  # the same version, cell for cell
    assert line.fingerprint == hashlib.sha256(xls.read_bytes()).hexdigest()  # as received
    cat = _catalog()
    school = next(s for s in load_year(SAMPLE, YEAR, cat).city.registry if s.short == "市职校")
    filed = sample / str(YEAR) / L.SCHOOL_DIR / "市职校.xlsx"
    got, _ = read_school(filed, "学校/市职校.xlsx", cat, school, YEAR)
    want, _ = read_school(original, "学校/市职校.xlsx", cat, school, YEAR)
    assert {k: v.value for k, v in got.values.items()} == {
        k: v.value for k, v in want.values.items()
    }
    assert {
        k: [{c: v.value for c, v in row.items()} for row in rows] for k, rows in got.lists.items()
    } == {
        k: [{c: v.value for c, v in row.items()} for row in rows] for k, rows in want.lists.items()
    }


def test_without_libreoffice_an_xls_is_left_with_how_to_save_it(sample, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCXREPORT_SOFFICE", str(tmp_path / "no-soffice"))
    xls = tmp_path / "旧表.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    done = collect([xls], sample, YEAR)
    assert done.received[0].status == R.REFUSED
    assert "另存为" in done.received[0].message and "xlsx" in done.received[0].message
    assert xls.is_file()


def zip_with(tmp_path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    path = tmp_path / "收到.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


def test_absolute_entries_and_links_in_a_zip_are_refused(sample: Path, tmp_path: Path):
    link = zipfile.ZipInfo("照片/链接.jpg")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    sent = zip_with(tmp_path, [("/etc/passwd.jpg", photo_bytes("red")), (link, b"/etc/passwd")])
    done = collect([sent], sample, YEAR)
    why = {r.source.split("› ")[-1]: r for r in done.received}
    assert (
        why["/etc/passwd.jpg"].status == R.REFUSED and "绝对路径" in why["/etc/passwd.jpg"].message
    )
    assert why["照片/链接.jpg"].status == R.REFUSED and "链接" in why["照片/链接.jpg"].message
    assert not any((sample / str(YEAR) / L.PHOTO_DIR).glob("*.jpg"))


def test_a_zip_that_unpacks_beyond_the_limit_is_refused_unread(sample, tmp_path, monkeypatch):
    monkeypatch.setattr(gather, "MAX_UNPACKED", 50_000)
    sent = zip_with(tmp_path, [("大.jpg", b"\0" * 60_000)])
    done = collect([sent], sample, YEAR)
    assert [r.status for r in done.received] == [R.REFUSED]
    assert "过大" in done.received[0].message


def test_gbk_entry_names_from_chinese_windows_are_read_as_sent(sample: Path, tmp_path: Path):
    sent = tmp_path / "gbk.zip"
    with zipfile.ZipFile(sent, "w") as zf:
        zf.writestr("placeholder.jpg", photo_bytes("red"))
    raw = sent.read_bytes().replace(
        b"placeholder.jpg", "校园一角.jpg".encode("gbk").ljust(15, b"_")
    )
    sent.write_bytes(raw)
    done = collect([sent], sample, YEAR)
    assert done.received[0].placed.startswith("图片/校园一角")


def test_the_register_lists_receipts_and_whom_to_phone_as_text_and_printable(
    sample: Path, tmp_path: Path
):
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    wb = openpyxl.load_workbook(sdir / "市一职.xlsx")
    wb["办学规模"]["E2"] = "很多"
    wb[L.INFO_SHEET]["B5"], wb[L.INFO_SHEET]["B6"] = "=HYPERLINK(1)", "+86 0478 123"
    wb[L.INFO_SHEET]["B5"].data_type = "s"  # typed as text by the school
    wb.save(tmp_path / "=附件.xlsx")
    (sdir / "市体校.xlsx").unlink()
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["collect", str(tmp_path / "=附件.xlsx"), "--inputs", str(sample), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output  # the workbook filed has an error
    path = out / str(YEAR) / "收表登记.xlsx"
    wb = openpyxl.load_workbook(path)
    receipts, reminders = wb["收表登记"], wb["催报"]
    assert receipts["D2"].value == "市一职" and receipts["B2"].data_type == "s"
    rows = {r[1]: r for r in reminders.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"市一职", "市体校"}
    errors = rows["市一职"][4]
    assert errors >= 1 and rows["市一职"][3] == f"有 {errors} 个错误"
    assert rows["市一职"][6] == "=HYPERLINK(1)"
    assert rows["市一职"][7] == "+86 0478 123" and rows["市体校"][3] == "未交"
    with zipfile.ZipFile(path) as zf:
        assert not any(
            b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")
        )
    for ws in (receipts, reminders):
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows in ("1:1", "$1:$1") and "收表登记" in ws.oddHeader.center.text


def test_a_school_not_returned_is_listed_with_the_registrys_contact(sample: Path, tmp_path):
    city = sample / str(YEAR) / L.CITY_FILE
    wb = openpyxl.load_workbook(city)
    ws = wb[L.REGISTRY_SHEET]
    ws["F1"], ws["G1"] = L.CONTACT_HEADERS
    row = next(r for r in range(2, ws.max_row + 1) if ws[f"B{r}"].value == "市体校")
    ws[f"F{row}"], ws[f"G{row}"] = "王老师", "04788888888"
    wb.save(city)
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    (sdir / "市体校.xlsx").rename(tmp_path / "附件.xlsx")
    shutil.copyfile(tmp_path / "附件.xlsx", tmp_path / "附件-副本.xlsx")
    out = tmp_path / "out"
    (out / str(YEAR)).mkdir(parents=True)
    register = out / str(YEAR) / "收表登记.xlsx"
    from docxreport.collect.followup import follow_up

    done = collect([tmp_path / "附件-副本.xlsx"], sample, YEAR, now=datetime(2025, 1, 2, 8))
    (sdir / "市体校.xlsx").unlink()  # a school whose workbook is still missing
    after = follow_up(done, sample, _catalog(), out)
    assert after.register is not None and after.register.reminders == 1
    rows = list(openpyxl.load_workbook(register)["催报"].iter_rows(min_row=2, values_only=True))
    assert rows == [
        (
            1,
            "市体校",
            "巴彦淖尔市体育学校",
            "未交",
            None,
            None,
            "王老师",
            "04788888888",
            "学校名册",
            "2025-01-02 08:00",
            None,
        )
    ]


def test_the_registrys_contact_columns_are_written_as_text_and_read_back(tmp_path: Path):
    from docxreport.model import CityData, School
    from docxreport.workbook import write_city
    from docxreport.workbook.read import read_city

    cat = _catalog()
    school = School("甲校", "甲市第一职业学校")
    city = CityData(file=L.CITY_FILE, region="甲市", region_full="甲省甲市", bureau="甲市教育局")
    city.registry, city.contacts = [school], {"甲校": ("李老师", "0471-1234567")}
    path = tmp_path / L.CITY_FILE
    write_city(path, cat, city, YEAR)
    ws = openpyxl.load_workbook(path)[L.REGISTRY_SHEET]
    assert [c.value for c in ws[1]][-2:] == list(L.CONTACT_HEADERS)
    assert ws["G2"].number_format == "@"
    back, _ = read_city(path, L.CITY_FILE, cat, YEAR)
    assert back.contacts == {"甲校": ("李老师", "0471-1234567")}


def test_collecting_the_samples_own_folder_changes_nothing(sample: Path):
    folder = sample / str(YEAR)
    before = snapshot(folder)
    done = collect([folder, folder / L.CITY_FILE], sample, YEAR)
    assert snapshot(folder) == before
    assert {o.status for o in done.schools} == {R.SAME}
    city = [r for r in done.received if r.source.endswith(L.CITY_FILE)]
    assert len(city) == 1 and city[0].status == R.REFUSED and "市级数据表" in city[0].message


def test_a_workbook_open_in_excel_is_not_replaced(sample: Path, batch: Path):
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    shutil.copyfile(SAMPLE / str(YEAR) / L.SCHOOL_DIR / "市一职.xlsx", sdir / "市一职.xlsx")
    wb = openpyxl.load_workbook(sdir / "市一职.xlsx")
    wb["办学规模"]["E2"] = 5
    wb.save(sdir / "市一职.xlsx")
    (sdir / "~$市一职.xlsx").write_bytes(b"lock")
    before = (sdir / "市一职.xlsx").read_bytes()
    done = collect([batch / NAMES["市一职"]], sample, YEAR)
    assert (
        done.received[0].status == R.REFUSED and "正被 Excel/WPS 打开" in done.received[0].message
    )
    assert (sdir / "市一职.xlsx").read_bytes() == before
    assert not list(sdir.glob("市一职.备份-*"))


def test_a_macro_workbook_is_refused_with_how_to_save_it(sample: Path, tmp_path: Path):
    data = (SAMPLE / str(YEAR) / L.SCHOOL_DIR / "市一职.xlsx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", b"macros")
    (tmp_path / "数据.xlsm").write_bytes(out.getvalue())
    done = collect([tmp_path / "数据.xlsm"], sample, YEAR)
    assert done.received[0].status == R.REFUSED and "宏" in done.received[0].message


def test_a_loose_photo_that_clashes_is_prefixed_by_the_school_whose_workbook_lists_it(
    sample: Path, tmp_path: Path
):
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    wb = openpyxl.load_workbook(sdir / "市艺校.xlsx")
    wb["图片"].append(["1.10", None, "舞蹈课", "舞蹈.jpg"])
    wb.save(sdir / "市艺校.xlsx")
    (sample / str(YEAR) / L.PHOTO_DIR / "舞蹈.jpg").write_bytes(photo_bytes("white"))
    (tmp_path / "舞蹈.jpg").write_bytes(photo_bytes("red"))
    done = collect([tmp_path / "舞蹈.jpg"], sample, YEAR)
    line = done.received[0]
    assert line.placed == "图片/市艺校_舞蹈.jpg" and line.school == "市艺校"
    assert "学校/市艺校.xlsx" in line.message and "图片!D" in line.message


def test_a_missing_year_folder_is_a_chinese_message(tmp_path: Path):
    result = CliRunner().invoke(main, ["collect", str(tmp_path), "--inputs", str(tmp_path / "无")])
    assert result.exit_code == 1 and "找不到输入文件夹" in result.output


def test_staff_notes_stay_and_a_register_that_is_not_ours_is_kept_aside(sample, batch, tmp_path):
    out = tmp_path / "out"
    args = ["collect", str(batch), "--inputs", str(sample), "--out", str(out)]
    runner = CliRunner()
    runner.invoke(main, ["collect", str(batch / NAMES["市一职"]), *args[2:]])
    path = out / str(YEAR) / "收表登记.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["收表登记"]["K2"] = "已电话确认"
    reminders = wb["催报"]
    row = next(r for r in range(2, reminders.max_row + 1) if reminders[f"B{r}"].value == "市艺校")
    reminders[f"K{row}"] = "12月20日已催"
    wb.save(path)
    (batch / NAMES["市艺校"]).unlink()  # still to come
    result = runner.invoke(main, args)
    assert "收表登记" in result.output
    wb = openpyxl.load_workbook(path)
    assert wb["收表登记"]["K2"].value == "已电话确认" and wb["收表登记"].max_row > 2
    rows = [(r[1], r[-1]) for r in wb["催报"].iter_rows(min_row=2, values_only=True)]
    assert rows == [("市艺校", "12月20日已催")]  # the others have returned theirs since
    path.write_text("不是工作簿", "utf-8")
    runner.invoke(main, args)
    kept = list(path.parent.glob("收表登记.备份-*.xlsx"))
    assert len(kept) == 1 and kept[0].read_text("utf-8") == "不是工作簿"
    assert openpyxl.load_workbook(path)["收表登记"].max_row > 2


def test_the_same_version_sent_twice_in_one_batch_is_filed_once(sample: Path, tmp_path: Path):
    data = (SAMPLE / str(YEAR) / L.SCHOOL_DIR / "市一职.xlsx").read_bytes()
    (sample / str(YEAR) / L.SCHOOL_DIR / "市一职.xlsx").unlink()
    (tmp_path / "附件.xlsx").write_bytes(data)
    (tmp_path / "附件(1).xlsx").write_bytes(data)
    done = collect([tmp_path / "附件.xlsx", tmp_path / "附件(1).xlsx"], sample, YEAR)
    assert sorted(r.status for r in done.received) == sorted([R.NEW, R.KEPT_ALREADY])
    assert not list((sample / str(YEAR) / L.SCHOOL_DIR).glob("*.备份-*"))


def test_without_a_contact_this_year_the_reminder_names_last_years(sample, tmp_path):
    last = sample / str(YEAR - 1) / L.SCHOOL_DIR
    last.mkdir(parents=True)
    wb = openpyxl.load_workbook(sample / str(YEAR) / L.SCHOOL_DIR / "市体校.xlsx")
    wb[L.INFO_SHEET]["B4"], wb[L.INFO_SHEET]["B5"] = YEAR - 1, "张老师"
    wb.save(last / "市体校.xlsx")
    (sample / str(YEAR) / L.SCHOOL_DIR / "市体校.xlsx").unlink()
    from docxreport.collect.followup import follow_up

    done = collect([tmp_path / "无"], sample, YEAR)
    after = follow_up(done, sample, _catalog(), tmp_path / "out")
    rows = list(
        openpyxl.load_workbook(after.register.path)["催报"].iter_rows(min_row=2, values_only=True)
    )
    assert [(r[1], r[6], r[8]) for r in rows] == [("市体校", "张老师", f"{YEAR - 1} 年工作簿")]


def test_names_that_would_climb_out_of_a_folder_never_become_paths(sample: Path, tmp_path: Path):
    sent = tmp_path / "图.zip"
    with zipfile.ZipFile(sent, "w") as zf:
        zf.writestr("照片/a<b>:c.jpg", photo_bytes("red"))
        zf.writestr("照片/.hidden.jpg", photo_bytes("red"))
    done = collect([sent], sample, YEAR)
    assert [r.placed for r in done.received] == ["图片/a_b__c.jpg"]
    from docxreport.collect.place import safe_name

    assert safe_name("../市一职") == ""
    assert safe_name("a/b") == "a_b" and safe_name("..") == ""


def test_a_second_file_under_an_alias_is_resolved_by_collect(sample: Path):
    sdir = sample / str(YEAR) / L.SCHOOL_DIR
    shutil.copyfile(sdir / "五原职高.xlsx", sdir / "五原职中.xlsx")  # 五原职中 is its alias
    report = load_year(sample, YEAR, _catalog()).report
    hint = next(i.message for i in report.errors if "同一所学校" in i.message)
    assert f"docxreport collect {sdir / '五原职中.xlsx'}" in hint
    done = collect([sdir / "五原职中.xlsx"], sample, YEAR)
    assert done.schools[5].status == R.SAME and not (sdir / "五原职中.xlsx").exists()
    assert load_year(sample, YEAR, _catalog()).report.valid


def test_a_zip_inside_a_zip_is_opened_and_uploads_keep_their_names(sample: Path, tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.write(SAMPLE / str(YEAR) / L.SCHOOL_DIR / "市职校.xlsx", "数据表.xlsx")
    upload = tmp_path / "tmp8f3a.bin"
    with zipfile.ZipFile(upload, "w") as zf:
        zf.writestr("材料/内层.zip", inner.getvalue())
    (sample / str(YEAR) / L.SCHOOL_DIR / "市职校.xlsx").unlink()
    done = collect([upload], sample, YEAR, names={upload: "市职校材料.zip"})
    line = next(r for r in done.received if r.school == "市职校")
    assert line.source == "市职校材料.zip › 材料/内层.zip › 数据表.xlsx" and line.status == R.NEW


def test_a_case_in_a_workbook_filed_joins_the_selection_sheet(sample: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(SAMPLE / str(YEAR) / L.SCHOOL_DIR / "市一职.xlsx")
    wb["案例"].append(["1.10", "新收案例：实训基地建设", "正文" * 50])
    wb.save(tmp_path / "附件.xlsx")
    from docxreport.collect.followup import follow_up

    done = collect([tmp_path / "附件.xlsx"], sample, YEAR)
    after = follow_up(done, sample, _catalog(), tmp_path / "out")
    assert "新增 1 行" in after.selection
    sheet = openpyxl.load_workbook(sample / str(YEAR) / L.CITY_FILE)[L.SELECTION_SHEET]
    assert any("新收案例：实训基地建设" in str(c.value) for row in sheet.iter_rows() for c in row)
