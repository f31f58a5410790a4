"""The workbench in a real browser: Debian's Chromium driven through chromedriver.

One walk through a year as the compiling group would take it: open the tokened address
``docxreport ui`` prints, drop two returned workbooks under attachment names, see them
received, find a planted error on 检查, build with the progress bar reaching its end, and
download the city report.

With ``DOCXREPORT_SCREENSHOTS=<folder>`` the walk also saves the pictures the README shows.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import docx
import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="未安装 chromium 和 chromium-driver，跳过浏览器测试"
)
CITY = "巴彦淖尔市中等职业教育质量年度报告（2024）.docx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def workbench(tmp_path: Path):
    """The sample year less two workbooks (they come back as attachments), served by ui."""
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    returned = tmp_path / "附件"
    returned.mkdir()
    school_dir = tmp_path / "inputs" / "2024" / "学校"
    shutil.move(school_dir / "市一职.xlsx", returned / "市一职数据表-最终版(2).xlsx")
    shutil.move(school_dir / "杭后职教.xlsx", returned / "附件1.xlsx")
    planted = returned / "附件1.xlsx"
    wb = openpyxl.load_workbook(planted)
    wb["办学规模"]["E3"] = "一千"
    wb.save(planted)
    port = free_port()
    argv = [sys.executable, "-m", "docxreport", "ui", "--no-browser", "--port", str(port)]
    argv += ["--inputs", str(tmp_path / "inputs"), "--templates", str(ROOT / "templates")]
    argv += ["--out", str(tmp_path / "out")]
    server = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path
    )
    url = None
    assert server.stdout is not None
    for line in server.stdout:
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
        if found:
            url = found[0]
            break
    assert url, "ui printed no address"
    _wait_for_port(port)
    yield url, returned, tmp_path
    server.terminate()
    server.wait(20)


def _wait_for_port(port: int) -> None:
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the workbench did not start")


@pytest.fixture
def browser(tmp_path: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_argument("--window-size=1280,900")
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    downloads = tmp_path / "下载"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver, downloads
    driver.quit()


def wait_until(condition, seconds: float = 120) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def finished(driver) -> str:
    """Wait for the run shown to end; its output as the page shows it."""
    from selenium.webdriver.common.by import By

    outcome = driver.find_element(By.ID, "outcome")
    wait_until(lambda: outcome.text not in ("", "正在运行"))
    return driver.find_element(By.ID, "log").text


def test_a_year_in_the_browser(workbench, browser) -> None:
    from selenium.webdriver.common.by import By

    url, returned, root = workbench
    driver, downloads = browser
    shots = os.environ.get("DOCXREPORT_SCREENSHOTS")

    # 1. The tokened address opens the overview: two schools have not returned.
    driver.get(url)
    assert "巴彦淖尔市 · 2024 年度" in driver.find_element(By.TAG_NAME, "h1").text
    assert "5/7" in driver.find_element(By.CLASS_NAME, "totals").text

    # 2. Two returned workbooks under attachment names are dropped on 收表.
    driver.find_element(By.LINK_TEXT, "收表").click()
    picker = driver.find_element(By.ID, "files")
    picker.send_keys("\n".join(str(p) for p in sorted(returned.iterdir())))
    driver.find_element(By.ID, "collect-submit").click()
    result = finished(driver)
    assert "市一职" in result and "杭后职教" in result

    # 3. The overview shows them received.
    driver.find_element(By.LINK_TEXT, "概览").click()
    assert "7/7" in driver.find_element(By.CLASS_NAME, "totals").text
    if shots:
        driver.save_screenshot(str(Path(shots) / "ui-overview.png"))

    # 4. 检查 finds the planted error, located at its cell.
    driver.find_element(By.LINK_TEXT, "检查").click()
    table = driver.find_element(By.ID, "issues").text
    assert "学校/杭后职教.xlsx › 办学规模!E3" in table
    if shots:
        driver.save_screenshot(str(Path(shots) / "ui-check.png"))

    # Mend it, as the school would, and collect the corrected workbook.
    fixed = root / "改正后.xlsx"
    shutil.copy(root / "inputs" / "2024" / "学校" / "杭后职教.xlsx", fixed)
    wb = openpyxl.load_workbook(fixed)
    wb["办学规模"]["E3"] = openpyxl.load_workbook(ROOT / "inputs/2024/学校/杭后职教.xlsx")[
        "办学规模"
    ]["E3"].value
    wb.save(fixed)
    driver.find_element(By.LINK_TEXT, "收表").click()
    driver.find_element(By.ID, "files").send_keys(str(fixed))
    driver.find_element(By.ID, "collect-submit").click()
    assert "更新（上一版本已备份）" in finished(driver)

    # 5. 生成: the progress bar reaches its end and the command's own summary shows.
    driver.find_element(By.LINK_TEXT, "生成与更新").click()
    form = driver.find_element(By.ID, "run-build")
    form.find_element(By.NAME, "no-page-numbers").click()
    form.find_element(By.TAG_NAME, "button").click()
    finished(driver)
    bar = driver.find_element(By.ID, "bar")
    assert bar.get_attribute("value") == bar.get_attribute("max") == "8"
    assert "完成：生成全市报告 1 份、学校报告 7 份" in driver.find_element(By.ID, "log").text

    # 6. The city report downloads, and python-docx opens it with the sample's title.
    driver.find_element(By.LINK_TEXT, "下载").click()
    driver.find_element(By.PARTIAL_LINK_TEXT, CITY).click()
    target = downloads / CITY
    wait_until(lambda: target.is_file() and target.stat().st_size > 0, 30)
    title = docx.Document(str(target)).core_properties.title
    assert title == "巴彦淖尔市中等职业教育质量年度报告（2024）"
