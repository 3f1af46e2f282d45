"""Synthetic campaigns of N units and their returned workbooks, cached on disk.

A handful of prototypes (real templates filled with :func:`addin.demo.fill_workbook`, a few
per unit type) are cloned at the XML level: every clone changes only what identifies its unit
(code, name, e-mail on Thông tin and the meta sheet, the unit name wherever the prototype
wrote it) and its people, nominated or proposed as outstanding examples (name, wherever the
row says it, and year of birth), so the cross-file checks stay quiet: up to
:func:`capacity` units (182,400) with distinct codes, names, collectives and people. A clone
costs a few milliseconds instead of openpyxl's hundreds.
"""
from __future__ import annotations

import itertools
import os
import random
import re
import shutil
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from lxml import etree

from addin import demo_data
from addin.campaign_setup import init_campaign
from addin.read_pool import process_file
from addin.crosscheck import Accepted, check_across
from addin.demo import fill_workbook
from addin.folder import CampaignFolder
from workbook_templates.campaign import (
    UT_DISTRICT, UT_GRASSROOTS, UT_PUBLIC, UT_SECTOR, Campaign, Unit, default_campaign)
from workbook_templates.forms import (
    COLLECTIVE_NOMINATIONS, INDIVIDUAL_NOMINATIONS, OUTSTANDING, template_file_name)
from workbook_templates.messages import Severity
from workbook_templates.reader import col_letter
from workbook_templates.template_writer import write_unit_workbook

GENERATOR_VERSION = 2  # bump when the generated files change: old caches are not reused
PHASE = 1
PROTOTYPES_PER_TYPE = 3
PRISTINE_CONTROL = "control.pristine.xlsx"
# Twenty units in a row: 2 district federations, 2 sector unions, 1 public-servants union,
# 15 grassroots unions (a province's mix, where grassroots unions report directly).
_TYPE_CYCLE = [UT_DISTRICT] * 2 + [UT_SECTOR] * 2 + [UT_PUBLIC] + [UT_GRASSROOTS] * 15
_TYPE_LABEL = {UT_DISTRICT: "LĐLĐ huyện", UT_SECTOR: "Công đoàn ngành",
               UT_PUBLIC: "Công đoàn Viên chức", UT_GRASSROOTS: "Công đoàn cơ sở"}
CODE_DIGITS = 6  # unit codes U000001 .. U999999
_FIRST_YEAR, _YEARS = 1966, 30  # birth years 1966..1995 (ages 25..54 in 2020)
# Room for each unit's people: the nominations (quotas allow at most 8) and the outstanding
# examples (1 or 2).
PEOPLE_PER_UNIT = 10
_SLOT = re.compile(rb"\x01(\w+)\x01")


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "thidua-benchmarks"


def synthetic_campaign(n: int) -> Campaign:
    """The 2020 Cao Bằng campaign with its units replaced by ``n`` synthetic ones."""
    campaign = default_campaign()
    campaign.units = []
    for i in range(1, n + 1):
        kind = _TYPE_CYCLE[(i - 1) % len(_TYPE_CYCLE)]
        code = f"U{i:0{CODE_DIGITS}d}"
        campaign.units.append(Unit(code, f"{_TYPE_LABEL[kind]} số {i:0{CODE_DIGITS}d}", kind,
                                   email=f"{code.lower()}@congdoancaobang.vn", order=i))
    return campaign


@dataclass
class GeneratedSet:
    n: int
    root: Path  # the cached set: control.pristine.xlsx and inbox/
    campaign: Campaign

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    def files(self) -> list[Path]:
        return sorted(self.inbox.glob("*.xlsx"))

    def fresh_folder(self, target: Path) -> CampaignFolder:
        """A campaign folder at ``target`` with a pristine control workbook, no register,
        and the cached files hard-linked into its inbox (consolidate never writes them)."""
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        place = CampaignFolder.at(target, self.campaign)
        shutil.copy2(self.root / PRISTINE_CONTROL, place.control)
        for sub in (place.inbox, place.outbox, place.output):
            sub.mkdir()
        for path in self.files():
            os.link(path, place.inbox / path.name)
        return place


def generate(n: int, cache: Path | None = None, say=print) -> GeneratedSet:
    """The set of ``n`` returned workbooks, generated once and then taken from the cache."""
    if not 0 < n <= capacity():
        raise ValueError(f"between 1 and {capacity()} units")
    root = (cache or default_cache()) / f"v{GENERATOR_VERSION}" / f"n{n}"
    campaign = synthetic_campaign(n)
    done = root / "complete"
    if done.exists():
        return GeneratedSet(n, root, campaign)
    if root.exists():
        shutil.rmtree(root)
    work = root / "setup"
    init_campaign(work, campaign)
    (root / "inbox").mkdir(parents=True)
    shutil.move(str(CampaignFolder.at(work).control), root / PRISTINE_CONTROL)
    shutil.rmtree(work)
    started = datetime.now()
    protos = _prototypes(campaign, root / "prototypes")
    by_type: dict[str, list[_Prototype]] = {}
    for p in protos:
        by_type.setdefault(p.unit.type, []).append(p)
    jobs = [(unit, by_type[unit.type][i % len(by_type[unit.type])], i)
            for i, unit in enumerate(campaign.ordered_units())]
    workers = os.cpu_count() or 1
    batches = [jobs[k::workers] for k in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_write_clones, batches, [root / "inbox"] * workers))
    shutil.rmtree(root / "prototypes")
    result = GeneratedSet(n, root, campaign)
    _verify_sample(result, random.Random(n))
    done.write_text(f"{n} files, generator v{GENERATOR_VERSION}, "
                    f"{(datetime.now() - started).total_seconds():.1f} s\n")
    say(f"  generated {n} files in {root} ({(datetime.now() - started).total_seconds():.1f} s)")
    return result


# --- prototypes -------------------------------------------------------------------------

_PEOPLE_FORMS = (INDIVIDUAL_NOMINATIONS, OUTSTANDING)  # whose people must differ per clone


@dataclass
class _Prototype:
    unit: Unit
    parts: dict[str, bytes]  # member name -> XML with \x01slot\x01 markers
    people: list[bool]  # per person slot (nominations, then outstanding examples): female?


def _prototypes(campaign: Campaign, folder: Path) -> list[_Prototype]:
    folder.mkdir(parents=True)
    rng = random.Random(2020)
    forms = campaign.unit_forms(PHASE)
    out = []
    for kind in _TYPE_LABEL:
        units = [u for u in campaign.ordered_units() if u.type == kind][:PROTOTYPES_PER_TYPE]
        for unit in units:
            template = write_unit_workbook(folder / f"t_{unit.code}.xlsx", campaign, unit,
                                           PHASE, forms)
            values = _prototype_values(rng, campaign, unit)
            filled = fill_workbook(template, folder / f"f_{unit.code}.xlsx", values, forms=forms)
            women = [r["gioi_tinh"] == "Nữ" for f in _PEOPLE_FORMS for r in values[f.key]]
            if len(women) > PEOPLE_PER_UNIT:
                raise AssertionError(f"prototype {unit.code}: more than {PEOPLE_PER_UNIT} people")
            out.append(_Prototype(unit, _mark(filled, unit, values), women))
    return out


def _prototype_values(rng: random.Random, campaign: Campaign, unit: Unit) -> dict:
    """A unit's values whose collectives carry the unit's name (so clones differ) and whose
    people (nominated, and outstanding examples with their stories) are slots."""
    values = demo_data.unit_return(rng, campaign, unit, PHASE)
    for i, row in enumerate(values[COLLECTIVE_NOMINATIONS.key], start=1):
        row["ten_tap_the"] = f"{row['ten_tap_the']} ({i}), {unit.name}"
    for row in values[OUTSTANDING.key]:
        row["thanh_tich"] = row["thanh_tich"].replace(row["ho_ten"], _PERSON_SLOT)
    for form in _PEOPLE_FORMS:
        for row in values[form.key]:
            row["ho_ten"] = _PERSON_SLOT  # replaced by the markers of _mark_people
    return values


_PERSON_SLOT = "\u2063PERSON\u2063"  # invisible separator: never in real text
_ROW = re.compile(rb'<row r="(\d+)"(?:[^>]*/>|[^>]*>.*?</row>)', re.S)


def _mark(path: Path, unit: Unit, values: dict) -> dict[str, bytes]:
    """The parts of a filled prototype, re-serialised as UTF-8 with slot markers where a
    clone puts its own unit and people."""
    parts = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith(".xml") and name.startswith("xl/"):
                data = etree.tostring(etree.fromstring(data), encoding="UTF-8",
                                      xml_declaration=True, standalone=True)
                data = (data.replace(unit.code.encode(), b"\x01code\x01")
                        .replace(unit.code.lower().encode(), b"\x01lcode\x01")
                        .replace(unit.name.encode(), b"\x01name\x01"))
            parts[name] = data
        part_of = {sheet: part for part, sheet in _sheet_parts(z).items()}
    start = 0
    for form in _PEOPLE_FORMS:
        part = part_of[form.sheet]
        parts[part], count = _mark_people(parts[part], form, start)
        if count != len(values[form.key]):
            raise AssertionError(f"prototype: {count} of {len(values[form.key])} people "
                                 f"marked on {form.sheet}")
        start += count
    return parts


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    rels = {r.get("Id"): r.get("Target") for r in
            etree.fromstring(z.read("xl/_rels/workbook.xml.rels")).findall("p:Relationship", ns)}
    out = {}
    for s in etree.fromstring(z.read("xl/workbook.xml")).iterfind(".//m:sheet", ns):
        target = rels[s.get(f"{{{ns['r']}}}id")]
        out["xl/" + target.lstrip("/").removeprefix("xl/")] = s.get("name")
    return out


def _mark_people(data: bytes, form, start: int) -> tuple[bytes, int]:
    """On each row of ``form``'s sheet naming a person, the name (wherever the row says it)
    becomes ``\\x01p<k>\\x01`` and the year of birth ``\\x01y<k>\\x01``, k counting from
    ``start``; returns the part and the number of people marked."""
    slot = _PERSON_SLOT.encode()
    birth = col_letter(form.fields.index(form.field("nam_sinh"))).encode()
    k = start

    def mark_row(m: re.Match) -> bytes:
        nonlocal k
        row = m.group(0)
        if slot not in row:
            return row
        row = row.replace(slot, b"\x01p%d\x01" % k)
        row, found = re.subn(rb'(<c r="' + birth + m.group(1) + rb'"[^>]*><v>)\d+(</v>)',
                             b"\\g<1>\x01y%d\x01\\g<2>" % k, row)
        if found != 1:
            raise AssertionError(f"prototype: no year of birth on row {m.group(1)}")
        k += 1
        return row

    data = _ROW.sub(mark_row, data)
    if slot in data:
        raise AssertionError("prototype: a person outside the rows")
    return data, k - start


# --- clones -----------------------------------------------------------------------------

def _write_clones(jobs: list[tuple[Unit, _Prototype, int]], inbox: Path) -> int:
    stamp = datetime(2020, 7, 6, 9, 30).timestamp()  # before the phase-1 deadline
    for unit, proto, i in jobs:
        slots = {b"code": unit.code.encode(), b"lcode": unit.code.lower().encode(),
                 b"name": unit.name.encode()}
        for k, female in enumerate(proto.people):
            name, year = person(i * PEOPLE_PER_UNIT + k, female)
            slots[b"p%d" % k] = name.encode()
            slots[b"y%d" % k] = str(year).encode()
        target = inbox / template_file_name(unit.code, PHASE, 2020)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in proto.parts.items():
                z.writestr(name, _SLOT.sub(lambda m, s=slots: s[m.group(1)], data))
        os.utime(target, (stamp, stamp))
    return len(jobs)


@lru_cache(maxsize=2)
def person_names(female: bool) -> tuple[str, ...]:
    """Every name the generator gives to people of a gender: a family name, a middle name
    ("Thị", "Văn" ...), a compound given name of two different given names ("Hà Linh")."""
    middles = demo_data.MIDDLE_FEMALE if female else demo_data.MIDDLE_MALE
    given = demo_data.GIVEN_FEMALE if female else demo_data.GIVEN_MALE
    return tuple(f"{family} {middle} {first} {second}" for family in demo_data.FAMILY
                 for middle in middles for first, second in itertools.permutations(given, 2))


_NAME_STRIDE = 7919  # a prime dividing neither list's length: neighbours get unlike names


def person(k: int, female: bool) -> tuple[str, int]:
    """The k-th distinct (name, year of birth) of a gender."""
    names = person_names(female)
    if not 0 <= k < len(names) * _YEARS:
        raise ValueError(f"only {len(names) * _YEARS} distinct people")
    position, year = person_slot(k, len(names))
    return names[position], year


def person_slot(k, names: int):
    """Where the k-th person's name is among ``names`` names, and their year of birth:
    every name once (in a shuffled order), then again with the year turned by one, until
    every year has been used. Plain arithmetic, so ``k`` may be a NumPy array."""
    wrap, index = divmod(k, names)
    return index * _NAME_STRIDE % names, _FIRST_YEAR + (index + wrap) % _YEARS


def capacity() -> int:
    """The most units the generator can make with distinct codes and distinct people."""
    people = min(len(person_names(True)), len(person_names(False))) * _YEARS
    return min(10 ** CODE_DIGITS - 1, people // PEOPLE_PER_UNIT)


# --- verification ------------------------------------------------------------------------

def _verify_sample(gen: GeneratedSet, rng: random.Random, size: int = 40) -> None:
    """Read and check a sample of clones: every one accepted for its own unit, with no
    error or warning, and no person or collective seen twice."""
    files = gen.files()
    if len(files) != gen.n:
        raise AssertionError(f"{len(files)} files written for {gen.n} units")
    sample = rng.sample(files, min(size, len(files)))
    outcomes = [process_file(p, gen.campaign, PHASE) for p in sample]
    bad = [(o.path.name, [p.text for p in o.problems if p.severity is not Severity.INFO])
           for o in outcomes
           if not o.accepted or o.count(Severity.ERROR) or o.count(Severity.WARNING)]
    if bad:
        raise AssertionError(f"clones not accepted cleanly: {bad[:3]}")
    wrong = [o.path.name for o in outcomes if not o.path.name.startswith(o.unit_code + "_")]
    if wrong:
        raise AssertionError(f"clones read as another unit: {wrong[:3]}")
    across = check_across({o.unit_code: Accepted(o.ret, o.unit_code) for o in outcomes},
                          gen.campaign)
    if across:
        raise AssertionError(f"clones collide across files: {[p.text for p in across[:3]]}")
