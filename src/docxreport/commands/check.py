"""``docxreport check``: validate a year's workbooks and list every problem."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docxreport.catalog import default_catalog
from docxreport.console import clean_exit, print_report
from docxreport.load import load_year


@click.command("check", options_metavar="[选项]")
@click.option("--year", type=int, metavar="年度", help="报告年度，默认为输入文件夹中最新的年度。")
@click.option(
    "--inputs",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("inputs"),
    metavar="文件夹",
    show_default=True,
    help="存放各年度文件夹的输入文件夹。",
)
@click.option("--strict", is_flag=True, help="有警告时也以失败状态退出。")
@clean_exit
def check(year: int | None, inputs: Path, strict: bool) -> None:
    """检查某年度的全部工作簿，列出每个错误和警告（文件、工作表、单元格）。

    没有错误时退出状态为 0，有错误时为 1；加 --strict 时有警告也为 1。
    """
    loaded = load_year(inputs, year, default_catalog())
    click.echo(f"检查 {loaded.folder}：")
    print_report(loaded.report)
    failed = not loaded.report.valid or (strict and loaded.report.warnings)
    sys.exit(1 if failed else 0)
