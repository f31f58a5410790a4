"""What the city report prints, decided from the selection sheet and the submissions (pure)."""

from __future__ import annotations

from conftest import JIA, YI, city_data
from docxreport import layout as L
from docxreport.model import Choice, Location, SchoolData, Value
from docxreport.selection import select
from docxreport.selection.limits import selection_issues


def row(**cells) -> dict[str, Value]:
    return {k: Value(v, Location("学校/x.xlsx", "案例", "B2")) for k, v in cells.items()}


def school(s, n_cases: int, section: str = "1.2") -> SchoolData:
    cases = [
        row(section=section, title=f"{s.short}案例{i}", text="字" * 100) for i in range(n_cases)
    ]
    return SchoolData(s, f"学校/{s.filename}", lists={"cases": cases, "photos": []})


def choice(r: int, owner: str, title: str, chosen=None, order=None, target=None) -> Choice:
    def v(x, col):
        return Value(x, Location(L.CITY_FILE, L.SELECTION_SHEET, f"{col}{r}"))

    return Choice(r, owner, "案例", "1.2", title, v(chosen, "G"), v(order, "H"),
                  v(target, "I"), v(None, "K"))  # fmt: skip


def titles(sel) -> list[str]:
    return [line.title for line in sel.included()]


def test_few_submissions_print_all_but_those_marked_no() -> None:
    city = city_data()
    city.choices = [choice(2, "甲校", "甲校案例0", "否")]
    sel = select(city, [school(JIA, 2), school(YI, 1)])
    assert sel.default_all and titles(sel) == ["甲校案例1", "乙校案例0"]
    assert sel.added == 2


def test_many_submissions_wait_for_a_choice() -> None:
    city = city_data()
    city.lists = {"cases": [row(section="6.7", title="市级案例", text="字")]}
    sel = select(city, [school(JIA, 20, "1.2"), school(YI, 5, "2.1")])
    assert not sel.default_all and titles(sel) == ["市级案例"]
    (issue,) = selection_issues(sel, L.CITY_FILE)
    assert "尚未遴选" in issue.message and "案例 26 个，超过上限 20 个" in issue.message


def test_chosen_rows_in_their_order_and_everything_else_out() -> None:
    city = city_data()
    city.choices = [
        choice(2, "甲校", "甲校案例0", "是", "2"),  # typed as text: still a number
        choice(3, "甲校", "甲校案例1", "是", 1),
        choice(4, "乙校", "乙校案例0", "好的"),  # not understood: blank, and said so
    ]
    sel = select(city, [school(JIA, 2), school(YI, 1)])
    assert sel.chosen_any and titles(sel) == ["甲校案例1", "甲校案例0"]
    issues = selection_issues(sel, L.CITY_FILE)
    assert any(str(i.loc).endswith("!G4") and "“好的”按空白处理" in i.message for i in issues)


def test_a_moved_case_counts_in_its_new_chapter() -> None:
    city = city_data()
    city.choices = [choice(r, "甲校", f"甲校案例{r - 2}", "是", None, "3.1") for r in (2, 3)]
    city.limits = {"max_cases_per_chapter": Value(1, Location(L.CITY_FILE, L.INFO_SHEET, "B12"))}
    sel = select(city, [school(JIA, 2)])
    assert {line.chapter_section for line in sel.included()} == {"3.1"}
    issues = selection_issues(sel, L.CITY_FILE)
    assert any("第 3 章案例 2 个，超过每章上限 1 个" in i.message for i in issues)
