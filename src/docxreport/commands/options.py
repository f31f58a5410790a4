"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def folder_option(name: str, default: str, help: str):
    return click.option(
        name,
        type=click.Path(path_type=Path, file_okay=False),
        default=Path(default),
        metavar="文件夹",
        show_default=True,
        help=help,
    )


year_option = click.option(
    "--year", type=int, metavar="年度", help="报告年度，默认为输入文件夹中最新的年度。"
)
inputs_option = folder_option("--inputs", "inputs", "存放各年度文件夹的输入文件夹。")


def school_option(what: str):
    """``--school``, repeatable: only the named schools' ``what`` (报告, 确认表…)."""
    return click.option(
        "--school",
        "schools",
        multiple=True,
        metavar="学校",
        help=f"只生成这所学校的{what}（简称、全称或别名均可；可重复）。",
    )


def force_option(what: str):
    """``--force``: overwrite an edited ``what`` after backing it up."""
    return click.option(
        "--force",
        is_flag=True,
        help=f"覆盖生成后被修改过的{what}（先把修改过的文件另存为带时间的备份）。",
    )


def holds_year_folder(command: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run ``command`` holding its year's output folder, ``--out``/<year> (see
    :mod:`docxreport.runlock`): a second run at once stops with who holds it."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def held(**params: Any) -> Any:
            from docxreport.load import resolve_year
            from docxreport.runlock import run_lock

            year = resolve_year(params["inputs"], params["year"])
            with run_lock(params["out"] / str(year), command, notify=click.echo):
                return fn(**params)

        return held

    return decorate
