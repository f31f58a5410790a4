"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path

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
