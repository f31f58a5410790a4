"""The city report's cases and photos (遴选): a region of 40 schools, chosen in 市级.xlsx."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from docxreport import layout as L
from docxreport.build import Options, build
from docxreport.dump import blocks
from docxreport.load import load_year, region_catalog
from docxreport.selection.estimate import city_estimate
from docxreport.selection.sync import sync_selection

ROOT = Path(__file__).resolve().parents[1]
SAMPLE, TEMPLATES = ROOT / "inputs", ROOT / "templates"
N = 40
CASE_ENTRY = re.compile(r"^\[table of figures\] 案例 (\d+)-(\d+) (.+)$")


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    """The sample grown to 40 schools (copies of its seven, with their cases and photos);
    ``check`` has written the selection sheet, nobody has chosen yet."""
    inputs = tmp_path_factory.mktemp("region") / "inputs"
    src, dst = SAMPLE / "2024", inputs / "2024"
    shutil.copytree(src, dst)
    city = openpyxl.load_workbook(dst / L.CITY_FILE)
    registry = city[L.REGISTRY_SHEET]
    originals = [(r[1].value, r[2].value) for r in registry.iter_rows(min_row=2) if r[1].value]
    for i in range(len(originals), N):
        short, full = originals[i % len(originals)]
        new_short, new_full = f"{short}{i + 1:02d}", f"{full}（{i + 1:02d}）"
        registry.append([i + 1, new_short, new_full, None, None])
        book = openpyxl.load_workbook(src / L.SCHOOL_DIR / f"{short}.xlsx")
        book[L.INFO_SHEET]["B2"], book[L.INFO_SHEET]["B3"] = new_short, new_full
        book.save(dst / L.SCHOOL_DIR / f"{new_short}.xlsx")
    city.save(dst / L.CITY_FILE)
    sync(inputs)
    return inputs


def sync(inputs: Path):
    cat = region_catalog(inputs, 2024)
    loaded = load_year(inputs, 2024, cat, history=False)
    return sync_selection(loaded.folder, loaded.city, loaded.schools)


@pytest.fixture
def copy(region: Path, tmp_path: Path) -> Path:
    shutil.copytree(region, tmp_path / "inputs")
    return tmp_path / "inputs"


def sheet_rows(inputs: Path) -> list[tuple]:
    wb = openpyxl.load_workbook(inputs / "2024" / L.CITY_FILE)
    return list(wb[L.SELECTION_SHEET].iter_rows(min_row=2, values_only=True))


def choose(inputs: Path, picks: dict[tuple[str, str], tuple]) -> None:
    """Set (入选, 顺序, 全市报告章节) of the rows named (学校, 标题)."""
    path = inputs / "2024" / L.CITY_FILE
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SELECTION_SHEET]
    for r in range(2, ws.max_row + 1):
        key = (ws[f"A{r}"].value, ws[f"D{r}"].value)
        if key in picks:
            ws[f"G{r}"], ws[f"H{r}"], ws[f"I{r}"] = picks.pop(key)
    assert not picks, f"no such rows: {picks}"
    wb.save(path)


def built(inputs: Path, out: Path, schools=None, city=True, page_numbers=False):
    cat = region_catalog(inputs, 2024)
    loaded = load_year(inputs, 2024, cat)
    assert loaded.data is not None, [str(i) for i in loaded.report.errors]
    options = Options(page_numbers=page_numbers, jobs=2)
    outcome = build(loaded.data, cat, loaded.folder, TEMPLATES, out, schools=schools, city=city,
                    options=options)  # fmt: skip
    return loaded, outcome


def case_list(docx: Path) -> list[tuple[str, str]]:
    """(案例 number, title) of the report's 案例目录, in order."""
    found = []
    for line in blocks(docx):
        m = CASE_ENTRY.match(line)
        if m:
            found.append((f"{m.group(1)}-{m.group(2)}", m.group(3)))
    return found


def test_the_sheet_lists_every_case_and_photo_of_the_forty_schools(region: Path) -> None:
    rows = sheet_rows(region)
    cases = [r for r in rows if r[1] == "案例"]
    schools = load_year(region, 2024, region_catalog(region, 2024)).schools
    senders = {sd.school.short for sd in schools if sd.lists["cases"] or sd.lists["photos"]}
    assert len(senders) == N - 5  # 五原职高 and its four copies sent none
    assert {r[0] for r in rows} == senders | {L.CITY_OWNER}
    assert len(cases) == 1 + sum(len(sd.lists["cases"]) for sd in schools)
    first = next(r for r in cases if r[0] == "市一职")
    assert first[2:6] == ("1.14", "五育并举 促进学生全面发展", first[4], 1) and first[4] > 300
    assert all(r[6] is None for r in rows)  # nobody has chosen


def test_unchosen_many_the_city_report_keeps_only_the_bureaus_own_and_says_so(
    copy: Path, tmp_path: Path
) -> None:
    loaded, outcome = built(copy, tmp_path / "out", schools=["市一职"])
    sel = loaded.data.selection
    assert not sel.default_all and not sel.chosen_any
    warning = [i for i in loaded.report.warnings if "尚未遴选" in i.message]
    assert len(warning) == 1 and str(warning[0].loc) == f"市级.xlsx › {L.SELECTION_SHEET}"
    city, school = outcome.written
    assert case_list(city) == [("6-1", "持续巩固教育成果，提升凝心铸魂思想力")]
    assert len(case_list(school)) == 4  # the school report keeps all of its own
    rows = sheet_rows(copy)
    assert {r[9] for r in rows if r[0] != L.CITY_OWNER} == {"待遴选"}


TWELVE = {
    # (学校, 标题): (入选, 顺序, 全市报告章节); listed out of order on purpose
    ("杭后职教", "杭后职教精品课程建设"): ("是", 2, None),
    ("市一职", "五育并举 促进学生全面发展"): ("是", 1, None),
    ("杭后职教14", "提升信息化水平，实现数字化升级"): ("是", 3, None),
    ("市职校", "信息化手段助力职业培训便捷化"): ("是", None, None),
    ("杭后职教21", "培育高技能人才 助推地方产业发展"): ("是", 1, None),
    ("市艺校10", "端午节纪念活动"): ("是", None, "5.8"),  # moved from 3.5 to chapter 5
    ("市一职", "抓好红色阵地 弘扬爱国精神"): ("是", 2, None),
    ("市职校23", "市职校经典诵读大赛"): ("是", 1, None),
    ("市一职", "立足区域特色 开创育人新篇"): ("是", None, None),
    ("市体校", "市体校运动员世界级比赛中取得佳绩"): ("Y", None, None),
    ("杭后职教", "健全校内规则，稳固质量发展"): ("是", None, None),
    ("市一职29", "以赛促学砺英才 技能比拼展英才"): ("否", None, None),
    ("杭后职教28", "文化领航，制度赋能，推动学校内涵发展"): ("是", 5, None),
    (L.CITY_OWNER, "持续巩固教育成果，提升凝心铸魂思想力"): ("否", None, None),
}
EXPECTED = [
    ("1-1", "五育并举 促进学生全面发展"),
    ("1-2", "杭后职教精品课程建设"),
    ("1-3", "提升信息化水平，实现数字化升级"),
    ("2-1", "培育高技能人才 助推地方产业发展"),
    ("2-2", "信息化手段助力职业培训便捷化"),
    ("3-1", "市职校经典诵读大赛"),
    ("3-2", "抓好红色阵地 弘扬爱国精神"),
    ("3-3", "文化领航，制度赋能，推动学校内涵发展"),
    ("4-1", "市体校运动员世界级比赛中取得佳绩"),
    ("5-1", "立足区域特色 开创育人新篇"),
    ("5-2", "端午节纪念活动"),
    ("6-1", "健全校内规则，稳固质量发展"),
]


def test_twelve_chosen_cases_print_in_the_chosen_order_and_chapters(
    copy: Path, tmp_path: Path
) -> None:
    choose(copy, dict(TWELVE))
    loaded, outcome = built(copy, tmp_path / "out", schools=["市一职", "杭后职教"])
    assert loaded.data.selection.counts()[0] == 12
    city, jia, hang = outcome.written
    assert case_list(city) == EXPECTED
    assert len(case_list(jia)) == 4 and len(case_list(hang)) == 8  # schools keep all
    assert not [i for i in loaded.report.warnings if "尚未遴选" in i.message]
    waiting = [i for i in loaded.report.warnings if "尚未决定" in i.message]
    assert len(waiting) == 1  # every other row still blank: the group is reminded once
    # a second check changes nothing of the group's
    assert sync(copy).written
    again = sync(copy)
    assert not again.written and not again.reason
    picked = {(r[0], r[3]): (r[6], r[7], r[8]) for r in sheet_rows(copy)}
    assert all(picked[key] == value for key, value in TWELVE.items())


def test_a_chosen_case_the_school_removed_is_flagged_and_the_build_goes_on(
    copy: Path, tmp_path: Path
) -> None:
    choose(copy, {("市一职", "五育并举 促进学生全面发展"): ("是", 1, None),
                  ("市艺校", "端午节纪念活动"): ("是", 2, None)})  # fmt: skip
    path = copy / "2024" / L.SCHOOL_DIR / "市一职.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["案例"].delete_rows(2)  # the school withdraws its first case
    wb.save(path)
    synced = sync(copy)
    assert synced.written
    gone = next(r for r in sheet_rows(copy) if r[3] == "五育并举 促进学生全面发展")
    assert gone[0] == "市一职" and gone[6] == "是" and gone[9].startswith("已撤下")
    loaded, outcome = built(copy, tmp_path / "out", schools=[])
    flagged = [i for i in loaded.report.warnings if "已不在 学校/市一职.xlsx" in i.message]
    assert len(flagged) == 1 and flagged[0].loc.sheet == L.SELECTION_SHEET
    assert flagged[0].loc.cell.startswith("G")
    assert case_list(outcome.written[0]) == [("3-1", "端午节纪念活动")]


def test_the_sample_prints_every_case_by_default(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "inputs")
    loaded, outcome = built(tmp_path / "inputs", tmp_path / "out", schools=[])
    assert loaded.data.selection.default_all
    assert loaded.data.selection.counts() == (17, 53)
    assert len(case_list(outcome.written[0])) == 17


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="未安装 LibreOffice 或 poppler-utils，跳过排版页数测试",
)
@pytest.mark.parametrize("where", ["sample", "region, all chosen"])
def test_the_page_estimate_is_within_15_percent_of_the_laid_out_report(
    where: str, region: Path, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE if where == "sample" else region, inputs)
    if where != "sample":
        wb = openpyxl.load_workbook(inputs / "2024" / L.CITY_FILE)
        ws = wb[L.SELECTION_SHEET]
        for r in range(2, ws.max_row + 1):
            ws[f"G{r}"] = "是"
        wb.save(inputs / "2024" / L.CITY_FILE)
    cat = region_catalog(inputs, 2024)
    loaded = load_year(inputs, 2024, cat)
    estimate = city_estimate(loaded.data, cat, loaded.folder, TEMPLATES)
    _, outcome = built(inputs, tmp_path / "out", schools=[], page_numbers=True)
    real = outcome.city_pages
    assert real and abs(estimate.pages - real) / real <= 0.15, (estimate, real)
    if where != "sample":
        assert estimate.cases > 80 and real > 150  # every case of the 40 schools


def test_check_and_build_say_how_long_the_city_report_will_be(copy: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from docxreport.cli import main

    args = ["--inputs", str(copy), "--templates", str(TEMPLATES)]
    out = CliRunner().invoke(main, ["check", *args]).output
    assert re.search(r"全市报告约 \d+ 页（案例 1 个，照片 3 张）；各校和市级共提交案例 \d+ 个", out)
    assert "尚未遴选，超过上限，暂只收入市级自己的案例和图片" in out
    assert f"{L.SELECTION_SHEET} 与各校提交的案例和图片一致，未改动" in out
    built_out = (
        CliRunner()
        .invoke(
            main,
            ["build", *args, "--out", str(tmp_path / "out"), "--city-only", "--no-page-numbers"],
        )
        .output
    )
    assert re.search(r"全市报告约 \d+ 页（案例 1 个，照片 3 张）", built_out)
    assert "尚未遴选：各校和市级共提交案例" in built_out
