"""Campaign look-ups: a unit by its code, however the unit list was changed."""
from __future__ import annotations

import pickle

from workbook_templates.campaign import UT_GRASSROOTS, Unit, default_campaign


def test_every_unit_is_found_by_its_code_and_unknown_codes_are_not():
    c = default_campaign()
    assert all(c.unit(u.code) is u for u in c.units)
    assert c.unit("KHONGCO") is None and c.unit("") is None


def test_the_first_of_two_units_with_one_code_wins():
    c = default_campaign()
    twin = Unit(c.units[0].code, "Trùng mã", UT_GRASSROOTS)
    c.units.append(twin)
    assert c.unit(twin.code) is c.units[0]


def test_changes_to_the_unit_list_are_seen():
    c = default_campaign()
    c.unit("LD01")  # builds the index
    added = Unit("CS99", "Công đoàn cơ sở mới", UT_GRASSROOTS)
    c.units.append(added)
    assert c.unit("CS99") is added
    c.units[0].code = "LD01X"  # edited in place
    assert c.unit("LD01") is None and c.unit("LD01X") is c.units[0]
    c.units = [added]
    assert c.unit("LD02") is None and c.unit("CS99") is added
    c.units[0] = Unit("CS98", "Thay thế", UT_GRASSROOTS)  # same length, other unit
    assert c.unit("CS98") is c.units[0]


def test_a_pickled_campaign_finds_its_own_units():
    c = default_campaign()
    c.unit("LD01")
    copy = pickle.loads(pickle.dumps(c))
    assert copy.unit("LD01") is copy.units[0] and copy == c


def test_a_unit_replaced_in_place_under_the_same_code_is_the_one_found():
    c = default_campaign()
    c.unit("LD01")
    c.units[0] = Unit("LD01", "Tên mới", c.units[0].type)
    assert c.unit("LD01").name == "Tên mới"
