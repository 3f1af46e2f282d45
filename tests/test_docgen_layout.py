"""Widths of printed text and of annex columns fitted to what they hold."""
from __future__ import annotations

from docgen.layout import fit_columns, lines_needed, text_width_pt, widest_word_twips


def test_a_tight_column_takes_its_widest_word_the_others_share_the_rest():
    grid = [700, 1800, 1500, 1500, 1500, 1571]
    needs = [838, 1200, 1100, 1000, 1491, 1400]
    tight = [True, False, False, False, True, True]
    widths = fit_columns(grid, needs, tight)
    assert sum(widths) == sum(grid)
    assert [widths[k] for k in (0, 4, 5)] == [838, 1491, 1400]
    assert all(w >= n for w, n in zip(widths, needs))
    assert widths[1] > widths[2]  # in the template's proportions


def test_a_loose_column_is_never_narrower_than_its_widest_word():
    widths = fit_columns([700, 300, 3000], [500, 1000, 100], [True, False, False])
    assert widths == [500, 1000, 2500]


def test_content_wider_than_the_page_shrinks_every_column_alike():
    assert fit_columns([700, 3000], [5000, 5000], [True, False]) == [1850, 1850]


def test_widths_are_upper_bounds_of_times_new_roman():
    # Times New Roman: digits 0.5 em, "." 0.25 em: "120.000.000" is 4.75 em at most
    assert 4.75 * 12 <= text_width_pt("120.000.000", 12) <= 6 * 12
    assert widest_word_twips("Giá trị (đồng)", 12, True) == widest_word_twips("(đồng)", 12, True)
    assert lines_needed("một hai ba", 12, 1000) == 1
    assert lines_needed("một hai ba", 12, text_width_pt("một hai", 12)) == 2


def test_a_short_text_column_holds_each_cell_on_one_line_when_the_others_keep_room():
    grid, needs, tight = [700, 2400, 3171, 2800], [838, 1052, 1052, 1066], [True] + [False] * 3
    # names fit on one line in 2,271 twips: the column takes that, the rest is shared
    assert fit_columns(grid, needs, tight, [516, 2271, 8439, 15757]) == [838, 2271, 3167, 2795]
    # a status needing 1,400 in a 900 column widens only while the others keep 85 %
    widths = fit_columns([650, 2021, 900, 5500], [838, 1000, 900, 1000], [True] + [False] * 3,
                         [500, 6000, 1400, 20000])
    assert widths[2] == 1400 and sum(widths) == 9071
    # a column that would fit on one line at 5,400 but leave the text column 2,833 of 5,000
    squeezed = fit_columns([650, 5000, 3421], [838, 1000, 1000], [True, False, False],
                           [500, 20000, 5400])
    assert squeezed[2] < 5400 and squeezed[1] > 0.85 * 5000
