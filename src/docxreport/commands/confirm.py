"""``docxreport confirm``: a 数据确认表 for each school to sign and stamp."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docxreport import layout as L
from docxreport.commands.options import (
    folder_option,
    force_option,
    holds_year_folder,
    inputs_option,
    school_option,
    year_option,
)
from docxreport.console import clean_exit, print_report
from docxreport.load import load_year, region_catalog


@click.command("confirm", options_metavar="[选项]")
@year_option
@inputs_option
@folder_option("--templates", "templates", "Word 模板所在的文件夹（据此确定报告印出哪些数字）。")
@folder_option("--out", "out", "输出文件夹，确认表写入其中的“年度/数据确认表”文件夹。")
@school_option("确认表")
@force_option("确认表")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 在每份 .docx 旁生成 PDF。")
@clean_exit
@holds_year_folder("confirm")
def confirm(
    year: int | None,
    inputs: Path,
    templates: Path,
    out: Path,
    schools: tuple[str, ...],
    force: bool,
    pdf: bool,
) -> None:
    """为每所学校生成数据确认表（.docx），列出报告印出的本校全部数据，供学校签字盖章。

    确认表印有数据表版本；学校签字盖章后，把版本填入市级数据表“学校名册”的“已确认版本”列，
    docxreport check 即可列出各校数据是否已确认、确认后是否又有改动。
    先做与 check 相同的检查，有错误时只列出错误，不写任何文件。
    """
    cat = region_catalog(inputs, year)
    loaded = load_year(inputs, year, cat)
    if loaded.data is None:
        click.echo(f"检查 {loaded.folder} 发现错误，未生成数据确认表：")
        print_report(loaded.report)
        sys.exit(1)
    data = loaded.data
    click.echo("正在按模板核对报告印出的数字…")
    from docxreport.confirm import FORM_DIR, write_forms  # Word machinery: loaded only here

    outcome = write_forms(
        data,
        cat,
        loaded.folder,
        templates,
        out,
        list(schools) or None,
        force=force,
        pdf=pdf,
        progress=lambda i, n, school, path: click.echo(
            f"[{i}/{n}] 正在生成{school.short}数据确认表：{path}"
        ),
    )
    for path, reason in outcome.backups:
        click.echo(f"已覆盖 {path}：{reason}")
    for path, reason in outcome.kept:
        click.secho(f"保留 {path}：{reason}", fg="yellow")
    for note in outcome.notes:
        click.secho(note, fg="yellow")
    for path in outcome.pdfs:
        click.echo(f"PDF：{path}")
    folder = out / str(data.year) / FORM_DIR
    done = f"完成：生成数据确认表 {len(outcome.written)} 份，保存在 {folder}。"
    if outcome.written:
        done += (
            f"学校签字盖章后，请把表上印的数据表版本填入 {loaded.folder / L.CITY_FILE} › "
            f"{L.REGISTRY_SHEET} 的“{L.CONFIRMED_HEADER}”列；docxreport check 会列出各校的确认情况。"
        )
    click.echo(done)
    if outcome.kept or outcome.pdf_missing:
        sys.exit(1)
