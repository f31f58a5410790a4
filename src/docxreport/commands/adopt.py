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
@click.option(
    "--bind-typed",
    is_flag=True,
    help='把与数据中恰好一个数相同的手写数字也改为占位符（如 {{ v("students") }}）。',
)
@clean_exit
def adopt(report: Path, templates: Path, inputs: Path, bind_typed: bool) -> None:
    """把已发布（编制组改定）的报告转为下一年度的模板，保留编制组的文字。

    报告中由数据生成的数字、表格、照片和案例、日期、目录还原为模板占位符，其余文字和格式原样保留。
    全市报告替换 city.docx；学校报告成为该校自己的模板（学校/<简称>.docx，生成时优先使用）。
    已有的模板先备份。手写在正文中的年份和数字列为警告：下一年度它们不会自动更新。
    """
    from docxreport.adopt import adopt as run_adopt  # loads the Word machinery

    # the template serves the coming year: checked against the newest year's catalog
    cat = region_catalog(inputs, None)
    data = _year_data(report, inputs, cat)
    with run_lock(templates, "adopt", notify=click.echo):
        done = run_adopt(report, templates, cat, data, bind_typed)
    click.echo(f"已把 {report} 转为模板 {done.target}")
    if done.backup:
        click.echo(f"原模板备份为 {done.backup.name}")
    for note in done.notes:
        click.secho(note, fg="yellow")
    _tell_typed(done, data is not None)
    checked = Report(done.issues)
    if len(checked):
        click.echo("模板检查：")
        print_report(checked)
    click.echo("下一步：docxreport init <新年度> 准备新一年的工作簿，填好后 docxreport build。")
    sys.exit(1 if not checked.valid else 0)


def _year_data(report: Path, inputs: Path, cat):  # type: ignore[no-untyped-def]
    """The data of the report's year, to compare its hand-written figures with; None when
    the year's workbooks are missing or have errors (said so)."""
    from docxreport.errors import DocxreportError
    from docxreport.load import load_year
    from docxreport.render.patch import ReportFile

    try:
        state = ReportFile(report).state
        year = state.year if state is not None else None
        loaded = load_year(inputs, year, cat) if year else None
    except DocxreportError:
        loaded = None
    if loaded is None or loaded.data is None:
        click.echo(f"未能读取 {inputs} 中该年度的工作簿，手写的数字未与数据比较。")
        return None
    return loaded.data


def _tell_typed(done, compared: bool) -> None:  # type: ignore[no-untyped-def]
    """The hand-written numbers, in four lists."""
    if done.bindable:
        verb = "已改为占位符" if done.bound else "可加 --bind-typed 改为占位符"
        click.echo(f"与数据中恰好一个数相同的手写数字 {len(done.bindable)} 处（{verb}）：")
        for finding, tag in done.bindable:
            click.echo(f"  {finding.where} › “{finding.excerpt}”：{finding.text} → {tag}")
    if done.disagree:
        click.echo(f"与数据不一致的手写数字 {len(done.disagree)} 处：")
        for finding in done.disagree:
            click.secho(f"  {finding.line()}", fg="yellow")
    for title, items in (("手写的年份", done.years), ("其他手写的数字", done.rest)):
        if items:
            click.echo(f"{title} {len(items)} 处（下一年度不会自动更新）：")
            for item in items:
                click.secho(f"  {item.line()}", fg="yellow")
    if done.bindable or done.disagree or done.handwritten:
        click.echo("请在模板中把需要随数据更新的改为占位符，或确认无需更新。")
