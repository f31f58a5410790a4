"""Convert Word reports to PDF with LibreOffice (``soffice --headless``).

Many reports go through one ``soffice`` process: a cold start costs seconds, a
document only about as long as its layout takes. Each run gets its own private
LibreOffice profile, so a LibreOffice the user has open is neither used nor
disturbed. The profile asks the PDF export to write Word bookmarks as named
destinations, which :mod:`docxreport.finish.pagenums` reads to find where headings fall;
to tag the PDF (structure, reading order, language) for screen readers, optionally as
PDF/A-2b for archives; and it holds the font replacement table of
:mod:`docxreport.finish.fonts`, so the typefaces a report asks for print as we say.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

from docxreport.atomic import write_atomically
from docxreport.errors import OutputError
from docxreport.finish.fonts import replacement_items
from docxreport.finish.language import document_language, set_language

INSTALL_HINT = (
    "请先安装 LibreOffice 与中文字体，例如在 Debian/Ubuntu 上运行："
    "apt-get install -y libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-gkai00mp；"
    "Windows 或 macOS 请从 https://zh-cn.libreoffice.org 下载安装。"
)
# Set this to the soffice program when it is installed somewhere unusual.
SOFFICE_ENV = "DOCXREPORT_SOFFICE"

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/local/bin/soffice",
    "/opt/libreoffice/program/soffice",
    "/snap/bin/libreoffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)

# Profile settings for every conversion: Word bookmarks become PDF named destinations, the
# PDF is tagged; {version} is 0 for plain PDF, 2 for PDF/A-2b; {fonts} the replacement table.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export"><prop
 oor:name="ExportBookmarksToPDFDestination" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export"><prop
 oor:name="UseTaggedPDF" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export"><prop
 oor:name="ExportBookmarks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export"><prop
 oor:name="SelectPdfVersion" oor:op="fuse"><value>{version}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop
 oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
{fonts}</oor:items>
"""
PDF_A_2B = 2  # LibreOffice's SelectPdfVersion for PDF/A-2b


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None when LibreOffice is not installed."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    for root in sorted(Path("/opt").glob("libreoffice*"), reverse=True):
        program = root / "program" / "soffice"
        if program.is_file():
            return str(program)
    return None


def _check_inputs(docx_paths: list[Path]) -> None:
    stems: dict[str, Path] = {}
    for path in docx_paths:
        if not path.is_file():
            raise OutputError(f"无法转换为 PDF：找不到文件 {path}")
        other = stems.setdefault(path.stem, path)
        if other != path:
            raise OutputError(f"无法转换为 PDF：{other} 与 {path} 同名，生成的 PDF 会互相覆盖")


def private_profile(root: Path, settings: str | None = None) -> Path:
    """A LibreOffice profile of our own under ``root``, for ``-env:UserInstallation``.

    ``settings`` is its registrymodifications.xcu (by default that of a plain conversion).
    """
    profile = root / "profile"
    (profile / "user").mkdir(parents=True)
    xcu = profile / "user" / "registrymodifications.xcu"
    xcu.write_text(settings if settings is not None else profile_settings(), "utf-8")
    return profile


def run_soffice(command: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    """Run soffice in its own process group, killed whole when it overruns ``timeout``."""
    return _run(command, timeout)


def _run(command: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    """Run soffice in its own process group, killed whole when it overruns ``timeout`` or
    the run is interrupted."""
    kwargs: dict = {"start_new_session": True} if os.name == "posix" else {}
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        **kwargs,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except BaseException:  # overrun, or the run interrupted (Ctrl-C): stop it now
            if os.name == "posix":
                with suppress(OSError):
                    os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.communicate()
            raise
        return subprocess.CompletedProcess(command, proc.returncode, out, err)


def _tail(text: str, lines: int = 5) -> str:
    kept = [ln for ln in text.splitlines() if ln.strip() and "javaldx" not in ln]
    return "；".join(kept[-lines:])


def profile_settings(archive: bool = False) -> str:
    """The registrymodifications.xcu of a conversion profile (PDF/A-2b with ``archive``)."""
    return _REGISTRY.format(version=PDF_A_2B if archive else 0, fonts=replacement_items())


def convert(
    docx_paths: list[Path],
    outdir: Path,
    timeout: int = 600,
    *,
    jobs: int = 1,
    archive: bool = False,
) -> list[Path]:
    """Convert every ``.docx`` to a PDF of the same name in ``outdir``, in one soffice run.

    With ``jobs`` above 1 the reports are shared out among that many soffice runs
    working in parallel (worth it on a machine with several cores); ``archive``
    makes PDF/A-2b files. Every PDF is tagged, in the language of the report
    (:func:`document_language`). Returns the
    PDF paths in the order given. Each PDF replaces any older one only once it is
    complete. Raises :class:`OutputError` (in Chinese) when LibreOffice is missing,
    overruns ``timeout`` seconds, or leaves a PDF unwritten.
    """
    docx_paths = [Path(p).resolve() for p in docx_paths]
    if not docx_paths:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise OutputError(f"未找到 LibreOffice（soffice），无法生成 PDF。{INSTALL_HINT}")
    _check_inputs(docx_paths)
    groups = [docx_paths[i :: max(1, jobs)] for i in range(min(max(1, jobs), len(docx_paths)))]
    settings = profile_settings(archive)

    def run(group: list[Path]) -> tuple[list[Path], list[str]]:
        return _convert_group(soffice, group, Path(outdir), timeout, settings)

    if len(groups) == 1:
        runs = [run(groups[0])]
    else:
        with ThreadPoolExecutor(max_workers=len(groups)) as pool:
            runs = list(pool.map(run, groups))
    made = {pdf.stem: pdf for pdfs, _ in runs for pdf in pdfs}
    failures = [failure for _, failed in runs for failure in failed]
    if failures:
        written = f"（其余 {len(made)} 份已生成）" if made else ""
        raise OutputError("；".join(failures) + written)
    return [made[p.stem] for p in docx_paths]


def soffice_command(
    soffice: str, profile: Path, target: str, outdir: Path, files: list[Path]
) -> list[str]:
    """One headless soffice conversion of ``files`` to ``target`` in ``outdir``, on ``profile``."""
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        # file URLs are plain ASCII: safe whatever the locale's encoding
        *(p.as_uri() for p in files),
    ]


def _convert_group(
    soffice: str, docx_paths: list[Path], outdir: Path, timeout: int, settings: str
) -> tuple[list[Path], list[str]]:
    """One soffice run with a private profile: the PDFs written, and what failed."""
    with tempfile.TemporaryDirectory(prefix="docxreport-soffice-") as tmp:
        profile, staging = private_profile(Path(tmp), settings), Path(tmp) / "pdf"
        staging.mkdir()
        (Path(tmp) / "in").mkdir()
        laid_out = [_as_word_lays_out(p, Path(tmp) / "in") for p in docx_paths]
        command = soffice_command(soffice, profile, "pdf:writer_pdf_Export", staging, laid_out)
        names = "、".join(p.name for p in docx_paths)
        try:
            done = _run(command, timeout)
        except subprocess.TimeoutExpired as exc:
            raise OutputError(
                f"LibreOffice 在 {timeout} 秒内未能把 {names} 转换为 PDF，已中止"
            ) from exc
        except OSError as exc:
            raise OutputError(f"无法启动 LibreOffice（{soffice}）：{exc}。{INSTALL_HINT}") from exc
        made = [(p, _collect(staging, p, outdir)) for p in docx_paths]
    failed = [p.name for p, pdf in made if pdf is None]
    if not failed:
        return [pdf for _, pdf in made if pdf is not None], []
    detail = _tail(done.stderr + "\n" + done.stdout)
    message = f"LibreOffice 未能把 {'、'.join(failed)} 转换为 PDF（退出码 {done.returncode}"
    message += (f"；{detail}" if detail else "") + "）"
    return [pdf for _, pdf in made if pdf is not None], [message]


_MODE_15 = re.compile(rb'(w:name="compatibilityMode"[^>]*w:val=")1[5-9]"')


def _as_word_lays_out(docx: Path, folder: Path) -> Path:
    """``docx``, or a copy in ``folder`` that LibreOffice lays out as Word does.

    In a document of Word 2013 and later (compatibility mode 15), LibreOffice 7.4 does not
    let a right tab stop reach past the paragraph's right indent: the contents' page
    numbers (a right tab at the margin, the entry indented from the right) drop to a line
    of their own. Word places them at the tab, as LibreOffice does for a Word 2010
    document; the copy says mode 14, which changes nothing else LibreOffice lays out here.
    """
    try:
        with zipfile.ZipFile(docx) as package:
            settings = package.read("word/settings.xml")
            if not _MODE_15.search(settings):
                return docx
            copy = folder / docx.name
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:  # read once, by LibreOffice
                for info in package.infolist():
                    data = package.read(info)
                    if info.filename == "word/settings.xml":
                        data = _MODE_15.sub(rb'\g<1>14"', data)
                    out.writestr(info.filename, data)
            return copy
    except (OSError, KeyError, zipfile.BadZipFile):
        return docx  # LibreOffice reads it as it is, or says why it cannot


def _collect(staging: Path, docx: Path, outdir: Path) -> Path | None:
    """Move the PDF made from ``docx`` into ``outdir``; None when it is missing or broken."""
    made = staging / f"{docx.stem}.pdf"
    if not made.is_file() or made.stat().st_size == 0:
        return None
    with made.open("rb") as fh:
        if fh.read(5) != b"%PDF-":
            return None
    set_language(made, document_language(docx))
    out = outdir / made.name
    write_atomically(lambda tmp: shutil.copyfile(made, tmp), out, outdir)
    return out
