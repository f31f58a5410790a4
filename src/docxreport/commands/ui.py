"""``docxreport ui``: the workbench in the browser, for the same folders as the commands."""

from __future__ import annotations

import socket
import webbrowser
from pathlib import Path

import click

from docxreport.commands.options import folder_option, inputs_option, year_option
from docxreport.console import clean_exit
from docxreport.errors import InputError

DEFAULT_PORT = 8765
TRIES = 20


@click.command("ui", options_metavar="[选项]")
@year_option
@inputs_option
@folder_option("--templates", "templates", "Word 模板所在的文件夹。")
@folder_option("--out", "out", "输出文件夹，报告写入其中的年度子文件夹。")
@click.option(
    "--port",
    type=click.IntRange(min=1, max=65535),
    default=None,
    metavar="端口",
    help=f"工作台使用的本机端口；默认从 {DEFAULT_PORT} 起找一个空闲的。",
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器，只印出地址。")
@clean_exit
def ui(
    year: int | None,
    inputs: Path,
    templates: Path,
    out: Path,
    port: int | None,
    no_browser: bool,
) -> None:
    """在浏览器中打开编制组的工作台：概览、收表、检查、生成与更新、下载。

    工作台只在本机（127.0.0.1）上运行，地址中带一次性的访问令牌；页面所做的一切与相应的命令相同。
    按 Ctrl-C 停止。
    """
    import uvicorn

    from docxreport.web.app import create_app
    from docxreport.web.security import new_token
    from docxreport.web.workspace import Folders, checked

    workspace = checked(Folders(inputs, templates, out, year))
    port = _checked_port(port) if port else _free_port()
    token = new_token()
    url = f"http://127.0.0.1:{port}/?token={token}"
    click.echo(f"docxreport 工作台：{workspace.year_folder()}")
    click.echo(f"请在浏览器中打开：{url}")
    click.echo("（只有本机能访问；按 Ctrl-C 停止）")
    if not no_browser:
        webbrowser.open(url)
    app = create_app(workspace, token, port)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
    click.echo("工作台已停止。")


def _available(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _checked_port(port: int) -> int:
    if not _available(port):
        raise InputError(
            f"端口 {port} 已被占用（也许工作台已经开着）；请换一个 --port，或不加 --port。"
        )
    return port


def _free_port() -> int:
    for port in range(DEFAULT_PORT, DEFAULT_PORT + TRIES):
        if _available(port):
            return port
    raise InputError(
        f"端口 {DEFAULT_PORT}–{DEFAULT_PORT + TRIES - 1} 都被占用，请用 --port 指定一个。"
    )
