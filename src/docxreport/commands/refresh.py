"""``docxreport refresh``: corrected figures into reports that staff have edited."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docxreport.commands.options import folder_option, inputs_option, year_option
from docxreport.console import clean_exit, print_report
from docxreport.errors import InputError, OutputError
from docxreport.finish.manifest import Manifest, lock_files
from docxreport.issues import Report
from docxreport.load import load_year, region_catalog, resolve_year
from docxreport.runlock import run_lock

if TYPE_CHECKING:
    from docxreport.refreshed import Refreshed
    from docxreport.render.patch import ReportFile

SOURCES_FILE = "数据来源.xlsx"
CHANGED = 3  # exit status when some report changed (0: nothing changed, 1: errors)


@click.command("refresh", options_metavar="[选项]")
@click.argument(
    "reports", nargs=-1, type=click.Path(path_type=Path, dir_okay=False), metavar="[报告.docx]..."
)
@year_option
@inputs_option
@folder_option("--out", "out", "输出文件夹；不指定报告时刷新其中该年度的全部报告。")
@click.option(
    "--draft",
    is_flag=True,
    help="按征求意见稿读取：缺少或有错误的学校印为【待补】；各校齐全后页眉的“征求意见稿”会去掉。",
)
@click.option("--no-page-numbers", is_flag=True, help="不重新填写目录页码（不调用 LibreOffice）。")
@click.option(
    "--track",
    is_flag=True,
    help="把改动写成修订（作者“docxreport（数据更新）”），供审阅时逐处接受或拒绝；"
    "图表的改动写在批注中，报告开头另加一条汇总批注。",
)
@clean_exit
def refresh(
    reports: tuple[Path, ...],
    year: int | None,
    inputs: Path,
    out: Path,
    draft: bool,
    no_page_numbers: bool,
    track: bool,
) -> None:
    """把工作簿中改正后的数字更新到已经在 Word/WPS 中修改过的报告里。

    只改动报告中由数据生成、且数值有变化的数字和表格；编制组改写的文字、格式、批注和修订都保留。
    被删除或改写的数字不会放回，列为“不再关联”；编制组手写的数字与数据不一致时列出。
    改动前先备份（<原名>.备份-<日期时间>.docx）。
    没有报告变化时退出状态为 0，有报告被更新时为 3；有错误时（不写任何文件），或需要更新的报告
    正被 Word/WPS 打开而未能更新时为 1。
    """
    opened = _open(reports, out, year, inputs)
    years = {r.state.year for r in opened if r.state is not None}
    if len(years) > 1:
        raise InputError(
            f"所给报告分属不同年度（{'、'.join(map(str, sorted(years)))}），请分别刷新"
        )
    year = resolve_year(inputs, years.pop() if years else year)
    with run_lock(out / str(year), "refresh", notify=click.echo):
        _refresh(opened, year, inputs, out, draft, no_page_numbers, track)


def _refresh(
    opened: list[ReportFile],
    year: int,
    inputs: Path,
    out: Path,
    draft: bool,
    no_pages: bool,
    track: bool = False,
) -> None:
    from docxreport.refresh import Refresher, save  # loads the Word machinery

    cat = region_catalog(inputs, year)
    loaded = load_year(inputs, year, cat, draft=draft)
    if loaded.data is None:
        click.echo(f"检查 {loaded.folder} 发现错误，未刷新任何报告：")
        print_report(Report(loaded.report.errors))
        sys.exit(1)
    refresher = Refresher(loaded.data, cat, loaded.folder, not loaded.pending, track)
    done: list[Refreshed] = []
    skipped: list[Refreshed] = []  # open in Word/WPS, with figures to update
    for report in opened:
        result = refresher.refresh(report)  # in memory: nothing is written yet
        locks = lock_files(report.path)
        if locks:
            needed = f"有 {len(result.changes)} 处数字需要更新，" if result.changed else ""
            click.secho(
                f"跳过 {report.path}：文件正被 Word/WPS 打开（{locks[0].name}），"
                f"{needed}请关闭后再刷新",
                fg="yellow",
            )
            if result.changed:
                skipped.append(result)
            continue
        _tell(result)
        if result.changed:
            save(report, result, _manifest(report.path, out))
            click.echo(f"已更新 {result.path}（原文件备份为 {result.backup.name}）")
        done.append(result)
    changed = [r for r in done if r.changed]
    _finish(changed, done, out / str(loaded.data.year), no_pages)
    unlinked = sum(len(r.unlinked) for r in done)
    figures = sum(len(r.changes) for r in done)
    copies = sum(len(r.copies) for r in done)
    mixed = sum(1 for r in done for u in r.unlinked if u.mixed)
    stale = f"，{copies} 处复制的数字仍为旧值" if copies else ""
    stale += f"，{mixed} 句新旧数字混杂" if mixed else ""
    typed = sum(len(r.handwritten) for r in done)
    stale += f"，{typed} 处手写的数字与数据不一致" if typed else ""
    click.echo(
        f"完成：检查 {len(done)} 份报告，更新 {len(changed)} 份，"
        f"{figures} 处数字有变化，{unlinked} 处不再关联{stale}。"
        + (f"另有 {len(skipped)} 份需要更新的报告正被打开，未能更新。" if skipped else "")
    )
    if skipped:
        sys.exit(1)
    sys.exit(CHANGED if changed else 0)


def _open(reports: tuple[Path, ...], out: Path, year: int | None, inputs: Path) -> list[ReportFile]:
    """The reports to refresh: those named, or every report of the year folder."""
    from docxreport.refresh import report_files
    from docxreport.render.patch import ReportFile

    if not reports:
        if year is None:
            from docxreport.load import resolve_year

            year = resolve_year(inputs, None)
        folder = out / str(year)
        reports = tuple(report_files(folder))
        if not reports:
            raise InputError(f"{folder} 中没有报告；请先运行 docxreport build，或指定报告文件")
    opened = []
    for path in reports:
        if not path.is_file():
            raise InputError(f"找不到报告 {path}")
        try:
            report = ReportFile(path)
        except OutputError as exc:
            raise InputError(str(exc)) from exc
        if report.state is None:
            click.secho(
                f"跳过 {path}：没有 docxreport 的标记信息（不是本工具生成的报告）", fg="yellow"
            )
            continue
        opened.append(report)
    return opened


def _manifest(path: Path, out: Path) -> Manifest | None:
    """The manifest of the year folder the report lives in, when it lives under ``out``."""
    for folder in (path.parent, path.parent.parent):
        if (folder / ".docxreport-manifest.json").is_file():
            return Manifest.load(folder)
    return None


def _tell(result: Refreshed) -> None:
    for change in result.changes:
        click.echo(change.line())
    for unlinked in result.unlinked:
        click.secho(unlinked.line(), fg="yellow")
    for copied in result.copies:
        click.secho(copied.line(), fg="yellow")
    for finding in result.handwritten:
        click.secho(f"{result.label} › {finding.line()}", fg="yellow")
    for note in result.notes:
        click.secho(note.lstrip("!"), fg="yellow")


def _finish(
    changed: list[Refreshed], done: list[Refreshed], year_dir: Path, no_pages: bool
) -> None:
    """The data-source listing and the contents' page numbers of the updated reports."""
    if done and year_dir.is_dir():
        from docxreport.refresh import relisted
        from docxreport.workbook.sources import read_rows, write_sources

        sources = year_dir / SOURCES_FILE
        write_sources(sources, relisted(read_rows(sources), done))
        manifest = Manifest.load(year_dir)
        manifest.record(sources)
        manifest.save()
        click.echo(f"数据来源清单：{sources}")
    if not changed or no_pages:
        return
    from docxreport.finish.pagenums import fill_page_numbers_many
    from docxreport.finish.pdf import find_soffice

    if find_soffice() is None:
        click.secho("未安装 LibreOffice，目录页码未重新填写。", fg="yellow")
        return
    click.echo(f"正在用 LibreOffice 重新填写目录页码（{len(changed)} 份报告）…")
    with tempfile.TemporaryDirectory(prefix="docxreport-") as tmp:
        try:
            fill_page_numbers_many([r.path for r in changed], Path(tmp), jobs=2)
        except OutputError as exc:
            click.secho(f"目录页码未完成：{exc}", fg="yellow")
            return
    for result in changed:
        manifest = _manifest(result.path, year_dir.parent)
        if manifest is not None:
            manifest.record(result.path, edited=manifest.key(result.path) in manifest.edited)
            manifest.save()
