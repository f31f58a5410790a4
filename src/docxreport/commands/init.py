"""``docxreport init``: prepare a new year's workbooks, carried over from last year."""

from __future__ import annotations

from pathlib import Path

import click

from docxreport import layout as L
from docxreport.catalog import Catalog
from docxreport.commands.options import folder_option, inputs_option
from docxreport.console import clean_exit
from docxreport.errors import InputError
from docxreport.init import (
    Outcome,
    carry_catalog,
    chapters,
    missing,
    plan,
    previous_year,
    refuse_bad_registry,
    write_missing,
)
from docxreport.load import load_year, region_catalog, year_folders
from docxreport.model import CityData, Dataset
from docxreport.workbook import read_city

SHOWN_ERRORS = 10  # last year's errors listed when they stop the carry-over


@click.command("init", options_metavar="[选项]")
@click.argument("year", metavar="年度", type=click.IntRange(2000, 2100))
@click.option(
    "--from",
    "source",
    type=int,
    metavar="年度",
    help="从哪一年结转数据，默认为早于 年度 的最新年度。",
)
@inputs_option
@folder_option(
    "--templates",
    "templates",
    "报告模板所在的文件夹；其中放案例、照片的章节成为工作簿“章节”列的下拉选项。",
)
@clean_exit
def init(year: int, source: int | None, inputs: Path, templates: Path) -> None:
    """为新年度准备工作簿：inputs/年度/ 下的市级数据表、每校一个数据表和图片文件夹。

    各校上年的“本年”数结转为新表的“上年”数，市级数据表的上年列为上年报告中的全市数；
    地区信息、编制组和学校名册照抄；本地区的指标目录（指标目录.xlsx）带到新年度，工作簿按它生成。
    已有的文件一律保留，只写入缺少的文件。
    """
    folder = inputs / str(year)
    source = previous_year(year_folders(inputs), year, source)
    # the region's words: from the new year's city workbook when it exists, else last year's
    # its catalog: the new year's file when there is one, else the one carried from ``source``
    cat = region_catalog(inputs, year, carried_from=source)
    registry = _existing_registry(folder, cat, year)
    prev = None
    if source is None and registry is None:
        raise InputError(
            f"{inputs} 中没有早于 {year} 的年度文件夹，无法结转。请把上一年度的数据放在 "
            f"{inputs}/<年度>/ 下后再运行；或者先准备好 {folder}/{L.CITY_FILE}（含学校名册），"
            "再运行本命令生成空白的学校数据表。"
        )
    if source is not None and (registry is None or missing(folder, registry.registry)):
        prev = _load_previous(inputs, source, region_catalog(inputs, source))
    new = plan(year, cat, prev, registry)
    if prev is not None:
        how = f"由 {source} 年结转"
    elif source is None:
        how = f"没有可结转的年度，按已有 {L.CITY_FILE} 的学校名册生成空白数据表"
    else:
        how = "所需文件均已存在"
    click.echo(f"准备 {folder}（{how}）：")
    if cat.region:
        click.echo(f"指标目录：程序自带，加上本地区的 {cat.region}")
    outcomes = carry_catalog(inputs, source, year) + write_missing(
        folder, cat, new, chapters(templates)
    )
    for outcome in outcomes:
        click.echo("  " + _line(outcome))
    click.echo(_summary(outcomes, folder, year, _inputs_option(inputs)))


def _existing_registry(folder: Path, cat: Catalog, year: int) -> CityData | None:
    """The new year's city workbook, when it already exists and names its schools."""
    path = folder / L.CITY_FILE
    if not path.is_file():
        return None
    city, issues = read_city(path, L.CITY_FILE, cat, year)
    refuse_bad_registry(issues)
    if city is None or not city.registry:
        click.echo(f"注意：{path} 已存在，但读不出学校名册；学校数据表按上年名册生成。")
        return None
    return city


def _load_previous(inputs: Path, source: int, cat: Catalog) -> Dataset:
    loaded = load_year(inputs, source, cat)
    if loaded.data is None:
        errors = loaded.report.errors
        shown = "".join(f"\n  {i.loc} {i.message}" for i in errors[:SHOWN_ERRORS])
        more = (
            f"\n  ……（另有 {len(errors) - SHOWN_ERRORS} 个）" if len(errors) > SHOWN_ERRORS else ""
        )
        raise InputError(
            f"{source} 年的数据有 {len(errors)} 个错误，无法结转，没有写入任何文件。"
            f"请先运行 docxreport check --year {source}{_inputs_option(inputs)}，"
            f"改正错误后再运行本命令：{shown}{more}"
        )
    return loaded.data


def _inputs_option(inputs: Path) -> str:
    """`` --inputs …`` for a command to suggest, unless the default folder is used."""
    return "" if inputs == Path("inputs") else f" --inputs {inputs}"


def _line(outcome: Outcome) -> str:
    if outcome.rel.endswith("/"):
        return f"创建  {outcome.rel}" if outcome.written else f"保留  {outcome.rel}（已存在）"
    if outcome.written:
        return f"写入  {outcome.rel}"
    return f"保留  {outcome.rel}（已存在，未改动）"


def _summary(outcomes: list[Outcome], folder: Path, year: int, option: str) -> str:
    files = [o for o in outcomes if not o.rel.endswith("/")]
    written = sum(o.written for o in files)
    kept = len(files) - written
    head = f"完成：写入 {written} 个工作簿，保留 {kept} 个已有文件。"
    if not written:
        return head + "没有需要写入的文件。"
    return (
        head + f"请把 {folder / L.SCHOOL_DIR} 中的工作簿发给各校填写，收回后放回原处，"
        f"运行 docxreport check --year {year}{option} 检查。"
    )
