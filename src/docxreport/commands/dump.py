"""``docxreport dump``: print a Word file's text, for review and git diffs."""

from __future__ import annotations

from pathlib import Path

import click

from docxreport.console import clean_exit


@click.command("dump", options_metavar="[选项]")
@click.argument(
    "docx", type=click.Path(path_type=Path, dir_okay=False, exists=True), metavar="文件"
)
@clean_exit
def dump(docx: Path) -> None:
    """以纯文本列出 Word 文件（模板或报告）的段落和表格，便于审阅和比较改动。

    段落前的方括号是样式名；表格每行一行，单元格以“ | ”分隔。
    """
    from docxreport.dump import blocks  # python-docx: loaded only to dump

    for line in blocks(docx):
        click.echo(line)
