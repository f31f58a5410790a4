"""How fast the workbench's pages answer for a province of schools.

    .venv/bin/python bench/bench_ui.py [--schools 400]

The sample grown to N schools (bench_build's ``grow``) is served in this process through
Starlette's test client. Printed:

- the first 概览 after start: every workbook and template read, as ``check`` reads them;
- 概览 again with nothing changed (the target: under 1 s at 400 schools);
- 概览 after one school's workbook changed (the year is read again);
- 检查 (the whole table, then one school's rows).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
from bench_build import TEMPLATES, grow

from docxreport.web.app import create_app
from docxreport.web.workspace import Folders, Workspace

TOKEN = "bench"


def timed(client: TestClient, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    answer = client.get(url)
    assert answer.status_code == 200, answer.text[:500]
    return time.perf_counter() - start, len(answer.content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs"
        start = time.perf_counter()
        grow(inputs, args.schools)
        print(f"(inputs: {args.schools} schools made in {time.perf_counter() - start:.0f} s)")
        ws = Workspace(Folders(inputs, TEMPLATES, Path(tmp) / "out"))
        app = create_app(ws, TOKEN)
        client = TestClient(app, base_url="http://127.0.0.1:8765", follow_redirects=False)
        client.get(f"/?token={TOKEN}")
        rows = []
        rows.append(("概览, first (reads the year)", *timed(client, "/"), ""))
        again = min(timed(client, "/")[0] for _ in range(5))
        rows.append(
            ("概览, again (nothing changed)", again, 0, "≤ 1 s " + ("✓" if again <= 1 else "✗"))
        )
        one = next((inputs / "2024" / "学校").glob("*.xlsx"))
        one.touch()
        rows.append(("概览, after one workbook changed", *timed(client, "/"), ""))
        rows.append(("检查, every issue", *timed(client, "/check"), ""))
        rows.append(("检查, one school", *timed(client, f"/check?file=学校/{one.name}"), ""))
        print(f"| {'page':<36} | {'wall':>9} | {'size':>8} | target")
        print(f"|{'-' * 38}|{'-' * 11}|{'-' * 10}|-------")
        for what, seconds, size, target in rows:
            kb = f"{size / 1024:6.0f} KB" if size else ""
            print(f"| {what:<36} | {seconds * 1000:6.0f} ms | {kb:>8} | {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
