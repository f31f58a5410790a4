"""``docxreport build``: validate, then write the reports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docxreport.build import build as run_build
from docxreport.catalog import default_catalog
from docxreport.console import clean_exit, print_report
from docxreport.issues import Report
from docxreport.load import load_year


@click.command("build", options_metavar="[选项]")
@click.option("--year", type=int, metavar="年度", help="报告年度，默认为输入文件夹中最新的年度。")
@click.option(
    "--inputs",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("inputs"),
    show_default=True,
    metavar="文件夹",
    help="存放各年度文件夹的输入文件夹。",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("templates"),
    show_default=True,
    metavar="文件夹",
    help="Word 模板所在的文件夹。",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    metavar="文件夹",
    help="输出文件夹，报告写入其中的年度子文件夹。",
)
@clean_exit
def build(year: int | None, inputs: Path, templates: Path, out: Path) -> None:
    """先做与 check 相同的检查，再生成全市质量年度报告（.docx）。

    有错误时只列出错误，不写任何文件。
    """
    cat = default_catalog()
    loaded = load_year(inputs, year, cat)
    if loaded.data is None:
        click.echo(f"检查 {loaded.folder} 发现错误，未生成报告：")
        print_report(loaded.report)
        sys.exit(1)
    outcome = run_build(
        loaded.data,
        cat,
        loaded.folder,
        templates,
        out,
        progress=lambda job: click.echo(f"正在生成{job.label}：{job.out}"),
    )
    extra = Report(outcome.issues)
    if len(extra):
        print_report(extra)
    warnings = len(loaded.report.warnings) + len(extra)
    names = "、".join(str(p) for p in outcome.written)
    click.echo(
        f"完成：生成 {len(outcome.written)} 份报告（{names}）；{warnings} 个警告，详见 docxreport check。"
    )
