"""``docxreport check``: validate a year's workbooks and the templates, list every problem."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.core import ParameterSource

from docxreport.catalog import default_catalog
from docxreport.commands.options import folder_option, inputs_option, year_option
from docxreport.confirmation import summary as confirmation_summary
from docxreport.console import clean_exit, print_report
from docxreport.errors import InputError
from docxreport.issues import Report
from docxreport.load import load_year
from docxreport.templatecheck import check_templates


@click.command("check", options_metavar="[选项]")
@year_option
@inputs_option
@folder_option(
    "--templates", "templates", "同时检查的 Word 模板所在的文件夹；默认文件夹不存在时跳过模板检查。"
)
@click.option("--strict", is_flag=True, help="有警告时也以失败状态退出。")
@click.pass_context
@clean_exit
def check(
    ctx: click.Context, year: int | None, inputs: Path, templates: Path, strict: bool
) -> None:
    """检查某年度的全部工作簿和 Word 模板，列出每个错误和警告（文件、工作表、单元格或段落）。

    工作簿的问题表之后，每所学校一行列出数据确认情况（学校名册的“已确认版本”是否与当前工作簿一致）。
    没有错误时退出状态为 0，有错误时为 1；加 --strict 时有警告也为 1。
    """
    explicit = ctx.get_parameter_source("templates") != ParameterSource.DEFAULT
    if explicit and not templates.is_dir():
        raise InputError(f"找不到模板文件夹 {templates}")
    cat = default_catalog()
    loaded = load_year(inputs, year, cat)
    click.echo(f"检查 {loaded.folder}：")
    print_report(loaded.report)
    if loaded.city is not None and loaded.confirmations:
        for line in confirmation_summary(loaded.city, loaded.confirmations):
            click.echo(line)
    reports = [loaded.report]
    if templates.is_dir():
        click.echo(f"检查模板 {templates}：")
        reports.append(Report(check_templates(templates, cat)))
        print_report(reports[-1])
    else:
        click.echo(f"没有模板文件夹 {templates}，跳过模板检查。")
    failed = any(not r.valid or (strict and r.warnings) for r in reports)
    sys.exit(1 if failed else 0)
