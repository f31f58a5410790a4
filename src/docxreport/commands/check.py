"""``docxreport check``: validate a year's workbooks and the templates, list every problem."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click
from click.core import ParameterSource

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.checks.confirmation import summary as confirmation_summary
from docxreport.checks.progress import SchoolProgress, school_progress
from docxreport.commands.options import folder_option, inputs_option, year_option
from docxreport.console import clean_exit, print_fonts, print_report, workbook_warnings
from docxreport.errors import InputError, OutputError
from docxreport.issues import BLANK, Issue, Report
from docxreport.load import Loaded, city_registry, load_year, region_catalog
from docxreport.pool import Background


@click.command("check", options_metavar="[选项]")
@year_option
@inputs_option
@folder_option(
    "--templates", "templates", "同时检查的 Word 模板所在的文件夹；默认文件夹不存在时跳过模板检查。"
)
@click.option("--strict", is_flag=True, help="有警告时也以失败状态退出。")
@click.option(
    "--report",
    "report_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="文件",
    help="另把检查结果写成 Excel 工作簿：汇总表，加每校一张问题表，每行链接到学校工作簿的单元格。",
)
@click.option(
    "--report-dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="文件夹",
    help="每校另写一个检查结果工作簿（<学校简称>_检查结果.xlsx），便于分发给各校。",
)
@click.option(
    "--edited",
    "edited",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="报告.docx",
    help="另检查编制组改过的报告（可写多次）：正文中手写的数字与数据不一致时列出（章节和原句）。",
)
@click.pass_context
@clean_exit
def check(
    ctx: click.Context,
    year: int | None,
    inputs: Path,
    templates: Path,
    strict: bool,
    report_file: Path | None,
    report_dir: Path | None,
    edited: tuple[Path, ...],
) -> None:
    """检查某年度的全部工作簿和 Word 模板，列出每个错误和警告（文件、工作表、单元格或段落）。

    工作簿的问题表之后，每所学校一行列出数据确认情况（学校名册的“已确认版本”是否与当前工作簿一致）。
    没有错误时退出状态为 0，有错误时为 1；加 --strict 时有警告也为 1。
    """
    explicit = ctx.get_parameter_source("templates") != ParameterSource.DEFAULT
    if explicit and not templates.is_dir():
        raise InputError(f"找不到模板文件夹 {templates}")
    cat = region_catalog(inputs, year)
    # The templates are checked in a second process while this one reads the workbooks.
    template_check = (
        Background(_check_templates, templates, cat, inputs, year) if templates.is_dir() else None
    )
    loaded = load_year(inputs, year, cat)
    if cat.region:
        click.echo(f"指标目录：程序自带，加上本地区的 {cat.region}")
    click.echo(f"检查 {loaded.folder}：")
    print_report(loaded.report.without(BLANK))
    progress = _progress(loaded, cat)
    _selection(loaded, cat, templates)
    _write_reports(loaded, progress, report_file, report_dir)
    reports = [loaded.report]
    if template_check is not None:
        click.echo(f"检查模板 {templates}：")
        issues, fonts = template_check.result()
        reports.append(Report(issues))
        print_report(reports[-1])
        print_fonts(fonts)
    else:
        click.echo(f"没有模板文件夹 {templates}，跳过模板检查。")
    errors = sum(len(r.errors) for r in reports)
    tail = f" + 模板 {len(reports[-1].warnings)} 个" if template_check is not None else ""
    total = sum(len(r.warnings) for r in reports)
    click.echo(
        f"合计：错误 {errors} 个；警告 {total} 个 = {workbook_warnings(loaded.report)}{tail}。"
    )
    typed = _check_edited(edited, loaded, cat) if edited else 0
    failed = any(not r.valid or (strict and r.warnings) for r in reports) or (strict and typed)
    sys.exit(1 if failed else 0)


def _check_edited(paths: tuple[Path, ...], loaded: Loaded, cat: Catalog) -> int:
    """List the hand-typed figures of edited reports that the data contradicts; how many."""
    from docxreport.figureaudit import audit_report
    from docxreport.layout import PHOTO_DIR
    from docxreport.render.patch import ReportFile

    if loaded.data is None:
        click.echo("工作簿有错误，未检查报告中手写的数字。")
        return 0
    count = 0
    for path in paths:
        try:
            report = ReportFile(path)
        except OutputError as exc:
            raise InputError(str(exc)) from exc
        found = audit_report(report, loaded.data, cat, loaded.folder / PHOTO_DIR)
        wrong = [f for f in found if not f.agrees]
        click.echo(
            f"检查报告 {path}：正文中手写的数字 {len(found)} 处，与数据不一致 {len(wrong)} 处"
            + ("：" if wrong else "。")
        )
        for finding in wrong:
            click.secho(f"  {finding.line()}", fg="yellow")
        count += len(wrong)
    return count


def _check_templates(
    templates: Path, cat: Catalog, inputs: Path, year: int | None
) -> tuple[list[Issue], list[str]]:
    """The template check, with school names checked against the registry when it reads,
    and what prints for the fonts the templates ask for (its warnings among the issues)."""
    from docxreport.checks.templates import check_templates  # reads .docx: only when asked
    from docxreport.finish.fontuse import font_report, template_documents

    issues = check_templates(templates, cat, city_registry(inputs, year, cat))
    fonts = font_report(template_documents(templates))
    return issues + fonts.issues, fonts.lines


def _progress(loaded: Loaded, cat) -> list[SchoolProgress]:
    """Print one line per school; return the lines for the report workbook."""
    if loaded.city is None:
        return []
    briefs = {c.school.short: c.brief() for c in loaded.confirmations}
    progress = [
        replace(p, confirmation=briefs.get(p.school.short, ""))
        for p in school_progress(
            loaded.city.registry, loaded.files, loaded.schools, loaded.report, cat
        )
    ]
    click.echo("填报进度与数据确认（本年数，每校一行）：")
    for p in progress:
        click.echo(f"  {p.line()}")
    city = [i for i in loaded.report.of_file(loaded.city.file) if i.kind == BLANK]
    if city:
        click.echo(
            f"  {loaded.city.file}：市级填报的指标空白待补 {len(city)} 个（"
            + "、".join(f"{i.indicator}（{i.loc.sheet}!{i.loc.cell}）" for i in city)
            + "）"
        )
    if loaded.confirmations:
        heading, *_, counts = confirmation_summary(loaded.city, loaded.confirmations)
        click.echo(f"{heading.rstrip('：')}。{counts}")
    blank = sum(p.blank for p in progress) + len(city)
    if blank:
        click.echo(
            f"另有 {blank} 个报告中印出的指标空白（将印为“—”），计为警告；"
            "逐项清单用 --report 或 --report-dir 写出。"
        )
    return progress


def _selection(loaded: Loaded, cat: Catalog, templates: Path) -> None:
    """Bring the selection sheet up to date; say how long the city report will be."""
    from docxreport.selection.estimate import city_estimate, summary
    from docxreport.selection.sync import sync_selection

    if loaded.city is None:
        return
    city_errors = [i for i in loaded.report.errors if i.loc.file == loaded.city.file]
    if city_errors:  # never write into a workbook that does not read cleanly
        click.secho(f"{loaded.city.file} 有错误，{L.SELECTION_SHEET} 表未更新。", fg="yellow")
        return
    synced = sync_selection(loaded.folder, loaded.city, loaded.schools)
    if synced.line():
        click.secho(synced.line(), fg="yellow" if synced.reason else None)
    if loaded.data is None:
        click.echo("工作簿有错误，改正后再估算全市报告的页数。")
        return
    data = replace(loaded.data, selection=synced.selection or loaded.data.selection)
    estimate = city_estimate(data, cat, loaded.folder, templates)
    if estimate is None:
        click.echo(f"没有可读的全市报告模板（{templates}），未估算页数。")
        return
    sel = data.selection
    cases, photos = sel.submitted() if sel is not None else (estimate.cases, estimate.photos)
    how = _how_chosen(sel)
    if (cases, photos) != (estimate.cases, estimate.photos):
        everything = city_estimate(replace(data, selection=None), cat, loaded.folder, templates)
        how += f"（全部收入约 {everything.pages} 页）" if everything is not None else ""
    click.echo(f"{summary(estimate)}；各校和市级共提交案例 {cases} 个、照片 {photos} 张，{how}。")


def _how_chosen(sel) -> str:
    if sel is None:
        return "全部收入"
    if sel.chosen_any:
        return "按编制组的遴选收入"
    if sel.default_all:
        return "尚未遴选，未超过上限，默认全部收入"
    return "尚未遴选，超过上限，暂只收入市级自己的案例和图片"


def _write_reports(
    loaded: Loaded, progress: list[SchoolProgress], file: Path | None, folder: Path | None
) -> None:
    if file is None and folder is None:
        return
    from docxreport.workbook.findings import (
        cell_contents,
        sections_of,
        split_name,
        write_findings,
    )

    sections = sections_of(progress, list(loaded.report))
    values = cell_contents([*loaded.schools, *([loaded.city] if loaded.city else [])])
    if file is not None:
        write_findings(file, sections, values, loaded.folder)
        click.echo(f"检查结果已写入 {file}")
    if folder is not None:
        for section in sections:
            if section.progress is not None:
                write_findings(
                    folder / split_name(section), [section], values, loaded.folder, folder
                )
        click.echo(f"各校检查结果已写入 {folder}（{len(progress)} 个文件）")
