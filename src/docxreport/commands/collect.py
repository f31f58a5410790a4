"""``docxreport collect``: file the workbooks and photos schools sent back."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docxreport.collect import collect as collect_files
from docxreport.collect.followup import follow_up
from docxreport.commands.options import (
    folder_option,
    holds_year_folder,
    inputs_option,
    year_option,
)
from docxreport.console import clean_exit, print_report
from docxreport.issues import BLANK
from docxreport.load import region_catalog


@click.command("collect", options_metavar="[选项]")
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path),
    metavar="路径...",
)
@year_option
@inputs_option
@folder_option("--out", "out", "输出文件夹，收表登记写入其中的“年度/收表登记.xlsx”。")
@clean_exit
@holds_year_folder("collect")
def collect(paths: tuple[Path, ...], year: int | None, inputs: Path, out: Path) -> None:
    """收取学校交回的工作簿和照片（文件、文件夹或 .zip 均可，文件名随意）。

    按工作簿“基本信息”中的学校和年度辨认是哪所学校的，放到 inputs/<年度>/学校/<简称>.xlsx
    （已有不同版本时先备份旧版本），照片放入 图片/；其他文件留在原处并说明原因。
    然后做与 check 相同的检查，并更新收表登记和催报名单（<out>/<年度>/收表登记.xlsx）。
    全部收取且新收的工作簿没有错误时退出状态为 0，否则为 1。
    """
    cat = region_catalog(inputs, year)
    done = collect_files(list(paths), inputs, year, cat)
    click.echo(f"收取到 {done.folder}（共 {len(done.received)} 个文件）：")
    for r in done.received:
        colour = "red" if r.refused else None
        click.secho(f"  {r.line()}", fg=colour)
    click.echo("各校（每校一行）：")
    for o in done.schools:
        click.echo(f"  {o.line()}")
    after = follow_up(done, inputs, cat, out)
    filed = {s.short for s in done.filed}
    if filed:
        click.echo(f"检查新收的工作簿（{'、'.join(s.short for s in done.filed)}）：")
        print_report(after.issues.without(BLANK))
        for p in after.progress:
            if p.school.short in filed:
                click.echo(f"  {p.line()}")
    else:
        click.echo("没有新收或更新的工作簿。")
    if after.selection:
        click.echo(after.selection)
    if after.register is not None:
        reg = after.register
        if reg.note:
            click.echo(reg.note)
        state = "已更新" if reg.written else "无变化，未改写"
        click.echo(f"收表登记 {reg.path}：{state}；催报名单 {reg.reminders} 所学校。")
    if not done.changed:
        click.echo(f"没有写入 {done.folder} 的任何文件。")
    if done.refused:
        click.echo(f"有 {len(done.refused)} 个文件未收取，已留在原处（原因见上）。")
    sys.exit(1 if done.refused or after.failed else 0)
