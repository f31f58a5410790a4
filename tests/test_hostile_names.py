"""Names from the data never become paths: a school's 简称 is checked where the registry is
read, every command refuses a bad one before writing, and every write stays in its folder."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docxreport import layout as L
from docxreport.atomic import inside, write_atomically, write_bytes_atomically
from docxreport.cli import main
from docxreport.errors import OutputError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "2024"
HOSTILE = (
    "../市级",
    "../../pwned",
    "市/甲",
    "市\\甲",
    "A:B*?",
    "CON",
    "lpt1.txt",
    "..",
    ".隐藏",
    "末尾.",
    "~$锁",
    'a"b<c>|',
    "x" * (L.SHORT_NAME_MAX + 1),
)
SEPARATORS = st.sampled_from(["/", "\\", ":", "*", "?", '"', "<", ">", "|", ".."])
# plain text with a character no file name may hold somewhere in it
HOSTILE_NAMES = st.builds(
    lambda a, sep, b: a + sep + b,
    st.text(alphabet="市一职ab1", max_size=4),
    SEPARATORS,
    st.text(alphabet="市一职ab1", max_size=4),
)


def run(*args: str) -> object:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its content (links as where they point)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            out[str(path.relative_to(root))] = os.readlink(path).encode()
        elif path.is_file():
            out[str(path.relative_to(root))] = path.read_bytes()
    return out


def set_short_name(city: Path, name: str, row: int = 2) -> None:
    wb = openpyxl.load_workbook(city)
    wb[L.REGISTRY_SHEET][f"B{row}"] = name
    wb.save(city)


@pytest.fixture(scope="module")
def new_region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A region after ``new 2025`` with two schools in its registry."""
    root = tmp_path_factory.mktemp("region")
    cwd = Path.cwd()
    os.chdir(root)
    try:
        assert run("new", "2025").exit_code == 0
    finally:
        os.chdir(cwd)
    wb = openpyxl.load_workbook(root / "inputs" / "2025" / L.CITY_FILE)
    ws = wb[L.REGISTRY_SHEET]
    ws.append([1, "甲校", "甲市甲职业学校", ""])
    ws.append([2, "乙校", "乙市乙职业学校", ""])
    wb.save(root / "inputs" / "2025" / L.CITY_FILE)
    return root


@pytest.mark.parametrize("name", HOSTILE)
def test_rule_refuses_each_known_hostile_name(name: str) -> None:
    assert L.short_name_problem(name) is not None


@pytest.mark.parametrize("name", ("市一职", "杭后职教中心", "No.1 职校", "A·B 学校"))
def test_rule_accepts_plain_names(name: str) -> None:
    assert L.short_name_problem(name) is None


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=HOSTILE_NAMES)
@example(name="../市级")
@example(name="../../pwned")
@example(name="CON")
def test_init_new_and_build_refuse_a_hostile_name_and_write_nothing(
    new_region: Path, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(new_region, root, dirs_exist_ok=True)
    set_short_name(root / "inputs" / "2025" / L.CITY_FILE, name, row=3)
    before = tree(root.parent)
    folders = ("--inputs", str(root / "inputs"))
    for command in (
        ("init", "2025", *folders),
        ("new", "2025", *folders, "--templates", str(root / "templates")),
        ("build", *folders, "--templates", str(root / "templates"), "--out", str(root / "out")),
    ):
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert f"{L.CITY_FILE} › {L.REGISTRY_SHEET}!B3" in result.output, (command, result.output)
        assert tree(root.parent) == before, command  # nothing written, here or next to it


def test_every_command_refuses_a_hostile_name_before_writing(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE, inputs / "2024")
    set_short_name(inputs / "2024" / L.CITY_FILE, "../市级")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    before = tree(tmp_path)
    where = f"{L.CITY_FILE} › {L.REGISTRY_SHEET}!B2"
    common = ("--inputs", str(inputs))
    checked = run("check", *common, "--templates", str(tmp_path / "templates"))
    assert checked.exit_code == 1 and where in checked.output and "不能用于文件名" in checked.output
    for args in (
        ("init", "2025", *common),
        ("new", "2024", *common, "--templates", str(tmp_path / "templates")),
        (
            "build",
            *common,
            "--templates",
            str(tmp_path / "templates"),
            "--out",
            str(tmp_path / "out"),
        ),
        (
            "confirm",
            *common,
            "--templates",
            str(tmp_path / "templates"),
            "--out",
            str(tmp_path / "out"),
        ),
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert where in result.output, (args, result.output)
        after = {k: v for k, v in tree(tmp_path).items() if not k.endswith(".lock")}
        assert after == before, args


def test_the_write_helper_refuses_a_name_leading_out_of_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "学校"
    for name in ("../市级.xlsx", "../../pwned.xlsx", "a/../../x.xlsx"):
        with pytest.raises(OutputError, match="不在应写入的文件夹"):
            write_bytes_atomically(b"x", folder / name, folder)
    assert not any(tmp_path.rglob("*.xlsx"))


def test_the_write_helper_refuses_a_folder_linked_elsewhere(tmp_path: Path) -> None:
    outside, folder = tmp_path / "outside", tmp_path / "out"
    outside.mkdir()
    folder.mkdir()
    (folder / "学校").symlink_to(outside)
    with pytest.raises(OutputError):
        write_bytes_atomically(b"x", folder / "学校" / "r.docx", folder)
    assert not any(outside.iterdir())


def test_inside_keeps_a_plain_name_in_its_folder(tmp_path: Path) -> None:
    assert inside(tmp_path / "a" / "b.xlsx", tmp_path) == tmp_path.resolve() / "a" / "b.xlsx"


def test_an_exclusive_write_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "市级.xlsx"
    target.write_bytes(b"the city's own")
    calls = []
    assert not write_atomically(lambda tmp: calls.append(tmp), target, tmp_path, exclusive=True)
    assert target.read_bytes() == b"the city's own" and not calls
    assert [p.name for p in tmp_path.iterdir()] == ["市级.xlsx"]  # no temporary left


def test_an_exclusive_write_loses_to_a_file_made_meanwhile(tmp_path: Path) -> None:
    """The check before writing is not what protects: the create itself is exclusive."""
    target = tmp_path / "学校" / "甲校.xlsx"

    def racing(tmp: Path) -> None:
        tmp.write_bytes(b"ours")
        target.write_bytes(b"theirs")  # another init, or a school's file copied in

    assert not write_atomically(racing, target, tmp_path, exclusive=True)
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in target.parent.iterdir()] == ["甲校.xlsx"]


def test_a_second_init_keeps_every_file_the_first_wrote(new_region: Path, tmp_path: Path) -> None:
    shutil.copytree(new_region, tmp_path, dirs_exist_ok=True)
    inputs = str(tmp_path / "inputs")
    assert run("init", "2025", "--inputs", inputs).exit_code == 0
    first = tree(tmp_path)
    again = run("init", "2025", "--inputs", inputs)
    assert again.exit_code == 0 and "写入 0 个工作簿" in again.output
    assert tree(tmp_path) == first


def test_adopt_refuses_a_report_whose_recorded_school_is_a_path(tmp_path: Path) -> None:
    """A report travels by mail: the school it records is data like any other."""
    inputs, out, templates = tmp_path / "inputs", tmp_path / "out", tmp_path / "templates"
    shutil.copytree(SAMPLE, inputs / "2024")
    shutil.copytree(ROOT / "templates", templates)
    built = run(
        "build",
        *("--inputs", str(inputs), "--templates", str(templates), "--out", str(out)),
        *("--school", "市艺校", "--no-page-numbers"),
    )
    assert built.exit_code == 0, built.output
    [report] = (out / "2024" / "学校").glob("*.docx")
    hostile = tmp_path / "mailed.docx"
    with zipfile.ZipFile(report) as src, zipfile.ZipFile(hostile, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("customXml/") and b'school="' in data:
                data = data.replace('school="市艺校"'.encode(), b'school="../../pwned"', 1)
            dst.writestr(info, data)
    before = tree(tmp_path)
    result = run("adopt", str(hostile), "--templates", str(templates))
    assert result.exit_code == 1, result.output
    assert "../../pwned" in result.output and "不能用作文件名" in result.output
    assert tree(tmp_path) == before
