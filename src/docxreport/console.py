"""Printing for the command line: issue tables and the clean-exit decorator."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from docxreport.errors import DocxreportError
from docxreport.issues import BLANK, Report
from docxreport.layout import CITY_FILE
from docxreport.text import display_width


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - display_width(text))


def print_report(report: Report) -> None:
    """Print every issue as one table, sorted by file, sheet and cell."""
    issues = list(report)
    if not issues:
        click.echo("未发现问题。")
        return
    loc_w = min(48, max(display_width(str(i.loc)) for i in issues))
    ind_w = min(24, max([display_width(i.indicator) for i in issues] + [4]))
    click.echo(f"{pad('级别', 4)}  {pad('位置', loc_w)}  {pad('指标', ind_w)}  说明")
    for issue in issues:
        colour = "red" if issue.is_error else "yellow"
        click.echo(
            click.style(pad(issue.level, 4), fg=colour)
            + f"  {pad(str(issue.loc), loc_w)}  {pad(issue.indicator, ind_w)}  {issue.message}"
        )
    click.echo(f"共 {len(report.errors)} 个错误、{len(report.warnings)} 个警告。")


def workbook_warnings(report: Report) -> str:
    """Where a year's workbook warnings come from, e.g. ``工作簿 13 个 + 空白待补 613 个
    （学校 608、市级 5）``; ``check`` and ``build`` both say it so."""
    blank = [i for i in report.warnings if i.kind == BLANK]
    city = sum(i.loc.file == CITY_FILE for i in blank)
    parts = f"学校 {len(blank) - city}、市级 {city}" if city else f"学校 {len(blank)}"
    listed = len(report.warnings) - len(blank)
    return f"工作簿 {listed} 个 + 空白待补 {len(blank)} 个（{parts}）"


def print_fonts(lines: list[str]) -> None:
    """What prints for each font the documents ask for, one line each."""
    if lines:
        click.echo("字体（文档要求的字体 → 本机生成 PDF 时实际使用的字体）：")
        for line in lines:
            click.echo(f"  {line}")


def clean_exit(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`DocxreportError` (or any surprise) into a message and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DocxreportError as exc:
            click.secho(f"错误：{exc}", fg="red", err=True)
            sys.exit(1)
        except BrokenPipeError:
            sys.stderr.close()  # the reader (e.g. `| head`) went away: not an error
            sys.exit(0)
        except KeyboardInterrupt:
            click.secho("已中断，未完成的输出没有写入。", fg="red", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # never show a traceback to the compiling group
            click.secho(
                f"内部错误（{type(exc).__name__}：{exc}）。输出文件没有被改动。"
                "请把此信息和输入文件发给技术支持。",
                fg="red",
                err=True,
            )
            sys.exit(2)

    return wrapper
