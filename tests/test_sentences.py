"""The sentence check: a dash standing for a number, a direction word the figures contradict."""

from __future__ import annotations

from docxreport.checks.sentences import (
    SENTENCE,
    Piece,
    Prose,
    sentence_issues,
    sentences,
    view_judge,
)
from docxreport.model import EMPTY, Figure
from docxreport.view.report import Moved, Printed

FILE = "报告.docx"


def printed(key: str, name: str, text: str) -> Printed:
    figure = EMPTY if text == "—" else Figure(float(text))
    return Printed(key, "curr", None, name, "2025 年", text, figure)


def moved(key: str, name: str, change: float | None) -> Moved:
    if change is None:
        return Moved(key, None, name, "—", "—", "—")
    word = "增加" if change > 0 else "减少" if change < 0 else "持平"
    return Moved(key, None, name, word, str(abs(change)), "1.0", Figure(change), Figure(1.0))


def issues(*pieces: Piece, changes=None) -> list:
    para = Prose(12, "人才培养 › 培养规模", tuple(pieces))
    return sentence_issues([para], view_judge(changes or {}), FILE)


def test_a_sentence_is_cut_at_its_full_stop_even_inside_one_piece():
    got = list(sentences([Piece("甲。乙；"), Piece("3", object()), Piece("丙。")]))
    assert [[p.text for p in s] for s in got] == [["甲。"], ["乙；"], ["3", "丙。"]]


def test_a_figure_printed_as_a_dash_inside_a_sentence_is_located_by_chapter_and_excerpt():
    funding = printed("special_funding", "年财政专项经费", "—")
    [issue] = issues(Piece("经费 "), Piece("—", funding), Piece(" 万元。另一句。"))
    assert issue.kind == SENTENCE
    assert str(issue.loc) == "报告.docx › 正文!段落 12"
    assert "句中的年财政专项经费印为“—”" in issue.message
    assert issue.message.endswith("（章节：人才培养 › 培养规模）：“经费 — 万元。”")


def test_a_comparison_without_last_year_is_a_dash_too():
    change = moved("students", "在校生", None)
    [issue] = issues(Piece("在校生较上年"), Piece("—", (change, "word")), Piece("。"))
    assert "在校生较上年变化印为“—”" in issue.message


def test_a_written_direction_word_against_the_figure_beside_it():
    students = printed("students", "在校生", "900")
    changes = {"students": moved("students", "在校生", -100)}
    [issue] = issues(
        Piece("在校生 "), Piece("900", students), Piece(" 人，比上年增加。"), changes=changes
    )
    assert "句中写着“增加”，但在校生较上年减少" in issue.message


def test_a_direction_word_the_figure_agrees_with_is_fine():
    students = printed("students", "在校生", "900")
    changes = {"students": moved("students", "在校生", 100)}
    assert (
        issues(
            Piece("在校生 "), Piece("900", students), Piece(" 人，比上年增加。"), changes=changes
        )
        == []
    )


def test_a_comparison_with_last_year_that_has_no_last_year():
    students = printed("students", "在校生", "900")
    changes = {"students": moved("students", "在校生", None)}
    [issue] = issues(
        Piece("在校生 "), Piece("900", students), Piece(" 人，较上年增长。"), changes=changes
    )
    assert "没有上年数据" in issue.message


def test_policy_prose_without_figures_is_left_alone():
    year = object()  # a year or a name: not a figure
    assert issues(Piece("提高办学质量，"), Piece("2025", year), Piece(" 年增加投入。")) == []


def test_a_direction_word_in_a_clause_about_something_else_is_left_alone():
    students = printed("students", "在校生", "900")
    changes = {"students": moved("students", "在校生", -100)}
    found = issues(
        Piece("在校生 "),
        Piece("900", students),
        Piece(" 人，学校将继续提高办学质量。"),
        changes=changes,
    )
    assert found == []
