"""The command line: it only registers the commands."""

from __future__ import annotations

import click

from docxreport import __version__, i18n
from docxreport.commands.adopt import adopt
from docxreport.commands.build import build
from docxreport.commands.check import check
from docxreport.commands.collect import collect
from docxreport.commands.confirm import confirm
from docxreport.commands.dump import dump
from docxreport.commands.init import init
from docxreport.commands.new import new
from docxreport.commands.refresh import refresh
from docxreport.commands.ui import ui

i18n.install()


class InOrderOfUse(click.Group):
    """Lists the commands in the order a year's work uses them, not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(
    cls=InOrderOfUse,
    epilog="第一次为本地区编制报告：new → init → collect → check → build；"
    "以后每年：init → collect → check → build。"
    "各命令的用法见 docxreport 命令 --help。",
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
)
@click.version_option(__version__, message="docxreport %(version)s")
def main() -> None:
    """docxreport：由各校 Excel 数据表生成职业教育质量年度报告（Word）。"""


main.add_command(new)
main.add_command(init)
main.add_command(collect)
main.add_command(check)
main.add_command(build)
main.add_command(refresh)
main.add_command(adopt)
main.add_command(confirm)
main.add_command(dump)
main.add_command(ui)
