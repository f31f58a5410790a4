"""The README documents every command and option, and its set-up commands stay true."""

from __future__ import annotations

import re
from pathlib import Path

import click
import click.testing
import pytest

from docxreport.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def section(command: str) -> str:
    match = re.search(rf"^### `docxreport {command}`\n(.*?)(?=^##)", README, re.M | re.S)
    assert match, f"README 缺少 docxreport {command} 一节"
    return match[1]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_option_of_every_command_is_documented(name: str) -> None:
    command = main.commands[name]
    text = section(name)
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(opt in text for opt in param.opts), f"{name} 的 {param.opts} 未写入 README"


def test_readme_documents_no_option_that_does_not_exist() -> None:
    for name, command in main.commands.items():
        documented = set(re.findall(r"`(--[a-z-]+)", section(name)))
        real = {opt for p in command.params for opt in getattr(p, "opts", [])}
        assert documented <= real, f"{name}: README 写了不存在的选项 {documented - real}"


def test_ci_runs_the_readme_test_command() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    install, tests = blocks[0].strip(), blocks[1].strip()
    assert "docxreport build" in install
    assert tests in (ROOT / ".ci" / "run").read_text("utf-8")


def test_help_is_in_chinese() -> None:
    runner = click.testing.CliRunner()
    for name in main.commands:
        out = runner.invoke(main, [name, "--help"]).output
        assert "用法" in out and "选项" in out and "Show this message" not in out


def test_top_level_help_lists_the_commands_in_the_order_they_are_used() -> None:
    out = click.testing.CliRunner().invoke(main, ["--help"]).output
    listed = re.findall(r"^  (\w+)\s{2,}", out.split("命令：", 1)[1], re.M)
    assert listed[:5] == ["new", "init", "collect", "check", "build"]
    assert "new → init → collect → check → build" in out


def test_no_help_text_is_left_in_english() -> None:
    runner = click.testing.CliRunner()
    for name in main.commands:
        out = runner.invoke(main, [name, "--help"]).output
        assert not re.search(r"\[x?[<>]=?\d", out), (name, out)


def test_build_in_an_empty_folder_says_how_a_region_starts(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = click.testing.CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "docxreport new" in result.output
