"""File one school's workbooks of a batch: the newest in place, every other version kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docxreport import layout as L
from docxreport.collect import results as R
from docxreport.collect.gather import Item
from docxreport.collect.place import (
    OnFile,
    keep_backup,
    locked,
    put,
    sha,
)
from docxreport.model import School
from docxreport.workbook.identify import Identity


@dataclass
class Candidate:
    """A received workbook that is a registered school's, for the year being collected."""

    item: Item
    data: bytes
    ident: Identity
    school: School
    note: str = ""  # e.g. converted from .xls

    @property
    def digest(self) -> str:
        return self.ident.digest

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the bytes as received (an .xls before its conversion)."""
        return self.item.origin or sha(self.data)

    def newest_first(self) -> tuple[datetime, datetime]:
        """Sort key: the workbook's own saved time, then the file's time."""
        return (self.ident.saved or datetime.min, self.item.mtime or datetime.min)

    def received(
        self, status: str, message: str = "", placed: str = "", backup: str = ""
    ) -> R.Received:
        note = "；".join(m for m in (self.note, message) if m)
        return R.Received(
            self.item.label,
            R.WORKBOOK,
            status,
            note,
            self.school.short,
            self.digest,
            self.ident.saved,
            placed,
            backup,
            self.fingerprint,
        )


def _when(c: Candidate) -> str:
    return f"{c.ident.saved:%Y-%m-%d %H:%M}" if c.ident.saved else "保存时间不详"


def file_school(
    folder: Path, school: School, cands: list[Candidate], now: datetime
) -> tuple[R.SchoolOutcome, list[R.Received]]:
    """Put the newest of ``cands`` in place as ``学校/<简称>.xlsx``; keep the others as backups."""
    sdir = folder / L.SCHOOL_DIR
    cands = sorted(cands, key=Candidate.newest_first, reverse=True)
    problem = L.short_name_problem(school.short)
    if problem:  # the registry's reader refuses it too: never a path from it
        why = f"名册中的简称“{school.short}”不能用作文件名（{problem}），请在学校名册中改正"
        out = R.SchoolOutcome(school, R.NOT_RECEIVED, f"{L.SCHOOL_DIR}/{school.filename}")
        return out, [c.received(R.REFUSED, why) for c in cands]
    chosen, others = cands[0], cands[1:]
    have = OnFile(sdir, school.short)
    rel = f"{L.SCHOOL_DIR}/{have.current.name}"
    reason = locked(have.current)
    if reason:
        out = R.SchoolOutcome(school, R.LOCKED, rel, have.digest, on_file=have.exists)
        return out, [c.received(R.REFUSED, reason) for c in cands]
    lines: list[R.Received] = []
    if have.holds(chosen.data, chosen.digest):
        outcome = R.SchoolOutcome(school, R.SAME, rel, chosen.digest, on_file=True)
        lines.append(chosen.received(R.SAME, placed=rel))
    elif have.exists and have.saved and chosen.ident.saved and chosen.ident.saved < have.saved:
        outcome = R.SchoolOutcome(school, R.OLDER, rel, have.digest, on_file=True)
        known = _known(have)
        why = f"早于已有版本（保存于 {have.saved:%Y-%m-%d %H:%M}），未替换"
        for c in cands:
            lines.append(_keep(c, have.current, known, now, R.OLDER, why))
        return outcome, lines
    else:
        backup = ""
        if have.exists and (not have.digest or have.digest not in have.kept):
            path = keep_backup(have.current, now)
            backup = f"{L.SCHOOL_DIR}/{path.name}"
        put(chosen.data, have.current)
        status = R.UPDATED if have.exists else R.NEW
        outcome = R.SchoolOutcome(school, status, rel, chosen.digest, backup, on_file=True)
        saved = f"保存于 {_when(chosen)}" if others else ""
        lines.append(chosen.received(status, saved, rel, backup))
    why = f"采用了同批较新的 {chosen.item.label}（{_when(chosen)}）"
    known = _known(have) | {chosen.digest} if others else set()
    for other in others:
        if other.digest == chosen.digest:
            lines.append(other.received(R.KEPT_ALREADY, f"与 {chosen.item.label} 是同一版本"))
            continue
        lines.append(_keep(other, have.current, known, now, R.KEPT, why))
    return outcome, lines


def _known(have: OnFile) -> set[str]:
    """The versions kept already: the current file's and its backups'."""
    return set(have.kept) | ({have.digest} if have.digest else set())


def _keep(
    c: Candidate, current: Path, known: set[str], now: datetime, status: str, why: str
) -> R.Received:
    """Keep a version that is not the one in place as a backup, unless it is kept already."""
    when = f"保存于 {_when(c)}，{why}"
    if c.digest in known:
        same = R.KEPT_ALREADY if status == R.KEPT else status
        return c.received(same, f"{when}；此版本已在 {L.SCHOOL_DIR}/ 中")
    path = keep_backup(current, now, c.data)
    known.add(c.digest)
    rel = f"{L.SCHOOL_DIR}/{path.name}"
    return c.received(status, when, rel, rel)
