"""``docxreport build``: validate, then write the reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docxreport.commands.options import (
    folder_option,
    force_option,
    holds_year_folder,
    inputs_option,
    school_option,
    year_option,
)
from docxreport.console import clean_exit, print_fonts, print_report, workbook_warnings
from docxreport.issues import BLANK, Issue, Report
from docxreport.load import Loaded, load_year, region_catalog
from docxreport.pool import default_jobs


@click.command("build", options_metavar="[选项]")
@year_option
@inputs_option
@folder_option("--templates", "templates", "Word 模板所在的文件夹。")
@folder_option("--out", "out", "输出文件夹，报告写入其中的年度子文件夹。")
@school_option("报告")
@click.option("--city-only", is_flag=True, help="只生成全市报告，不生成各校报告。")
@force_option("报告")
@click.option(
    "--pdf",
    is_flag=True,
    help="同时用 LibreOffice 在每份 .docx 旁生成 PDF（带标签，供读屏软件朗读），并列出所用字体及代用字体。",
)
@click.option(
    "--pdf-archive",
    is_flag=True,
    help="生成符合 PDF/A-2b 长期保存格式的 PDF，供档案归档（含 --pdf）。",
)
@click.option(
    "--draft",
    is_flag=True,
    help="生成征求意见稿：缺少或有错误的学校印为【待补】，依赖它们的合计也印为【待补】，每页页眉印“征求意见稿”。",
)
@click.option(
    "--no-page-numbers",
    is_flag=True,
    help="不填写目录页码（不调用 LibreOffice，生成更快）。",
)
@click.option(
    "--jobs",
    "-j",
    type=int,
    default=None,
    metavar="N",
    callback=lambda ctx, param, value: _at_least_one(value),
    help="同时生成的报告份数（每份一个进程），默认为本机的处理器核数。",
)
@clean_exit
@holds_year_folder("build")
def build(
    year: int | None,
    inputs: Path,
    templates: Path,
    out: Path,
    schools: tuple[str, ...],
    city_only: bool,
    force: bool,
    pdf: bool,
    pdf_archive: bool,
    draft: bool,
    no_page_numbers: bool,
    jobs: int | None,
) -> None:
    """先做与 check 相同的检查，再生成全市报告和各校报告（.docx）。

    默认生成全市报告和名册中每所学校的报告；学校报告写入年度文件夹下的“学校”文件夹。
    有错误时只列出错误，不写任何文件；加 --draft 时学校工作簿的错误不阻止生成征求意见稿。
    """
    if schools and city_only:
        raise click.UsageError("--school 与 --city-only 不能同时使用。")
    from docxreport.build import Options  # Word machinery: loaded only to build
    from docxreport.build import build as run_build

    cat = region_catalog(inputs, year)
    loaded = load_year(inputs, year, cat, draft=draft)
    if loaded.data is None:
        click.echo(f"检查 {loaded.folder} 发现错误，未生成报告：")
        print_report(loaded.report.without(BLANK) if draft else Report(loaded.report.errors))
        if draft:
            click.echo("征求意见稿只容许学校工作簿中的错误；请先改正上面市级数据表等处的错误。")
        sys.exit(1)
    if draft:
        _list_pending(loaded)
    estimate = _estimate(loaded, cat, templates, city=not schools)
    outcome = run_build(
        loaded.data,
        cat,
        loaded.folder,
        templates,
        out,
        progress=Progress(),
        schools=list(schools) if schools else ([] if city_only else None),
        city=not schools,
        options=Options(
            force=force,
            draft=draft,
            page_numbers=not no_page_numbers,
            pdf=pdf or pdf_archive,
            archive=pdf_archive,
            jobs=jobs or default_jobs(),
            notify=click.echo,
        ),
    )
    for path, reason in outcome.backups:
        click.echo(f"已覆盖 {path}：{reason}")
    for path, reason in outcome.kept:
        click.secho(f"保留 {path}：{reason}", fg="yellow")
    for note in outcome.notes:
        click.secho(note, fg="yellow")
    _list_failed(outcome)
    if outcome.sources:
        click.echo(f"数据来源清单：{outcome.sources}")
    if outcome.layouts:
        click.echo(_layouts_line(outcome.layouts))
    if estimate is not None and outcome.city_pages:
        error = (estimate.pages - outcome.city_pages) / outcome.city_pages
        click.echo(
            f"全市报告排版后共 {outcome.city_pages} 页；生成前估计 {estimate.pages} 页"
            f"（误差 {error:+.0%}）。"
        )
    for path in outcome.pdfs:
        click.echo(f"PDF：{path}")
    if outcome.pdfs:
        outcome.issues += _fonts(outcome)
    extra = Report(outcome.issues)
    if len(extra):
        print_report(extra)
    warnings = len(loaded.report.warnings) + len(extra.warnings)
    sources = (
        f"{workbook_warnings(loaded.report)} + 生成的报告 {len(extra.warnings)} 个"
        f"{'（见上）' if extra.warnings else ''}；工作簿两项与 docxreport check 相同"
    )
    n_schools = sum(job.school is not None for job in outcome.done)
    n_city = len(outcome.done) - n_schools
    made = [f"全市报告 {n_city} 份"] * bool(n_city) + [f"学校报告 {n_schools} 份"] * bool(n_schools)
    kind = "征求意见稿" if draft else ""
    click.echo(
        f"完成：生成{kind}{'、'.join(made) or ' 0 份报告'}，保存在 {out / str(loaded.data.year)}；"
        + (f"{len(outcome.failed)} 份未能生成（原因见上）；" if outcome.failed else "")
        + f"警告 {warnings} 个 = {sources}。"
    )
    if draft:
        _list_pending(loaded)
    if outcome.kept or outcome.pdf_missing or outcome.failed:
        sys.exit(1)


def _at_least_one(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise click.BadParameter(f"{value} 小于 1；至少同时生成 1 份报告")
    return value


def _estimate(loaded: Loaded, cat: Any, templates: Path, city: bool) -> Any:
    """Print the city report's estimated length (and what it carries) before building."""
    if not city or loaded.data is None:
        return None
    from docxreport.selection.estimate import city_estimate, summary

    estimate = city_estimate(loaded.data, cat, loaded.folder, templates)
    if estimate is not None:
        click.echo(f"{summary(estimate)}（按 市级.xlsx › 案例与图片遴选）。")
    sel = loaded.data.selection
    if sel is not None and not sel.chosen_any and not sel.default_all:
        cases, photos = sel.submitted()
        click.secho(
            f"尚未遴选：各校和市级共提交案例 {cases} 个、照片 {photos} 张，超过全市报告的上限，"
            "全市报告暂只收入市级自己的案例和图片；请在 市级.xlsx › 案例与图片遴选 中选择"
            "（先运行 docxreport check 更新该表）。",
            fg="yellow",
        )
    return estimate


class Progress:
    """One line per report; on a terminal, a bar with the time left instead."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.tty = sys.stdout.isatty()

    def __call__(self, i: int, n: int, job: Any) -> None:
        if not self.tty or n < 3:
            click.echo(f"[{i}/{n}] 正在生成{job.label}：{job.out}")
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=n,
                label="正在生成报告",
                show_eta=True,
                show_pos=True,
                item_show_func=lambda label: label or "",
                info_sep="  ",
            )
            self.bar.__enter__()
        self.bar.update(1, job.label)
        if i == n:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _fonts(outcome: Any) -> list[Issue]:
    """List what printed for each font the templates and reports ask for; the missing ones."""
    from docxreport.finish.fontuse import font_report

    templates = {
        job.template: f"{job.template.parent.name}/{job.template.name}" for job in outcome.done
    }
    reports = [(job.out, job.out.name) for job in outcome.done]
    fonts = font_report([*templates.items(), *reports])
    print_fonts(fonts.lines)
    return fonts.issues


def _layouts_line(layouts: list[int]) -> str:
    """How many LibreOffice layouts the page numbers took: one per report whose pages held."""
    moved = sum(n > 1 for n in layouts)
    why = (
        f"其中 {moved} 份为首次生成或页码有变动，填入新页码后再排版核对"
        if moved
        else "页码均与上次生成时相同，各排版 1 次即核对完毕"
    )
    return f"目录页码已填写：{len(layouts)} 份报告共排版 {sum(layouts)} 次（{why}）"


def _list_failed(outcome: Any) -> None:
    """The reports that could not be made, each with its reason (template and paragraph)."""
    if not outcome.failed:
        return
    click.secho(f"以下 {len(outcome.failed)} 份报告未能生成（其余报告已照常生成）：", fg="red")
    for job, reason in outcome.failed:
        click.echo(f"  {job.label}（{job.out.name}）：{reason}")


def _list_pending(loaded: Loaded) -> None:
    """What a draft still waits for: each school printed as 【待补】, and why."""
    if not loaded.pending:
        click.echo("征求意见稿：各校数据均已收齐，没有【待补】的学校。")
        return
    click.secho(f"征求意见稿：以下 {len(loaded.pending)} 所学校的数据印为【待补】：", fg="yellow")
    for school in loaded.pending:
        file = loaded.files.get(school.short)
        errors = len([i for i in loaded.report.errors if file and i.loc.file == file])
        why = f"{file} 有 {errors} 个错误" if file else "未交工作簿"
        click.echo(f"  {school.short}（{school.full}）：{why}")
    click.echo("依赖这些学校的全市合计、比值也印为【待补】；运行 docxreport check 查看详情。")
