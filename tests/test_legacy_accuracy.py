"""The measured accuracy of legacy-text repair (README, "Legacy Vietnamese text"): 2,000
realistic cells per encoding, encoded with UniKey's published tables (tests/legacy_sample.py),
read with the cell's legacy font, and without it (no font known, or a Unicode font on the
same bytes), cell by cell inside files of 25 cells as units return them; and genuine Unicode
cells with symbols and foreign words, none of which may change."""
import pytest

from legacy_sample import (
    TCVN3_TABLE, VNI_TABLE, encode, genuine_cells, realistic_cells, tcvn3_lowered)
from workbook_templates.vntext import Hint, repair, settle

CELLS = realistic_cells(2000, seed=13)
FILE_CELLS = 25
ENCODINGS = {  # name -> (table, font hint, expected text of a Unicode cell)
    "TCVN3": (TCVN3_TABLE, Hint.TCVN3, str),
    "TCVN3 capitals": (TCVN3_TABLE, Hint.TCVN3_CAPITALS, str.upper),
    "VNI": (VNI_TABLE, Hint.VNI, str),
}


def _read(cells: list[str], hint: Hint | None) -> list[str]:
    """The cells as the reader decides them: every cell in the same font, file by file."""
    out = []
    for start in range(0, len(cells), FILE_CELLS):
        out += [r.text for r in settle([repair(c, hint) for c in cells[start:start + FILE_CELLS]])]
    return out


def _accuracy(name: str, hint: Hint | None) -> float:
    table, _, expect = ENCODINGS[name]
    expected = [expect(c) for c in CELLS]
    got = _read([encode(e, table) for e in expected], hint)
    right = sum(g == e or (name == "TCVN3" and g == tcvn3_lowered(e))  # lowered capitals
                for g, e in zip(got, expected))
    return right / len(CELLS)


def test_the_sample_is_encoded_by_the_published_tables():
    assert len(CELLS) >= 2000 and len(genuine_cells()) >= 106
    assert encode("Nguyễn Văn Đức", TCVN3_TABLE) == "NguyÔn V¨n §øc"
    assert encode("Nguyễn Văn Đức", VNI_TABLE) == "Nguyeãn Vaên Ñöùc"
    assert encode("Ánh", TCVN3_TABLE) == "¸nh"  # TCVN3 has no code for a toned capital


@pytest.mark.parametrize("name", ENCODINGS)
def test_with_the_legacy_font_every_cell_is_exact(name):
    assert _accuracy(name, ENCODINGS[name][1]) == 1.0


@pytest.mark.parametrize("hint", [None, Hint.UNICODE], ids=["no font", "Unicode font"])
@pytest.mark.parametrize("name", ENCODINGS)
def test_without_the_font_at_least_995_per_mille(name, hint):
    assert _accuracy(name, hint) >= 0.995


@pytest.mark.parametrize("hint", [None, Hint.UNICODE], ids=["no font", "Unicode font"])
def test_genuine_unicode_and_symbols_never_change(hint):
    cells = genuine_cells()
    alone = [c for c in cells if repair(c, hint).text != c]
    in_files = [c for c, got in zip(cells, _read(cells, hint)) if got != c]
    assert alone == [] and in_files == []
