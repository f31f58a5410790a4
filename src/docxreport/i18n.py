"""Chinese for click's own words (usage line, option headings, error messages).

click looks its strings up through ``gettext`` at call time; we route that
lookup to a small table so that ``--help`` and usage errors read in Chinese.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

ZH = {
    "Usage:": "用法：",  # click adds a space after it
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error": "错误",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "No such command {name!r}.": "没有名为 {name!r} 的命令。",
    "No such option: {name}": "没有这个选项：{name}",
    "Missing argument {param_hint}.": "缺少参数 {param_hint}。",
    "Missing option {param_hint}.": "缺少选项 {param_hint}。",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing argument": "缺少参数",  # newer click: the hint follows, then "."
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "{value!r} is not a valid integer.": "{value!r} 不是有效的整数。",
    "Directory {name} does not exist.": "文件夹 {name} 不存在。",
    "Path {name} does not exist.": "路径 {name} 不存在。",
    "File {name} does not exist.": "文件 {name} 不存在。",
    "(deprecated)": "（已弃用）",
    "default: {default}": "默认：{default}",
    "Error: {message}": "错误：{message}",
    "Aborted!": "已取消。",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有这个选项 {name!r}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，应为文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，应为文件。",
    "directory": "文件夹",
    "file": "文件",
    "path": "路径",
    "Did you mean {possibility}?": "是不是要输入 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是要输入其中之一：{possibilities}？）",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "required": "必填",
}


def _zh(message: str) -> str:
    return ZH.get(message, message)


def install() -> None:
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ):
        module._ = _zh  # type: ignore[attr-defined]
    click.exceptions.ngettext = _ngettext  # type: ignore[attr-defined]
    click.formatting.HelpFormatter.write_heading = _write_heading  # type: ignore[method-assign]


def _write_heading(self: click.formatting.HelpFormatter, heading: str) -> None:
    """Headings end with a full-width colon, as Chinese text does."""
    self.write(f"{'':>{self.current_indent}}{heading}：\n")


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _zh(singular if n == 1 else plural)
