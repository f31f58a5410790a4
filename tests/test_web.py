"""The workbench (``docxreport ui``) through Starlette's test client: pages, runs and security.

The sample year is copied into a temporary folder; the pages must say what ``check``
says, the runs must be the real commands, and every security rule must refuse what it
is meant to refuse.
"""

from __future__ import annotations

import shutil
import time
import zipfile
from io import BytesIO
from pathlib import Path

import docx
import openpyxl
import pytest
from starlette.testclient import TestClient

from docxreport.web import security, uploads
from docxreport.web.app import create_app
from docxreport.web.security import form_token
from docxreport.web.workspace import Folders, Workspace

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "t" * 43
BASE = "http://127.0.0.1:8765"
ORIGIN = {"origin": BASE}
CITY = "巴彦淖尔市中等职业教育质量年度报告（2024）.docx"


@pytest.fixture
def folders(tmp_path: Path) -> Folders:
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    return Folders(tmp_path / "inputs", ROOT / "templates", tmp_path / "out")


def client_for(folders: Folders, port: int | None = 8765, login: bool = True) -> TestClient:
    app = create_app(Workspace(folders), TOKEN, port)
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    if login:
        answer = client.get(f"/?token={TOKEN}")
        assert answer.status_code == 303
    return client


@pytest.fixture
def client(folders: Folders) -> TestClient:
    return client_for(folders)


def post(client: TestClient, url: str, data: dict | None = None, **kw):
    return client.post(url, data={"csrf": form_token(TOKEN), **(data or {})}, headers=ORIGIN, **kw)


def wait_for(client: TestClient, location: str) -> dict:
    status = f"{location}/status"
    for _ in range(600):
        state = client.get(status).json()
        if not state["running"]:
            return state
        time.sleep(0.2)
    raise AssertionError("the run did not end")


# -- the pages ---------------------------------------------------------------------------


def test_overview_shows_the_region_every_school_and_the_next_step(client: TestClient) -> None:
    page = client.get("/").text
    assert "巴彦淖尔市 · 2024 年度" in page
    for short in ("市一职", "市职校", "市艺校", "市体校", "前旗职中", "五原职高", "杭后职教"):
        assert f">{short}</td>" in page
    assert "<b>7/7</b>已收工作簿" in page
    # Nothing built yet in this output folder: the next step after a clean check is 生成.
    assert "下一步：<b>生成</b>" in page
    assert page.count("未生成") >= 7


def test_overview_counts_a_missing_workbook_and_points_at_collecting(
    client: TestClient, folders: Folders
) -> None:
    (folders.inputs / "2024" / "学校" / "市体校.xlsx").unlink()
    page = client.get("/").text
    assert "<b>6/7</b>已收工作簿" in page
    assert "下一步：<b>收表</b>——还有 1 所学校未交工作簿" in page
    assert "催交工作簿" in page


def test_check_page_lists_a_planted_error_worded_as_the_command_line(
    client: TestClient, folders: Folders
) -> None:
    path = folders.inputs / "2024" / "学校" / "市一职.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["办学规模"]["E3"] = "一千"
    wb.save(path)
    page = client.get("/check", params={"level": "错误"}).text
    assert "学校/市一职.xlsx › 办学规模!E3" in page
    assert "不是数字" in page
    # Filtered by another school, the error is not listed.
    other = client.get("/check", params={"level": "错误", "file": "学校/市职校.xlsx"}).text
    assert "办学规模!E3" not in other
    # The overview counts it against the school and points at 检查.
    assert "下一步：<b>检查</b>" in client.get("/").text


def test_findings_download_one_school_and_all(client: TestClient) -> None:
    one = client.get("/check/download", params={"school": "市一职"})
    assert one.status_code == 200
    wb = openpyxl.load_workbook(BytesIO(one.content))
    assert "市一职" in wb.sheetnames
    every = client.get("/check/download")
    names = zipfile.ZipFile(BytesIO(every.content)).namelist()
    assert len(names) == 7 and "市一职_检查结果.xlsx" in names
    assert client.get("/check/download", params={"school": "不存在"}).status_code == 404


def test_build_runs_the_command_with_its_progress_and_the_report_downloads(
    client: TestClient,
) -> None:
    answer = post(client, "/run/build", {"no-page-numbers": "on"})
    assert answer.status_code == 303
    location = answer.headers["location"]
    state = wait_for(client, location)
    assert state["returncode"] == 0, state["lines"]
    assert state["done"] == state["total"] == 8
    assert any(line.startswith("完成：生成全市报告 1 份、学校报告 7 份") for line in state["lines"])
    page = client.get("/").text
    assert "<b>7/7</b>学校报告为最新" in page
    files = client.get("/files").text
    assert CITY in files
    file_id = files.split(CITY)[0].rsplit('href="/files/', 1)[1].split('"')[0]
    got = client.get(f"/files/{file_id}")
    assert got.status_code == 200
    assert docx.Document(BytesIO(got.content)).core_properties.title.startswith("巴彦淖尔市")
    bundle = client.get("/zip/schools")
    assert len(zipfile.ZipFile(BytesIO(bundle.content)).namelist()) == 7


def test_a_second_run_is_refused_while_one_is_going(client: TestClient) -> None:
    first = post(client, "/run/build", {"no-page-numbers": "on"})
    second = post(client, "/run/confirm")
    assert second.status_code == 409 and "还在运行" in second.text
    wait_for(client, first.headers["location"])


def test_dropped_workbooks_under_attachment_names_are_collected(
    client: TestClient, folders: Folders
) -> None:
    school_dir = folders.inputs / "2024" / "学校"
    one = (school_dir / "市一职.xlsx").read_bytes()
    two = (school_dir / "杭后职教.xlsx").read_bytes()
    (school_dir / "市一职.xlsx").unlink()
    (school_dir / "杭后职教.xlsx").unlink()
    assert "<b>5/7</b>已收工作簿" in client.get("/").text
    files = [
        ("files", ("市一职数据表-最终版(2).xlsx", one)),
        ("files", ("../附件1.xlsx", two)),
        ("files", ("说明.txt", b"not ours")),
    ]
    answer = client.post("/collect", data={"csrf": form_token(TOKEN)}, files=files, headers=ORIGIN)
    assert answer.status_code == 303
    state = wait_for(client, answer.headers["location"])
    log = "\n".join(state["lines"])
    assert "市一职" in log and "杭后职教" in log and "说明.txt" in log
    assert (school_dir / "市一职.xlsx").read_bytes() == one
    assert (school_dir / "杭后职教.xlsx").read_bytes() == two
    assert "<b>7/7</b>已收工作簿" in client.get("/").text
    # The staging folder is gone with the run; the receipt list is offered for download.
    assert "收表登记" in client.get("/files").text


def test_refresh_draws_its_own_progress(client: TestClient) -> None:
    wait_for(client, post(client, "/run/build", {"no-page-numbers": "on"}).headers["location"])
    state = wait_for(
        client, post(client, "/run/refresh", {"no-page-numbers": "on"}).headers["location"]
    )
    assert state["returncode"] == 0, state["lines"]
    assert state["done"] == state["total"] == 8


def test_an_unknown_command_is_not_run(client: TestClient) -> None:
    assert post(client, "/run/adopt").status_code == 404


def test_only_ticked_flags_reach_the_command_line(folders: Folders) -> None:
    from docxreport.web.commands import command_args

    args = command_args("build", folders, {"pdf": "on", "force": "on", "--inputs": "/etc"})
    assert "--pdf" in args and "--force" not in args
    assert args[args.index("--inputs") + 1] == str(folders.inputs.resolve())


# -- security ------------------------------------------------------------------------------


def test_no_token_no_page(folders: Folders) -> None:
    client = client_for(folders, login=False)
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/static/app.js").status_code == 403


def test_the_token_becomes_a_strict_http_only_cookie(folders: Folders) -> None:
    client = client_for(folders, login=False)
    answer = client.get(f"/check?token={TOKEN}&level=错误")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/check?level=")
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "127.0.0.1.evil.example:8765", "127.0.0.1:9999", "[::1]:8765", ""]
)
def test_a_host_that_is_not_this_machine_is_refused(client: TestClient, host: str) -> None:
    assert client.get("/", headers={"host": host}).status_code == 400


def test_localhost_is_accepted(client: TestClient) -> None:
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_a_post_from_another_site_is_refused(client: TestClient) -> None:
    data = {"csrf": form_token(TOKEN), "no-page-numbers": "on"}
    assert client.post("/run/build", data=data).status_code == 403  # no Origin, no Referer
    evil = {"origin": "http://evil.example"}
    assert client.post("/run/build", data=data, headers=evil).status_code == 403
    referer = {"referer": f"{BASE}/run"}
    wrong = {"csrf": "0" * 32, "no-page-numbers": "on"}
    assert client.post("/run/build", data=wrong, headers=referer).status_code == 403
    assert client.app.state.runs.latest() is None


def test_a_download_is_named_by_id_never_by_path(client: TestClient) -> None:
    for attempt in ("../../../etc/passwd", "..%2F..%2Finputs%2F2024%2F市级.xlsx", "0" * 20):
        assert client.get(f"/files/{attempt}").status_code == 404


def test_security_headers_on_every_page(client: TestClient) -> None:
    answer = client.get("/")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    folders: Folders, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("docxreport.web.app.MAX_REQUEST", 1000)
    client = client_for(folders)
    files = {"files": ("大.xlsx", b"x" * 5000)}
    answer = client.post("/collect", data={"csrf": form_token(TOKEN)}, files=files, headers=ORIGIN)
    assert answer.status_code == 413
    assert "太大" in answer.text


def test_an_uploaded_name_stays_inside_the_staging_folder() -> None:
    taken: set[str] = set()
    assert uploads.safe_name("../../市一职.xlsx", taken) == "市一职.xlsx"
    assert uploads.safe_name("C:\\Users\\x\\市一职.xlsx", taken) == "市一职(2).xlsx"
    assert uploads.safe_name("..", taken) == "文件"
    assert "/" not in uploads.safe_name("a/b/../c:d.zip", taken)


def test_the_form_token_is_not_the_start_token() -> None:
    assert form_token(TOKEN) != TOKEN and security.check_form_token(TOKEN, form_token(TOKEN))


def test_ui_without_inputs_says_so_in_chinese(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from docxreport.cli import main

    result = CliRunner().invoke(main, ["ui", "--no-browser", "--inputs", str(tmp_path / "无")])
    assert result.exit_code == 1
    assert "找不到输入文件夹" in result.output and "Traceback" not in result.output


def test_ui_on_a_port_in_use_says_so(tmp_path: Path, folders: Folders) -> None:
    import socket

    from click.testing import CliRunner

    from docxreport.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        port = busy.getsockname()[1]
        args = ["ui", "--no-browser", "--inputs", str(folders.inputs), "--port", str(port)]
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert f"端口 {port} 已被占用" in result.output
