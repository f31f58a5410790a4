"""What check says about the selection: limits exceeded, choices to make, rows gone."""

from __future__ import annotations

from docxreport import layout as L
from docxreport.issues import Issue, warning
from docxreport.model import Location
from docxreport.selection.choose import CASE, NO, YES, Selection, over_limits

_CHOSEN, _ORDER, _TARGET, _PHOTOS = "G", "H", "I", "F"


def selection_issues(sel: Selection, file: str) -> list[Issue]:
    def at(cell: str = "") -> Location:
        return Location(file, L.SELECTION_SHEET, cell)

    issues: list[Issue] = []
    for line in sel.lines:
        r = line.row
        if line.chosen not in (None, "") and not line.decided:
            issues.append(
                warning(
                    at(f"{_CHOSEN}{r}"), f"“入选全市报告”应填“是”或“否”，“{line.chosen}”按空白处理"
                )
            )
        if line.order not in (None, "") and line.rank == float("inf"):
            issues.append(warning(at(f"{_ORDER}{r}"), f"“顺序”应填数字，“{line.order}”不参与排序"))
        target = str(line.target or "").strip()
        if target and line.chapter_section != target:
            issues.append(
                warning(
                    at(f"{_TARGET}{r}"),
                    f"“全市报告章节”应写成 1.2 这样的章节号，“{target}”不可用，仍放在 {line.section}",
                )
            )
        if line.submission is None and line.decided == YES and not line.held:
            where = f"学校/{line.owner}.xlsx" if line.owner != L.CITY_OWNER else L.CITY_FILE
            what = "案例" if line.kind == CASE else "图片"
            issues.append(
                warning(
                    at(f"{_CHOSEN}{r}"),
                    f"已入选的{what}“{line.title}”（{line.owner}）已不在 {where} 中，"
                    "全市报告不再收入；请与学校核实，或改选其他",
                )
            )
    chosen = sel.included()
    per_case = sel.limits.get("max_photos_per_case")
    for line in chosen:
        if line.kind == CASE and per_case is not None and line.photos > per_case:
            issues.append(
                warning(
                    at(f"{_PHOTOS}{line.row}"),
                    f"入选案例“{line.title}”（{line.owner}）有 {line.photos} 张照片，"
                    f"超过每个案例照片上限 {per_case} 张（基本信息）",
                )
            )
    totals = [w for w in over_limits(chosen, sel.limits) if "每个案例" not in w]
    cases, photos = sel.submitted()
    if not sel.chosen_any and not sel.default_all:
        over = "；".join(over_limits([ln for ln in sel.lines if ln.submission], sel.limits))
        issues.append(
            warning(
                at(),
                f"尚未遴选：学校和市级共提交案例 {cases} 个、照片 {photos} 张（{over}），"
                "全市报告暂只收入市级自己的案例和图片。请在“入选全市报告”列为要收入的行填“是”",
            )
        )
    elif totals:
        issues.append(warning(at(), f"入选全市报告的{'；'.join(totals)}（上限见 基本信息）"))
    waiting = [ln for ln in sel.lines if ln.submission and not ln.decided and not ln.included]
    if sel.chosen_any and waiting:
        issues.append(
            warning(
                at(),
                f"{len(waiting)} 行尚未决定是否入选（状态为“待遴选”，多为新提交），"
                f"暂不收入全市报告；请填“是”或“{NO}”",
            )
        )
    return issues
