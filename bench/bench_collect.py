"""How fast ``collect`` files a batch of returned workbooks.

    .venv/bin/python bench/bench_collect.py [--schools 400]

The sample grown to N schools (as ``bench_build.py`` grows it, in a temporary folder),
every workbook moved out under an attachment-style name, half of them zipped with a
photo each. Prints the time of

- ``collect()`` filing the batch into the empty school folder (all new);
- ``collect()`` of the same batch again (all the same: nothing written);
- the whole command (filing, the check of the year, the receipt list), the second time.

Does not touch ``inputs/`` or ``out/``.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import command, grow

from docxreport import layout as L
from docxreport.collect import collect


def photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), "teal").save(buf, "JPEG")
    return buf.getvalue()


def batch(inputs: Path, out: Path) -> int:
    """Move every school workbook into ``out``: half loose, half zipped with a photo."""
    sdir = inputs / "2024" / L.SCHOOL_DIR
    files = sorted(sdir.glob("*.xlsx"))
    image = photo()
    for n, path in enumerate(files):
        if n % 2:
            (out / f"附件{n}.xlsx").write_bytes(path.read_bytes())
        else:
            with zipfile.ZipFile(out / f"材料{n}.zip", "w") as zf:
                zf.writestr(f"数据表（最终版）{n}.xlsx", path.read_bytes())
                zf.writestr(f"照片/校园{n}.jpg", image)
        path.unlink()
    return len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docxreport-bench-collect-") as tmp:
        inputs, sent, out = Path(tmp) / "inputs", Path(tmp) / "收到", Path(tmp) / "out"
        grow(inputs, args.schools)
        sent.mkdir()
        n = batch(inputs, sent)
        start = time.perf_counter()
        first = collect([sent], inputs, 2024)
        filed = time.perf_counter() - start
        start = time.perf_counter()
        again = collect([sent], inputs, 2024)
        same = time.perf_counter() - start
        seconds, peak = command("collect", str(sent), "--inputs", str(inputs), "--out", str(out))
    print(f"| {n} 所学校的工作簿（其中一半连同照片打包为 .zip）| 时间 |")
    print(f"| collect() 首次收取（{len(first.filed)} 所新收）| {filed:.1f} s |")
    print(
        f"| collect() 同一批再收（{sum(o.status == '与已有版本相同' for o in again.schools)} 所相同）| {same:.1f} s |"
    )
    print(
        f"| docxreport collect 命令（收取、检查全年、收表登记）| {seconds:.1f} s，峰值内存 {peak} MB |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
