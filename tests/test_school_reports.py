"""School reports built from the 2024 sample: golden content, own figures only, no graduates,
``--school``, determinism.

The seven reports are built once for the module. Regenerate the golden file on purpose with
``DOCXREPORT_UPDATE_GOLDEN=1 pytest tests/test_school_reports.py`` and review its diff.
"""

from __future__ import annotations

import difflib
import functools
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docxtpl import DocxTemplate

from docxreport import layout as L
from docxreport.build import SCHOOL_TEMPLATE, Job, Options, build, plan, run_job
from docxreport.catalog import default_catalog
from docxreport.cli import main
from docxreport.dump import blocks
from docxreport.errors import TemplateError
from docxreport.load import load_year
from docxreport.model import Dataset
from docxreport.render.context import Context
from docxreport.view.report import make_view

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"
TEMPLATES = ROOT / "templates"
YEAR = 2024
GOLDEN_SCHOOL = "杭后职教"  # the school with a majors list, cases and photos
GOLDEN = Path(__file__).parent / "golden" / f"school_{GOLDEN_SCHOOL}.txt"
UPDATE = os.environ.get("DOCXREPORT_UPDATE_GOLDEN") == "1"
NO_GRADUATES_NOTE = "本校本年度无毕业生，毕业生相关指标按规定不填报，表中以“—”表示。"


@functools.cache
def text_of(path: Path) -> str:
    """Headings and captions with their styles, prose and every table cell, in order."""
    return "\n".join(blocks(path)) + "\n"


def table_after(text: str, caption: str) -> list[list[str]]:
    """The rows of the first table after the caption or title containing ``caption``."""
    lines = text.splitlines()
    contents = ("[toc", "[table of figures]")
    start = next(i for i, s in enumerate(lines) if caption in s and not s.startswith(contents))
    table = lines.index("[表格]", start)
    rows = []
    for line in lines[table + 1 :]:
        if not line.startswith("  "):
            break
        rows.append(line.strip().split(" | "))
    return rows


def load(inputs: Path = INPUTS) -> tuple[Dataset, Path]:
    loaded = load_year(inputs, YEAR, default_catalog("自治区"))
    assert loaded.data is not None, [str(i) for i in loaded.report.errors]
    return loaded.data, loaded.folder


@pytest.fixture(scope="module")
def sample() -> tuple[Dataset, Path]:
    return load()


@pytest.fixture(scope="module")
def reports(
    sample: tuple[Dataset, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Every school report of the sample, by short name."""
    data, folder = sample
    out = tmp_path_factory.mktemp("out")
    outcome = build(
        data,
        default_catalog("自治区"),
        folder,
        TEMPLATES,
        out,
        city=False,
        options=Options(page_numbers=False),
    )
    assert not outcome.issues, [str(i) for i in outcome.issues]  # every photo and case placed
    return {job.school: job.out for job in outcome.done if job.school}


@functools.cache
def _workbook(school: str) -> openpyxl.Workbook:
    path = INPUTS / str(YEAR) / L.SCHOOL_DIR / f"{school}.xlsx"
    return openpyxl.load_workbook(path, data_only=True)


def workbook_value(school: str, key: str, period: str = "curr") -> object:
    """A figure read straight from the school's workbook, independently of docxreport."""
    sheet, row = L.indicator_cells(default_catalog("自治区"))[key]
    return _workbook(school)[sheet][f"{L.PERIOD_COL[period]}{row}"].value


# -- what is built, and where ---------------------------------------------------------------


def test_plan_is_city_then_each_school_in_registry_order(sample: tuple[Dataset, Path]) -> None:
    data, _ = sample
    jobs = plan(data, TEMPLATES, Path("out"))
    assert [j.school for j in jobs] == [None, *(s.short for s in data.city.registry)]
    assert jobs[-1].out == Path("out/2024/学校/杭锦后旗职业教育中心质量年度报告（2024）.docx")
    assert {j.template.name for j in jobs[1:]} == {SCHOOL_TEMPLATE}
    assert [j.school for j in plan(data, TEMPLATES, Path("out"), schools=[])] == [None]
    only = plan(data, TEMPLATES, Path("out"), schools=["五原职中"], city=False)  # an alias
    assert [j.school for j in only] == ["五原职高"]


def test_golden_content_of_one_school_report(reports: dict[str, Path]) -> None:
    text = text_of(reports[GOLDEN_SCHOOL])
    if UPDATE:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, "utf-8")
    expected = GOLDEN.read_text("utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), text.splitlines(True), "golden", "built", n=1
            )
        )
        pytest.fail(
            f"学校报告内容与 {GOLDEN.name} 不一致（有意修改时设 DOCXREPORT_UPDATE_GOLDEN=1 重新生成）：\n"
            + diff[:6000]
        )


# -- each report holds its own school only --------------------------------------------------


def test_each_report_states_its_own_figures(
    sample: tuple[Dataset, Path], reports: dict[str, Path]
) -> None:
    data, _ = sample
    assert set(reports) == {s.short for s in data.city.registry}
    for school in data.city.registry:
        text = text_of(reports[school.short])
        students = workbook_value(school.short, "students")
        staff = workbook_value(school.short, "staff")
        assert f"[封面标题] {school.full}" in text
        assert f"单位名称（盖章）：{school.full}" in text
        assert f"全日制在校生 {students} 人" in text, school.short
        rows = table_after(text, "本校教职工、招生、在校生、毕业生规模一览表")
        assert rows[2:] == [
            [
                school.short,
                str(staff),
                *(
                    str(workbook_value(school.short, key, period))
                    for key in ("enrolment", "students", "graduates")
                    for period in ("prev", "curr")
                ),
            ]
        ], "规模表只有本校一行，没有合计行"


def test_no_report_names_another_school(
    sample: tuple[Dataset, Path], reports: dict[str, Path]
) -> None:
    data, _ = sample
    for school in data.city.registry:
        text = text_of(reports[school.short])
        for other in data.city.registry:
            if other.short == school.short:
                continue
            found = [name for name in other.names() if name in text]
            assert not found, f"{school.short} 的报告中出现了 {found}"


def test_tables_per_school_become_the_school_alone(reports: dict[str, Path]) -> None:
    text = text_of(reports[GOLDEN_SCHOOL])
    teachers = table_after(text, "本校教师队伍情况统计表")
    assert teachers[0] == ["指标", "2023 年", "2024 年"]
    satisfaction = table_after(text, "表2 满意度调查表")
    assert satisfaction[0] == ["序号", "指标", "单位", "2023年", "2024年"]
    bachelor = table_after(text, "本校升入本科人数统计表")
    assert bachelor == [["年份", "升入本科人数（人）"], ["2023 年", "119"], ["2024 年", "154"]]


def test_every_photo_and_case_of_the_school_is_in_its_report(
    sample: tuple[Dataset, Path], reports: dict[str, Path]
) -> None:
    data, _ = sample
    for sd in data.schools:
        text = text_of(reports[sd.school.short])
        for row in sd.lists.get("photos", []) + sd.lists.get("cases", []):
            title = row.get("caption") or row.get("title")
            assert title is not None and str(title.value) in text


def test_a_school_report_can_show_only_its_own_school(sample: tuple[Dataset, Path]) -> None:
    data, folder = sample
    tpl = DocxTemplate(str(TEMPLATES / SCHOOL_TEMPLATE))
    tpl.init_docx()
    view = make_view(data, default_catalog("自治区"), "杭锦后旗职业教育中心", folder / L.PHOTO_DIR)
    context = Context(view, tpl).names()
    assert context["school"].full == "杭锦后旗职业教育中心"
    assert {t.school for t in view.tables.values() if t is not None} == {"杭后职教"}
    assert {f.school for f in view.figures.values()} == {"杭后职教"}
    with pytest.raises(TemplateError, match="只能显示本校"):
        context["table"]("1-1", "市一职")


# -- a school without graduates -------------------------------------------------------------


@pytest.fixture(scope="module")
def no_graduates(tmp_path_factory: pytest.TempPathFactory) -> str:
    """市艺校 with 0 graduates this year and its graduate figures cleared, built alone."""
    tmp = tmp_path_factory.mktemp("no_graduates")
    inputs = tmp / "inputs"
    shutil.copytree(INPUTS / str(YEAR), inputs / str(YEAR))
    cat = default_catalog("自治区")
    cells = L.indicator_cells(cat)
    path = inputs / str(YEAR) / L.SCHOOL_DIR / "市艺校.xlsx"
    wb = openpyxl.load_workbook(path)
    sheet, row = cells["graduates"]
    wb[sheet][f"{L.CURR_COL}{row}"].value = 0
    for ind in cat.indicators:
        if ind.about_graduates:
            sheet, row = cells[ind.key]
            wb[sheet][f"{L.CURR_COL}{row}"].value = None
    wb.save(path)
    data, folder = load(inputs)
    [job] = plan(data, TEMPLATES, tmp / "out", schools=["市艺校"], city=False)
    run_job(job, data, cat, folder)
    return text_of(job.out)


def test_school_without_graduates_gets_dashes_and_a_note(no_graduates: str) -> None:
    text = no_graduates
    assert text.count(NO_GRADUATES_NOTE) == 2  # in 1.13 and above annex table 1
    assert "本校毕业生" not in text
    assert "；本年度无毕业生。" in text  # 1.10 培养规模
    scorecard = {r[1]: r[3:] for r in table_after(text, "表1 人才培养质量计分卡")[1:]}
    assert scorecard["毕业生人数"] == ["23", "0"]
    assert scorecard["升入本科人数"] == ["4", "—"]  # last year's graduates still count
    assert scorecard["毕业去向落实人数"][-1] == "—"
    satisfaction = {r[1]: r[-1] for r in table_after(text, "表2 满意度调查表")[1:]}
    assert satisfaction["毕业生满意度"] == satisfaction["用人单位满意度"] == "—"
    assert satisfaction["在校生满意度"] != "—"
    assert table_after(text, "本校升入本科人数统计表")[-1] == ["2024 年", "—"]


# -- the command ----------------------------------------------------------------------------


def run_build(out: Path, *args: str):
    return CliRunner().invoke(
        main,
        [
            "build",
            "--no-page-numbers",
            "--inputs",
            str(INPUTS),
            "--templates",
            str(TEMPLATES),
            "--out",
            str(out),
            *args,
        ],
    )


@pytest.mark.parametrize("name", ["杭后职教", "杭锦后旗职业教育中心"])
def test_school_option_builds_exactly_one_report(tmp_path: Path, name: str) -> None:
    result = run_build(tmp_path, "--school", name)
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.docx"))
    assert written == [Path("2024/学校/杭锦后旗职业教育中心质量年度报告（2024）.docx")]
    assert "[1/1] 正在生成杭后职教学校报告" in result.output
    assert result.output.strip().splitlines()[-1].startswith("完成：生成学校报告 1 份，")


def test_unknown_school_is_an_error_listing_the_registry(tmp_path: Path) -> None:
    result = run_build(tmp_path, "--school", "不存在的学校")
    assert result.exit_code == 1
    assert "学校名册中没有“不存在的学校”" in result.output
    assert "杭后职教（杭锦后旗职业教育中心）" in result.output
    assert not list(tmp_path.rglob("*.docx"))


def test_school_and_city_only_exclude_each_other(tmp_path: Path) -> None:
    result = run_build(tmp_path, "--school", "杭后职教", "--city-only")
    assert result.exit_code != 0
    assert "不能同时使用" in result.output


# -- determinism ----------------------------------------------------------------------------


def test_building_twice_gives_the_same_document(
    sample: tuple[Dataset, Path], reports: dict[str, Path], tmp_path: Path
) -> None:
    data, folder = sample
    first = reports[GOLDEN_SCHOOL]
    again = Job("again", TEMPLATES / SCHOOL_TEMPLATE, tmp_path / "again.docx", GOLDEN_SCHOOL)
    run_job(again, data, default_catalog("自治区"), folder)
    assert text_of(again.out) == text_of(first)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(again.out) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")
