"""Exit codes say what happened: a refresh that could not update a report that needed it
is not a success, and the README's table covers every command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from docxreport.cli import main
from test_refresh import CITY, correct_students, refresh, run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exit")
    shutil.copytree(ROOT / "inputs", root / "inputs")
    result = run(
        "build",
        *("--inputs", str(root / "inputs"), "--templates", str(ROOT / "templates")),
        *("--out", str(root / "out"), "--no-page-numbers", "--city-only"),
    )
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def year(built: Path, tmp_path: Path) -> Path:
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    return tmp_path


README = (ROOT / "README.md").read_text("utf-8")


def test_refresh_exits_1_when_a_report_needing_changes_is_open_in_word(year: Path) -> None:
    city = year / "out" / "2024" / CITY
    correct_students(year)
    lock = city.with_name("~$" + city.name)
    lock.write_bytes(b"owner")
    skipped = refresh(year, city)
    assert skipped.exit_code == 1, skipped.output
    assert "正被 Word/WPS 打开" in skipped.output and "处数字需要更新" in skipped.output
    lock.unlink()
    done = refresh(year, city)
    assert done.exit_code == 3, done.output


def test_refresh_exits_0_when_the_open_report_needs_nothing(year: Path) -> None:
    city = year / "out" / "2024" / CITY
    city.with_name("~$" + city.name).write_bytes(b"owner")
    result = refresh(year, city)
    assert result.exit_code == 0, result.output
    assert "处数字需要更新" not in result.output


def test_the_readme_table_of_exit_codes_has_a_row_for_every_command() -> None:
    table = README.split("## 退出状态", 1)[1].split("\n## ", 1)[0]
    rows = set(re.findall(r"^\| `(\w+)` \|", table, re.M))
    assert rows == set(main.commands)
