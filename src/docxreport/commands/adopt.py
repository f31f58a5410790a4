"""``docxreport adopt``: turn a published report into next year's template."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docxreport.commands.options import folder_option, inputs_option
from docxreport.console import clean_exit, print_report
from docxreport.issues import Report
from docxreport.load import region_catalog
from docxreport.runlock import run_lock


@click.command("adopt", options_metavar="[选项]")
@click.argument(
    "report", type=click.Path(path_type=Path, dir_okay=False, exists=True), metavar="报告.docx"
)
@folder_option(
    "--templates",
    "templates",
    "模板文件夹：全市报告写入 city.docx，学校报告写入 学校/<简称>.docx。",
)
@inputs_option
@clean_exit
def adopt(report: Path, templates: Path, inputs: Path) -> None:
    """把已发布（编制组改定）的报告转为下一年度的模板，保留编制组的文字。

    报告中由数据生成的数字、表格、照片和案例、日期、目录还原为模板占位符，其余文字和格式原样保留。
    全市报告替换 city.docx；学校报告成为该校自己的模板（学校/<简称>.docx，生成时优先使用）。
    已有的模板先备份。手写在正文中的年份和数字列为警告：下一年度它们不会自动更新。
    """
    from docxreport.adopt import adopt as run_adopt  # loads the Word machinery

    # the template serves the coming year: checked against the newest year's catalog
    cat = region_catalog(inputs, None)
    with run_lock(templates, "adopt", notify=click.echo):
        done = run_adopt(report, templates, cat)
    click.echo(f"已把 {report} 转为模板 {done.target}")
    if done.backup:
        click.echo(f"原模板备份为 {done.backup.name}")
    for note in done.notes:
        click.secho(note, fg="yellow")
    for item in done.handwritten:
        click.secho(f"警告  {item.line()}", fg="yellow")
    if done.handwritten:
        click.echo(
            f"共 {len(done.handwritten)} 处手写的年份或数字；请在模板中改为占位符或确认无需更新。"
        )
    checked = Report(done.issues)
    if len(checked):
        click.echo("模板检查：")
        print_report(checked)
    click.echo("下一步：docxreport init <新年度> 准备新一年的工作簿，填好后 docxreport build。")
    sys.exit(1 if not checked.valid else 0)
