"""The commands the workbench runs, with the options its forms offer.

The arguments are built here from the workbench's own folders and a fixed list of
flags; nothing typed into a form reaches the command line but a ticked box.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from docxreport.web.workspace import Folders


@dataclass(frozen=True)
class Flag:
    option: str
    label: str
    default: bool = False


@dataclass(frozen=True)
class Command:
    name: str  # the CLI command
    title: str
    explain: str
    templates: bool  # takes --templates
    flags: tuple[Flag, ...] = ()


COMMANDS = {
    c.name: c
    for c in (
        Command(
            "build",
            "生成报告",
            "先做与“检查”相同的检查，再生成全市报告和各校报告。已在 Word/WPS 中修改过的报告不会被覆盖："
            "数据改正后请用“更新数字”。",
            True,
            (
                Flag("--no-page-numbers", "不填写目录页码（不调用 LibreOffice，更快）"),
                Flag("--pdf", "同时生成 PDF"),
                Flag("--draft", "征求意见稿（缺少或有错误的学校印为【待补】）"),
                Flag("--city-only", "只生成全市报告"),
            ),
        ),
        Command(
            "refresh",
            "更新数字",
            "把工作簿中改正后的数字更新到已经修改过的报告里：编制组改写的文字、格式、批注都保留，"
            "改动前先备份。",
            False,
            (
                Flag("--track", "把改动写成修订（审阅时可在 Word/WPS 中逐处接受或拒绝）"),
                Flag("--no-page-numbers", "不重新填写目录页码"),
            ),
        ),
        Command(
            "confirm",
            "生成数据确认表",
            "为每所学校生成数据确认表，列出报告印出的本校全部数据，供学校签字盖章。",
            True,
            (Flag("--pdf", "同时生成 PDF"),),
        ),
    )
}


def collect_args(folders: Folders, paths: list[Path]) -> list[str]:
    """``docxreport collect`` of the files dropped on the 收表 page, into the workbench's folders."""
    args = ["collect", *(str(p) for p in paths), "--inputs", str(folders.inputs.resolve())]
    args += ["--out", str(folders.out.resolve())]
    return args + (["--year", str(folders.year)] if folders.year is not None else [])


def command_args(name: str, folders: Folders, form: Mapping[str, object]) -> list[str]:
    """The command line for ``name`` in ``folders`` with the flags ticked in ``form``."""
    command = COMMANDS[name]
    args = [name, "--inputs", str(folders.inputs.resolve()), "--out", str(folders.out.resolve())]
    if folders.year is not None:
        args += ["--year", str(folders.year)]
    if command.templates:
        args += ["--templates", str(folders.templates.resolve())]
    args += [f.option for f in command.flags if form.get(f.option.lstrip("-")) == "on"]
    return args
