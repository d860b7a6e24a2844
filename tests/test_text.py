"""Text cleaned where it comes in and made safe where it goes out (tracker.text)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.text import clean, could_run, for_csv, from_csv


def test_control_characters_go_but_tabs_and_new_lines_stay():
    assert clean("a\x00b\x0bc\x1fd\x7fe\x85f") == "abcdef"
    assert clean("one\ttwo\nthree") == "one\ttwo\nthree"


def test_windows_and_old_mac_line_ends_become_new_lines():
    assert clean("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_what_xml_cannot_hold_goes():
    assert clean("a\ufffeb\uffffc\ud800d") == "abcd"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_a_cell_that_would_run_is_quoted_in_csv(start):
    cell = f'{start}HYPERLINK("http://example.org")'
    assert could_run(cell)
    assert for_csv(cell) == "'" + cell
    assert from_csv(for_csv(cell)) == cell


def test_ordinary_cells_and_quotes_are_left_alone():
    assert for_csv("Sep 21") == "Sep 21"
    assert from_csv("'tis the season") == "'tis the season"


@given(st.text())
def test_csv_cells_read_back_as_written(text):
    assert from_csv(for_csv(text)) == clean(text)
    assert not could_run(for_csv(text))


@pytest.mark.parametrize("cell", ["'=1", "''+x", "'", "'-"])
def test_quotes_before_a_formula_read_back_exactly(cell):
    assert from_csv(for_csv(cell)) == cell
