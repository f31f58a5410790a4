"""Real page numbers in the contents lists of a built report.

:mod:`docxreport.render.numbering` writes every entry of 目录, 表目录, 图目录 and
案例目录 with a ``PAGEREF`` field whose cached result is empty. WPS shows cached
results as saved, so they must hold the right numbers. Here LibreOffice lays the
report out as a PDF; each entry's bookmark is found on a page of that PDF (as a
named destination, else by searching the page text for the heading), that page's
printed footer number (“— 5 —”, or “— ii —” in the front matter) is read, and it
is written into the cached result.

Only ``word/document.xml`` is changed, with lxml; every other part of the
package is copied byte for byte, so no converter rewrites our styles. A layout
only confirms the numbers it was made with: when every entry stands on the page
its cached result already shows, the report is done and that PDF, whose own
contents pages show the numbers, is kept; otherwise the numbers found are
written and the report is laid out again. A rebuild starts from the numbers the
previous build printed (:func:`printed_pages`), so a report whose pages did not
move needs one layout, not two.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from docxreport.atomic import Ready, write_atomically
from docxreport.errors import OutputError
from docxreport.finish import pdf as pdfconv
from docxreport.finish.thumbnail import put_cover_thumbnail

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)", re.IGNORECASE)
_FOOTER = re.compile(r"^(?:[—–\-－]+\s*)?(\d+|[ivxlcdm]+)(?:\s*[—–\-－]+)?$", re.IGNORECASE)
_LEADER = re.compile(r"(\.{4,}|…{2,}|·{4,})")
_MATCH_CHARS = 12  # how much of a heading must match: long captions wrap and get cut


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class TocEntry:
    """One entry of a contents list and the page number it shows."""

    contents: str  # 目录, 表目录, 图目录 or 案例目录
    text: str
    bookmark: str
    page: str | None = None  # the printed page number; None when it was not found


@dataclass
class PageNumberReport:
    """What :func:`fill_page_numbers` did to one report."""

    docx: Path
    entries: list[TocEntry] = field(default_factory=list)
    pdf: Path | None = None  # laid out from the final .docx; None without a workdir
    conversions: int = 0
    stable: bool = False  # a conversion of the final .docx confirmed every number

    @property
    def filled(self) -> int:
        return sum(e.page is not None for e in self.entries)

    @property
    def not_found(self) -> list[str]:
        return [f"{e.contents}：{e.text}" for e in self.entries if e.page is None]


# -- the .docx side -----------------------------------------------------------------------------


@dataclass
class _PageRef:
    """A PAGEREF field of a contents entry, with the runs that hold its cached result."""

    entry: TocEntry
    results: list[Any]  # the w:t elements of the cached result
    instr_run: Any
    end_run: Any


@dataclass
class _Field:
    instr: str = ""
    in_result: bool = False
    results: list[Any] = field(default_factory=list)
    instr_run: Any = None
    contents: str = ""


def _contents_name(instr: str) -> str:
    """目录 for a heading TOC field, 表目录/图目录/案例目录 for ``TOC \\c "表"`` and so on."""
    label = re.search(r'\\c\s+"([^"]+)"', instr)
    return f"{label.group(1)}目录" if label else "目录"


def _entry_text(paragraph: Any, skip: list[Any]) -> str:
    ignored = {id(t) for t in skip}
    return "".join(t.text or "" for t in paragraph.iter(_w("t")) if id(t) not in ignored).strip()


def _page_refs(root: Any) -> list[_PageRef]:
    """Every PAGEREF field inside a TOC field, in document order."""
    refs: list[_PageRef] = []
    stack: list[_Field] = []
    for run in root.iter(_w("r")):
        for child in run:
            if child.tag == _w("fldChar"):
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    outer = next((f.contents for f in reversed(stack) if f.contents), "")
                    stack.append(_Field(instr_run=run, contents=outer))
                elif kind == "separate" and stack:
                    stack[-1].in_result = True
                elif kind == "end" and stack:
                    _close(stack.pop(), run, refs)
            elif child.tag == _w("instrText") and stack and not stack[-1].in_result:
                top = stack[-1]
                top.instr += child.text or ""
                if top.instr.strip().upper().startswith("TOC"):
                    top.contents = _contents_name(top.instr)
            elif child.tag == _w("t") and stack and stack[-1].in_result:
                stack[-1].results.append(child)
    return refs


def _close(done: _Field, end_run: Any, refs: list[_PageRef]) -> None:
    match = _PAGEREF.match(done.instr)
    if not match or not done.contents:
        return
    paragraph = next(end_run.iterancestors(_w("p")), None)
    text = _entry_text(paragraph, done.results) if paragraph is not None else ""
    cached = "".join(t.text or "" for t in done.results).strip()
    entry = TocEntry(done.contents, text, match.group(1), cached or None)
    refs.append(_PageRef(entry, done.results, done.instr_run, end_run))


def _set_result(ref: _PageRef, number: str) -> None:
    """Write ``number`` as the cached result of the field."""
    if ref.results:
        ref.results[0].text = number
        for t in ref.results[1:]:
            t.text = ""
        return
    run = etree.SubElement(ref.end_run.getparent(), _w("r"))
    ref.end_run.addprevious(run)
    rpr = ref.instr_run.find(_w("rPr"))
    if rpr is not None:
        run.append(deepcopy(rpr))
    t = etree.SubElement(run, _w("t"))
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = number
    ref.results.append(t)


def _document_part(package: zipfile.ZipFile) -> str:
    """The name of the main document part (``word/document.xml`` in practice)."""
    try:
        rels = etree.fromstring(package.read("_rels/.rels"), _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return "word/document.xml"
    for rel in rels.iter(f"{{{_REL_NS}}}Relationship"):
        if rel.get("Type") == _OFFICE_DOC:
            return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


@dataclass
class _Report:
    """A .docx being numbered: its parsed document part and its contents fields."""

    path: Path
    part: str
    root: Any
    refs: list[_PageRef]
    ready: Ready | None = None  # told of each version about to be saved

    @classmethod
    def open(cls, path: Path) -> _Report:
        try:
            with zipfile.ZipFile(path) as package:
                part = _document_part(package)
                root = etree.fromstring(package.read(part), _PARSER)
        except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            raise OutputError(f"无法读取 {path} 以填写目录页码：{exc}") from exc
        return cls(path, part, root, _page_refs(root))

    def written(self) -> list[str]:
        return ["".join(t.text or "" for t in r.results).strip() for r in self.refs]

    def expect(self, pages: Mapping[str, str]) -> None:
        """Write the page each entry is expected on (by bookmark, where known), and save."""
        guesses = [pages.get(r.entry.bookmark) or r.entry.page for r in self.refs]
        if [g or "" for g in guesses] != self.written():
            self.fill(guesses)
            self.save()

    def fill(self, pages: list[str | None]) -> None:
        for ref, page in zip(self.refs, pages, strict=True):
            _set_result(ref, page or "")
            ref.entry.page = page

    def save(self) -> None:
        data = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)

        def write(tmp: Path) -> None:
            with zipfile.ZipFile(self.path) as src, zipfile.ZipFile(tmp, "w") as dst:
                for info in src.infolist():
                    payload = data if info.filename == self.part else src.read(info)
                    dst.writestr(info, payload, compress_type=info.compress_type)

        write_atomically(write, self.path, self.path.parent, ready=self.ready)


# -- the PDF side -------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise OutputError(
            f"未找到 {name}，无法读取 PDF 的页码。请先安装：apt-get install -y poppler-utils"
        )
    return found


def _poppler(args: list[str], pdf: Path) -> str:
    try:
        done = subprocess.run(args, capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OutputError(f"无法运行 {Path(args[0]).name}：{exc}") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise OutputError(f"{Path(args[0]).name} 无法读取 {pdf}：{detail}")
    return done.stdout.decode("utf-8", "replace")


def page_texts(pdf: Path) -> list[str]:
    """The text of every page of ``pdf``, laid out as printed (pdftotext -layout)."""
    text = _poppler([_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"], pdf)
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_count(pdf: Path) -> int | None:
    """How many pages ``pdf`` has (pdfinfo); None when poppler cannot tell."""
    try:
        info = _poppler([_tool("pdfinfo"), str(pdf)], pdf)
    except OutputError:
        return None
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return int(found.group(1)) if found else None


def footer_number(page: str) -> str | None:
    """The page number printed at the foot of a page: “— 5 —” gives ``5``, “— ii —”, ``ii``."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    if not lines:
        return None
    match = _FOOTER.match(re.sub(r"\s+", " ", lines[-1]))
    return match.group(1) if match else None


def _dest_name(bookmark: str) -> str:
    """A bookmark's name as LibreOffice writes it as a PDF destination (``_`` → ``5F``)."""
    return "".join(
        c if c.isascii() and (c.isalnum() or c == "-") else f"{ord(c):02X}" for c in bookmark
    )


def destinations(pdf: Path) -> dict[str, int]:
    """Named destinations of ``pdf`` and their pages (1-based); empty if pdfinfo cannot list them."""
    try:
        listing = _poppler([_tool("pdfinfo"), "-dests", str(pdf)], pdf)
    except OutputError:
        return {}
    dests: dict[str, int] = {}
    for line in listing.splitlines():
        match = re.match(r'^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$', line)
        if match:
            dests.setdefault(match.group(2), int(match.group(1)))
    return dests


def squash(text: str) -> str:
    """Text without any whitespace: pdftotext splits CJK lines and spaces unpredictably."""
    return re.sub(r"\s+", "", text)


def is_contents_page(page: str) -> bool:
    """A page of a contents list: several lines with dot leaders."""
    return sum(bool(_LEADER.search(line)) for line in page.splitlines()) >= 3


def find_by_text(entries: list[TocEntry], pages: list[str]) -> list[int | None]:
    """The page (1-based) where each entry's heading stands, searched forward in order.

    Contents pages are skipped; each entry is searched from the page of the one
    before it in the same list, by the first few characters of its text.
    """
    flat = [None if is_contents_page(p) else squash(p) for p in pages]
    found: list[int | None] = []
    start: dict[str, int] = {}
    for entry in entries:
        key = squash(entry.text)[:_MATCH_CHARS]
        at = start.get(entry.contents, 0)
        hit = next(
            (i for i in range(at, len(flat)) if key and flat[i] and key in flat[i]),
            None,
        )
        if hit is not None:
            start[entry.contents] = hit
        found.append(None if hit is None else hit + 1)
    return found


def locate(entries: list[TocEntry], pdf: Path) -> list[str | None]:
    """The printed page number of each entry in ``pdf``; None where it cannot be found."""
    pages = page_texts(pdf)
    dests = destinations(pdf)
    by_text: list[int | None] | None = None
    numbers: list[str | None] = []
    for i, entry in enumerate(entries):
        page = dests.get(_dest_name(entry.bookmark)) or dests.get(entry.bookmark)
        if page is None:
            by_text = by_text if by_text is not None else find_by_text(entries, pages)
            page = by_text[i]
        ok = page is not None and 1 <= page <= len(pages)
        numbers.append(footer_number(pages[page - 1]) if ok else None)
    return numbers


# -- filling ------------------------------------------------------------------------------------


@contextmanager
def _workdir(workdir: Path | None) -> Iterator[Path]:
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
        yield workdir
        return
    with tempfile.TemporaryDirectory(prefix="docxreport-pages-") as tmp:
        yield Path(tmp)


def printed_pages(docx: Path) -> dict[str, str]:
    """The page number each contents entry of ``docx`` shows, by bookmark name.

    Read from a report before a rebuild replaces it, this is the best guess of
    where the new report's entries fall (the ``_TocDR…`` names are given in
    document order, so they stay the same while the headings do). Empty when
    ``docx`` is missing or unreadable.
    """
    try:
        report = _Report.open(docx)
    except OutputError:
        return {}
    shown = zip(report.refs, report.written(), strict=True)
    return {ref.entry.bookmark: page for ref, page in shown if page}


def fill_page_numbers_many(
    docx_paths: list[Path],
    workdir: Path | None = None,
    *,
    expected: Sequence[Mapping[str, str]] | None = None,
    max_rounds: int = 3,
    timeout: int = 600,
    jobs: int = 1,
    ready: Callable[[Path], Ready] | None = None,
    archive: bool = False,
) -> list[PageNumberReport]:
    """:func:`fill_page_numbers` for several reports, each round one soffice run for all.

    ``expected`` gives, for each report, the page its entries are expected on, by
    bookmark (see :func:`printed_pages`); they are written before the first
    layout, which then confirms them if the pages did not move. ``jobs`` shares
    the reports of a round out among that many parallel soffice runs; ``archive``
    lays them out as PDF/A-2b (the PDFs kept are then archive PDFs). ``ready(path)``
    gives the hook each save of ``path`` calls before it takes the name (see
    :func:`~docxreport.atomic.write_atomically`).
    """
    reports = [_Report.open(Path(p)) for p in docx_paths]
    for report in reports:
        report.ready = ready(report.path) if ready is not None else None
    for report, pages in zip(reports, expected or [{}] * len(reports), strict=True):
        report.expect(pages)
    results = [PageNumberReport(r.path, [ref.entry for ref in r.refs]) for r in reports]
    pending = list(range(len(reports)))
    with _workdir(workdir) as wd:
        for round_no in range(1, max_rounds + 2):
            if not pending:
                break
            pdfs = pdfconv.convert(
                [reports[i].path for i in pending],
                wd / f"round-{round_no}",
                timeout,
                jobs=jobs,
                archive=archive,
            )
            still: list[int] = []
            for i, pdf in zip(pending, pdfs, strict=True):
                result, report = results[i], reports[i]
                result.conversions, result.pdf = round_no, pdf
                found = locate(result.entries, pdf)
                if [p or "" for p in found] == report.written():
                    result.stable = True
                    report.fill(found)  # records the pages in the entries; text unchanged
                elif round_no <= max_rounds:
                    report.fill(found)
                    report.save()
                    still.append(i)
            pending = still
        for result, report in zip(results, reports, strict=True):  # the cover: the thumbnail
            if result.pdf is not None:
                put_cover_thumbnail(result.docx, result.pdf, report.ready)
        if workdir is None:
            for result in results:
                result.pdf = None
    return results


def fill_page_numbers(
    docx: Path, workdir: Path | None = None, expected: Mapping[str, str] | None = None
) -> PageNumberReport:
    """Write each contents entry's printed page number into ``docx`` (in place, atomically).

    LibreOffice lays the report out; the .docx is converted again after filling
    until a conversion confirms every number: once when the numbers it holds (or
    ``expected``, by bookmark) were right, else usually twice. With ``workdir``
    the PDFs are kept there and ``report.pdf`` is the one made from the final
    .docx; without it they are deleted. Raises :class:`OutputError` when
    LibreOffice or poppler-utils is missing or a conversion fails.
    """
    return fill_page_numbers_many([docx], workdir, expected=[expected or {}])[0]
