"""``docxreport new``: start a region from nothing."""

from __future__ import annotations

from pathlib import Path

import click

from docxreport import layout as L
from docxreport.catalog import default_catalog
from docxreport.commands.options import folder_option, inputs_option
from docxreport.console import clean_exit
from docxreport.init import refuse_bad_registry
from docxreport.newregion import start_region
from docxreport.regional import REGION_FILE
from docxreport.workbook import read_city


@click.command("new", options_metavar="[选项]")
@click.argument("year", metavar="年度", type=click.IntRange(2000, 2100))
@inputs_option
@folder_option("--templates", "templates", "写入起步模板的文件夹。")
@clean_exit
def new(year: int, inputs: Path, templates: Path) -> None:
    """为新的地区第一次准备：空白的市级数据表和通用的报告模板。

    写入 inputs/年度/市级.xlsx（基本信息、编制组、学校名册待填写）、本地区的指标目录
    inputs/年度/指标目录.xlsx（尚无增改，内有填表说明），和 templates/ 下的
    city.docx、school.docx（按全国年报提纲的起步模板，本地文字处是【请撰写：…】占位段落）。
    已有的文件一律保留。填好学校名册后运行 docxreport init 年度，为每所学校生成数据表。
    已有更早年度的数据时不写市级数据表（由 init 结转），只补上缺少的指标目录和模板。
    """
    cat = default_catalog()
    existing = inputs / str(year) / L.CITY_FILE
    if existing.is_file():  # kept as it is; its schools' names must be usable as file names
        refuse_bad_registry(read_city(existing, L.CITY_FILE, cat, year)[1])
    written = start_region(inputs, templates, year, cat)
    click.echo(f"为新地区准备 {year} 年度：")
    for item in written:
        if item.skipped:
            click.echo(f"  跳过  {item.path}（{item.skipped}）")
        else:
            kept = "" if item.written else "（已存在，未改动）"
            click.echo(f"  {'写入' if item.written else '保留'}  {item.path}{kept}")
    option = "" if inputs == Path("inputs") else f" --inputs {inputs}"
    catalog = (
        f"本地区需要增加、修改或停用指标时，填写 {inputs / str(year) / REGION_FILE}"
        "（见其中的“填表说明”）；不需要时不用管它。"
    )
    if any(item.skipped for item in written):
        click.echo(
            f"下一步：\n  1. {catalog}\n"
            f"  2. 运行 docxreport init {year}{option}，由上一年结转，为每所学校生成数据表。"
        )
        return
    city = inputs / str(year) / L.CITY_FILE
    click.echo(
        "下一步：\n"
        f"  1. 在 {city} 中填写“基本信息”（地区名称、地区全称、行政区划代码、编制单位、"
        "省级称谓等）、“编制组”和“学校名册”（每校一行：简称、全称、别名）；"
        "“市级指标”表中规则为“市级数据表填报”的几项只能由市级填写。\n"
        f"  2. {catalog}\n"
        f"  3. 运行 docxreport init {year}{option}，按名册为每所学校生成数据表，发给各校填写。\n"
        f"  4. 在 Word/WPS 中把 {templates} 里模板的【请撰写：…】段落改写为本地的文字；"
        "docxreport check 会列出尚未改写的段落。"
    )
