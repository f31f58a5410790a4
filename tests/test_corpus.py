"""The corpus of bad inputs (tests/fixtures/bad/), each run through ``docxreport check``.

Every entry is swapped into a copy of a valid year (workbooks: the sample ``inputs/2024``;
templates: a small valid year with ``--templates``), and ``check`` must answer with a
Chinese message at the right location and the right exit status, print no traceback,
write nothing, and finish in seconds. Accepted inputs (exit 0) also show the value read.
Rebuild the corpus with ``tests/fixtures/bad/make_corpus.py``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from docxreport import layout as L
from docxreport.catalog import default_catalog
from docxreport.cli import main
from docxreport.load import load_year
from docxreport.model import Dataset
from docxreport.workbook import guard
from docxreport.workbook.package import Package
from docxreport.workbook.read import open_book

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad"
SAMPLE = ROOT / "inputs" / "2024"
SECONDS = 20  # "finishes in seconds", with room for a busy machine

_spec = importlib.util.spec_from_file_location("make_corpus", BAD / "make_corpus.py")
mc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mc)

CAT = default_catalog("自治区")
S = f"{L.SCHOOL_DIR}/{mc.SCHOOL}.xlsx"  # the school workbook the entries replace
T = "templates/city.docx"
STUDENTS_SHEET, STUDENTS = mc.cell(CAT, "students")
STUDENTS_ROW = int(STUDENTS[1:])
RATE_KEY = next(i.key for i in CAT.indicators if i.kind == "percent" and i.sheet == "teachers")
RATE_SHEET, RATE = mc.cell(CAT, RATE_KEY)
ERR, WARN = "错误", "警告"


def para(n: int) -> str:
    return f"{T} › 正文!段落 {n}"


@dataclass(frozen=True)
class Entry:
    """One corpus entry and what ``check`` must answer.

    ``target``: where the file goes in the year folder (``templates/…`` for a template);
    a folder entry is laid over the year folder as it is. ``expect``: (level, location,
    words in order) of issues that must be printed. ``shows``: a check on the data read,
    for accepted inputs.
    """

    name: str
    exit: int
    expect: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    target: str = S
    absent: tuple[str, ...] = ()
    shows: Callable[[Dataset], object] | None = None

    @property
    def template(self) -> bool:
        return self.target.startswith("templates/")


def school(data: Dataset):
    return data.school_data(mc.SCHOOL)


def _case(data: Dataset) -> dict[str, str]:
    [row] = school(data).lists["cases"]
    return {k: v.value for k, v in row.items()}


def unreadable(name: str, *words: str) -> Entry:
    return Entry(name, 1, ((ERR, S, words),))


ENTRIES = [
    # files that are not a readable workbook
    unreadable("zero_byte.xlsx", "文件为空", "0 字节"),
    unreadable("truncated.xlsx", "文件已损坏", "内容不完整"),
    unreadable("csv_renamed.xlsx", "不是 .xlsx 文件", "CSV"),
    unreadable("xls_renamed.xlsx", "旧版 .xls", "另存为 .xlsx"),
    unreadable("encrypted.xlsx", "打开密码", "已加密"),
    unreadable("docx_renamed.xlsx", "不是 Excel 工作簿", "Word"),
    unreadable("entity_bomb.xlsx", "不安全", "XML", "已拒绝读取"),
    unreadable("entity_bomb_after_long_comment.xlsx", "不安全", "XML", "已拒绝读取"),
    Entry("lock_file.xlsx", 0, target=f"{L.SCHOOL_DIR}/~${mc.SCHOOL}.xlsx", absent=("~$",)),
    Entry("wide_sheet.xlsx", 1, ((ERR, f"{S} › 案例", ("300 列", "上限 200 列", "删除多余")),)),
    Entry("rows_100000", 1, ((ERR, f"{S} › 案例", ("100001 行", "上限 5000 行", "删除多余")),)),
    # sheets and headers
    Entry(
        "sheet_missing.xlsx",
        1,
        ((ERR, f"{S} › {RATE_SHEET}", (f"缺少工作表“{RATE_SHEET}”",)),),
    ),
    Entry(
        "sheet_renamed.xlsx",
        1,
        (
            (
                ERR,
                f"{S} › {RATE_SHEET}",
                (f"缺少工作表“{RATE_SHEET}”", f"“{RATE_SHEET[:2]}”", f"改回“{RATE_SHEET}”"),
            ),
        ),
    ),
    Entry(
        "sheets_reordered.xlsx",
        0,
        shows=lambda data: school(data).get("students") is not None,
    ),
    Entry(
        "header_moved.xlsx",
        1,
        ((ERR, f"{S} › {STUDENTS_SHEET}!A1", ("表头应为“指标代码”", "现在在 A2")),),
    ),
    Entry(
        "city_registry_missing.xlsx",
        1,
        (
            (ERR, f"{L.CITY_FILE} › {L.REGISTRY_SHEET}", ("缺少工作表“学校名册”",)),
            (ERR, f"{L.CITY_FILE} › {L.REGISTRY_SHEET}", ("学校名册为空",)),
        ),
        target=L.CITY_FILE,
    ),
    # cells
    Entry(
        "text_in_number_cell.xlsx",
        1,
        ((ERR, f"{S} › {STUDENTS_SHEET}!{STUDENTS}", ("全日制在校生人数", "“一千五百”不是数字")),),
    ),
    Entry(
        "fullwidth_digits.xlsx",
        0,
        absent=(f"{STUDENTS_SHEET}!{STUDENTS}",),
        shows=lambda data: school(data).get("students") == 1568,
    ),
    Entry(
        "percent_string.xlsx",
        0,
        absent=(f"{RATE_SHEET}!{RATE}",),
        shows=lambda data: school(data).get(RATE_KEY) == 43.15,
    ),
    Entry(
        "formula_without_value.xlsx",
        1,
        (
            (
                ERR,
                f"{S} › {STUDENTS_SHEET}!{STUDENTS}",
                (f"公式 =D{STUDENTS_ROW}-100", "没有计算结果", "打开后保存"),
            ),
        ),
    ),
    Entry(
        "merged_over_inputs.xlsx",
        1,
        (
            (
                ERR,
                f"{S} › {STUDENTS_SHEET}!D{STUDENTS_ROW}",
                (f"D{STUDENTS_ROW}:E{STUDENTS_ROW}", "被合并", "取消合并"),
            ),
        ),
        absent=("必填",),
    ),
    Entry(
        "hidden_row_with_data.xlsx",
        0,
        (
            (
                WARN,
                f"{S} › {STUDENTS_SHEET}!A{STUDENTS_ROW}",
                (f"第 {STUDENTS_ROW} 行已隐藏", "有数据"),
            ),
        ),
        shows=lambda data: school(data).get("students") == 1568,
    ),
    Entry(
        "hidden_column_with_data.xlsx",
        0,
        ((WARN, f"{S} › {STUDENTS_SHEET}!{L.PREV_COL}1", (f"{L.PREV_COL} 列已隐藏", "有数据")),),
    ),
    Entry(
        "control_chars_and_emoji.xlsx",
        0,
        shows=lambda data: (
            _case(data)
            == {
                "section": "1.14",
                "title": "校园开放日🎉",
                "text": "开放日当天来了 300 位家长\t👨\u200d👩\u200d👧。",
            }
        ),
    ),
    # files in the year folder
    Entry(
        "unknown_school.xlsx",
        1,
        ((ERR, f"{L.SCHOOL_DIR}/不在名册的学校.xlsx", ("“不在名册的学校”不是名册中的学校",)),),
        target=f"{L.SCHOOL_DIR}/不在名册的学校.xlsx",
    ),
    Entry(
        "duplicate_school",
        1,
        ((ERR, S, (f"{L.SCHOOL_DIR}/五原县高级职业中学.xlsx", "同一所学校", mc.SCHOOL)),),
    ),
    Entry(
        "wrong_year_stamp.xlsx",
        1,
        ((ERR, f"{S} › {L.INFO_SHEET}!B4", ("年度是 2023", "应为 2024")),),
    ),
    Entry(
        "wrong_school_stamp.xlsx",
        1,
        ((ERR, f"{S} › {L.INFO_SHEET}!B2", ("“市一职”", f"“{mc.SCHOOL}”的位置")),),
    ),
    Entry(
        "photo_not_an_image",
        1,
        ((ERR, f"{S} › 图片!D2", ("图片/校园开放日.jpg 不是图片", "JPG")),),
    ),
    # templates
    Entry(
        "template_jinja_syntax_error.docx",
        1,
        (
            (
                ERR,
                para(2),
                ("模板语法错误", "应为“)”", '所在段落：“全市在校生 {{ v("students" }} 人。”'),
            ),
        ),
        target=T,
    ),
    Entry(
        "template_block_not_closed.docx",
        1,
        ((ERR, para(2), ("“{% for %}”缺少对应的“{% endfor %}”", "“{%p for m in team %}”")),),
        target=T,
    ),
    Entry(
        "template_end_without_block.docx",
        1,
        ((ERR, para(2), ("“{% endif %}”前面没有对应的“{% if %}”", "“{%p endif %}”")),),
        target=T,
    ),
    Entry(
        "template_fullwidth_parenthesis.docx",
        1,
        ((ERR, para(1), ("不能使用的字符“（”", "半角", "所在段落")),),
        target=T,
    ),
    Entry(
        "template_undefined_placeholder.docx",
        1,
        (
            (
                ERR,
                para(1),
                ("“yaer”不是可用的数据名称", "是否应为“year”", "“报告年度：{{ yaer }} 年”"),
            ),
        ),
        target=T,
    ),
    Entry(
        "template_unknown_indicator.docx",
        1,
        ((ERR, para(1), ("没有指标“studnets”", "是否应为“students”", '{{ v("studnets") }}')),),
        target=T,
    ),
    Entry(
        "template_unknown_table.docx",
        1,
        ((ERR, para(2), ("没有表格“9-9”", "1-1", '{{p table("9-9") }}')),),
        target=T,
    ),
    Entry(
        "template_unknown_attribute.docx",
        1,
        ((ERR, para(1), ("“region.nmae”", "没有“nmae”", "full_name")),),
        target=T,
    ),
    Entry(
        "template_unknown_toc_kind.docx",
        1,
        ((ERR, para(1), ("未知的目录类型“附表”", "headings")),),
        target=T,
    ),
    Entry(
        "template_school_name_in_city_report.docx",
        1,
        ((ERR, para(1), ("“school”只能用在学校报告模板", "school.docx", "{{ school.full }}")),),
        target=T,
    ),
    Entry(
        "template_split_tag.docx",
        0,
        ((WARN, para(2), ("“{{ year }}”被 Word 拆成了 3 段", "所在段落：“（{{ year }}）”")),),
        target=T,
    ),
    Entry(
        "template_tag_across_paragraphs.docx",
        1,
        (
            (ERR, para(1), ("“{{ year”没有在本段落中结束", "缺少“}}”", "“报告年度：{{ year”")),
            (WARN, para(2), ("“}}”前面没有对应的“{{”",)),
        ),
        target=T,
    ),
    Entry("template_smart_quotes.docx", 0, target=T, absent=("段落",)),
    Entry("template_zero_byte.docx", 1, ((ERR, T, ("模板文件为空",)),), target=T),
    Entry("template_not_a_docx.docx", 1, ((ERR, T, ("不是 Word .docx 文件",)),), target=T),
    Entry("template_lock_file.docx", 0, target="templates/~$city.docx", absent=("~$",)),
]
GENERATED = {"rows_100000"}  # made at test time: too big to commit


# -- the year folder, the run, and what it must show ------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every file's digest; the city workbook's without its selection sheet, which check
    keeps up to date with the cases and photos the schools submitted."""
    return {
        str(p.relative_to(folder)): _digest(p, p.name == L.CITY_FILE)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _digest(path: Path, city: bool) -> str:
    data = path.read_bytes()
    if city and zipfile.is_zipfile(path):
        try:
            package = Package(data)
        except Exception:  # a damaged workbook: compared as bytes
            return hashlib.sha256(data).hexdigest()
        skip = {package.sheets.get(L.SELECTION_SHEET)}
        parts = sorted(n for n in package.zip.namelist() if n not in skip)
        return hashlib.sha256(b"".join(package.zip.read(n) for n in parts)).hexdigest()
    return hashlib.sha256(data).hexdigest()


def lay_out(entry: Entry, tmp_path: Path, small_year: Path) -> tuple[Path, list[str]]:
    """The inputs folder with the entry in place, and the arguments for ``check``."""
    inputs = tmp_path / "inputs"
    if entry.template:
        shutil.copytree(small_year, inputs)
        dest = tmp_path / entry.target
        dest.parent.mkdir(parents=True)
        shutil.copyfile(BAD / entry.name, dest)
        return inputs, ["--templates", str(tmp_path / "templates")]
    year = inputs / "2024"
    shutil.copytree(SAMPLE, year)
    source = BAD / entry.name
    if entry.name in GENERATED:
        (year / entry.target).write_bytes(mc.huge_sheet(mc.base_school(CAT, tmp_path)))
    elif source.is_dir():
        shutil.copytree(source, year, dirs_exist_ok=True)
    else:
        shutil.copyfile(source, year / entry.target)
    return inputs, []


def printed(output: str, level: str, loc: str, words: tuple[str, ...]) -> bool:
    """A line of the issue table at ``loc`` with ``level`` and ``words`` in this order."""
    at = re.compile(re.escape(loc) + r"(\s|$)")
    for line in output.splitlines():
        if line.startswith(level) and at.search(line):
            rest, found = line, True
            for word in words:
                i = rest.find(word)
                if i < 0:
                    found = False
                    break
                rest = rest[i + len(word) :]
            if found:
                return True
    return False


@pytest.fixture
def runner(tmp_path, monkeypatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # a default out/ or templates/ would land here
    return CliRunner()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_corpus_entry(entry: Entry, runner: CliRunner, tmp_path: Path, real_inputs: Path) -> None:
    inputs, extra = lay_out(entry, tmp_path, real_inputs)
    before = snapshot(tmp_path)
    started = time.perf_counter()
    result = runner.invoke(main, ["check", "--inputs", str(inputs), *extra])
    elapsed = time.perf_counter() - started
    out = result.output
    assert result.exit_code == entry.exit, out
    assert result.exception is None or isinstance(result.exception, SystemExit), out
    assert "Traceback" not in out and "内部错误" not in out, out
    assert elapsed < SECONDS, f"{entry.name}: {elapsed:.1f} s"
    for level, loc, words in entry.expect:
        assert printed(out, level, loc, words), f"want [{level}] {loc} {words} in:\n{out}"
    for text in entry.absent:
        assert text not in out, out
    if entry.exit == 0:
        assert not [line for line in out.splitlines() if line.startswith(ERR)], out
    assert snapshot(tmp_path) == before, "check changed or wrote files (beyond 案例与图片遴选)"
    assert not (tmp_path / "out").exists()
    if entry.shows is not None:
        loaded = load_year(inputs, 2024, CAT)
        assert loaded.data is not None
        assert entry.shows(loaded.data)


# -- the corpus itself ------------------------------------------------------------------------------


def test_corpus_has_at_least_30_entries_for_workbooks_and_templates() -> None:
    assert len(ENTRIES) >= 30
    assert sum(e.template for e in ENTRIES) >= 10
    assert sum(not e.template for e in ENTRIES) >= 20


def test_every_fixture_is_an_entry_and_every_entry_a_fixture() -> None:
    on_disk = {p.name for p in BAD.iterdir()} - {"make_corpus.py", "CATALOG.sha256", "__pycache__"}
    listed = {e.name for e in ENTRIES} - GENERATED
    assert on_disk == listed


def test_committed_fixtures_are_small() -> None:
    for path in BAD.rglob("*"):
        assert not path.is_file() or path.stat().st_size < 200_000, path


def test_corpus_was_made_from_the_current_catalog() -> None:
    stamp = (BAD / "CATALOG.sha256").read_text("utf-8").strip()
    assert stamp == mc.catalog_digest(), (
        "catalog.toml changed since the corpus was made: "
        "run .venv/bin/python tests/fixtures/bad/make_corpus.py and review the diff"
    )


def test_a_dtd_the_quick_look_misses_is_still_refused_by_the_parser(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    shutil.copyfile(BAD / "entity_bomb.xlsx", path)
    monkeypatch.setattr(guard, "sniff", lambda _path: None)
    book, [issue] = open_book(path, S)
    assert book is None
    assert issue.is_error and issue.message == guard.UNSAFE_XML
