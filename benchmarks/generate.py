"""Synthetic campaigns of N units and their returned workbooks, cached on disk.

A handful of prototypes (real templates filled with :func:`addin.demo.fill_workbook`, a few
per unit type) are cloned at the XML level: every clone changes only what identifies its unit
(code, name, e-mail on Thông tin and the meta sheet, the unit name wherever the prototype
wrote it) and the people it nominates (name and year of birth), so the cross-file duplicate
checks stay quiet. A clone costs a few milliseconds instead of openpyxl's hundreds.
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
from workbook_templates.forms import INDIVIDUAL_NOMINATIONS, template_file_name
from workbook_templates.messages import Severity
from workbook_templates.reader import col_letter
from workbook_templates.template_writer import write_unit_workbook

GENERATOR_VERSION = 1  # bump when the generated files change: old caches are not reused
PHASE = 1
PROTOTYPES_PER_TYPE = 3
PRISTINE_CONTROL = "control.pristine.xlsx"
# Twenty units in a row: 2 district federations, 2 sector unions, 1 public-servants union,
# 15 grassroots unions (a province's mix, where grassroots unions report directly).
_TYPE_CYCLE = [UT_DISTRICT] * 2 + [UT_SECTOR] * 2 + [UT_PUBLIC] + [UT_GRASSROOTS] * 15
_TYPE_LABEL = {UT_DISTRICT: "LĐLĐ huyện", UT_SECTOR: "Công đoàn ngành",
               UT_PUBLIC: "Công đoàn Viên chức", UT_GRASSROOTS: "Công đoàn cơ sở"}
_YEARS = 30  # birth years 1966..1995 (ages 25..54 in 2020)
_PEOPLE_PER_UNIT = 16  # room for each unit's nominated people (quotas allow at most 8)
MAX_UNITS = 20_000  # distinct people run out beyond (11,200 women's names x 30 years / 16)
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
        code = f"U{i:05d}"
        campaign.units.append(Unit(code, f"{_TYPE_LABEL[kind]} số {i:05d}", kind,
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
    if not 0 < n <= MAX_UNITS:
        raise ValueError(f"between 1 and {MAX_UNITS} units")
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

@dataclass
class _Prototype:
    unit: Unit
    parts: dict[str, bytes]  # member name -> XML with \x01slot\x01 markers
    people: list[bool]  # per nomination row of Khen cá nhân: female?


def _prototypes(campaign: Campaign, folder: Path) -> list[_Prototype]:
    folder.mkdir(parents=True)
    rng = random.Random(2020)
    out = []
    for kind in _TYPE_LABEL:
        units = [u for u in campaign.ordered_units() if u.type == kind][:PROTOTYPES_PER_TYPE]
        for unit in units:
            template = write_unit_workbook(folder / f"t_{unit.code}.xlsx", campaign, unit, PHASE)
            values = _prototype_values(rng, campaign, unit)
            filled = fill_workbook(template, folder / f"f_{unit.code}.xlsx", values)
            women = [r["gioi_tinh"] == "Nữ" for r in values[INDIVIDUAL_NOMINATIONS.key]]
            out.append(_Prototype(unit, _mark(filled, unit, values), women))
    return out


def _prototype_values(rng: random.Random, campaign: Campaign, unit: Unit) -> dict:
    """A unit's values whose collectives carry the unit's name (so clones differ) and whose
    people are all different."""
    values = demo_data.unit_return(rng, campaign, unit, PHASE)
    for i, row in enumerate(values["khen_tap_the"], start=1):
        row["ten_tap_the"] = f"{row['ten_tap_the']} ({i}), {unit.name}"
    for row in values[INDIVIDUAL_NOMINATIONS.key]:
        row["ho_ten"] = _PERSON_SLOT  # replaced by the marker below
    return values


_PERSON_SLOT = "\u2063PERSON\u2063"  # invisible separator: never in real text
_BIRTH_COLUMN = col_letter(INDIVIDUAL_NOMINATIONS.fields.index(
    INDIVIDUAL_NOMINATIONS.field("nam_sinh"))).encode()


def _mark(path: Path, unit: Unit, values: dict) -> dict[str, bytes]:
    """The parts of a filled prototype, re-serialised as UTF-8 with slot markers where a
    clone puts its own unit and people."""
    parts = {}
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        sheet_of = _sheet_parts(z)
        for name in names:
            data = z.read(name)
            if name.endswith(".xml") and name.startswith("xl/"):
                data = etree.tostring(etree.fromstring(data), encoding="UTF-8",
                                      xml_declaration=True, standalone=True)
                data = (data.replace(unit.code.encode(), b"\x01code\x01")
                        .replace(unit.code.lower().encode(), b"\x01lcode\x01")
                        .replace(unit.name.encode(), b"\x01name\x01"))
                if sheet_of.get(name) == INDIVIDUAL_NOMINATIONS.sheet:
                    data = _mark_people(data)
            parts[name] = data
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


def _mark_people(data: bytes) -> bytes:
    """Person names become ``\\x01p<k>\\x01``, their years of birth ``\\x01y<k>\\x01``."""
    person = _PERSON_SLOT.encode()
    rows = re.findall(rb'<row r="(\d+)"[^>]*>(?:(?!</row>).)*?' + re.escape(person), data,
                      flags=re.S)
    for k, r in enumerate(rows):
        data = data.replace(person, f"\x01p{k}\x01".encode(), 1)
        data = re.sub(rb'(<c r="' + _BIRTH_COLUMN + r + rb'"[^>]*><v>)\d+(</v>)',
                      b"\\g<1>\x01y" + str(k).encode() + b"\x01\\g<2>", data)
    if person in data or len(rows) != data.count(b"\x01p"):
        raise AssertionError("prototype: a nominated person was not marked")
    return data


# --- clones -----------------------------------------------------------------------------

def _write_clones(jobs: list[tuple[Unit, _Prototype, int]], inbox: Path) -> int:
    stamp = datetime(2020, 7, 6, 9, 30).timestamp()  # before the phase-1 deadline
    for unit, proto, i in jobs:
        slots = {b"code": unit.code.encode(), b"lcode": unit.code.lower().encode(),
                 b"name": unit.name.encode()}
        for k, female in enumerate(proto.people):
            name, year = _person(i * _PEOPLE_PER_UNIT + k, female)
            slots[f"p{k}".encode()] = name.encode()
            slots[f"y{k}".encode()] = str(year).encode()
        target = inbox / template_file_name(unit.code, PHASE, 2020)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in proto.parts.items():
                z.writestr(name, _SLOT.sub(lambda m, s=slots: s[m.group(1)], data))
        os.utime(target, (stamp, stamp))
    return len(jobs)


def _person(k: int, female: bool) -> tuple[str, int]:
    """The k-th distinct (name, year of birth) of a gender: a family name, two middle names
    ("Thị", "Văn" first), a given name; the year turns once the names are used up."""
    middles = demo_data.MIDDLE_FEMALE if female else demo_data.MIDDLE_MALE
    given = demo_data.GIVEN_FEMALE if female else demo_data.GIVEN_MALE
    pairs = list(itertools.combinations(middles, 2))
    names = len(demo_data.FAMILY) * len(given) * len(pairs)
    wrap, index = divmod(k, names)
    year = 1966 + (index + wrap) % _YEARS
    rest, f = divmod(index, len(demo_data.FAMILY))
    m, g = divmod(rest, len(given))
    return f"{demo_data.FAMILY[f]} {' '.join(pairs[m])} {given[g]}", year


# --- verification ------------------------------------------------------------------------

def _verify_sample(gen: GeneratedSet, rng: random.Random, size: int = 40) -> None:
    """Read and check a sample of clones: every one accepted for its own unit, with no
    error, and no person or collective seen twice."""
    files = gen.files()
    if len(files) != gen.n:
        raise AssertionError(f"{len(files)} files written for {gen.n} units")
    sample = rng.sample(files, min(size, len(files)))
    outcomes = [process_file(p, gen.campaign, PHASE) for p in sample]
    bad = [(o.path.name, [p.text for p in o.problems if p.severity is Severity.ERROR])
           for o in outcomes if not o.accepted or o.count(Severity.ERROR)]
    if bad:
        raise AssertionError(f"clones not accepted cleanly: {bad[:3]}")
    wrong = [o.path.name for o in outcomes if not o.path.name.startswith(o.unit_code + "_")]
    if wrong:
        raise AssertionError(f"clones read as another unit: {wrong[:3]}")
    across = check_across({o.unit_code: Accepted(o.ret, o.unit_code) for o in outcomes},
                          gen.campaign)
    if across:
        raise AssertionError(f"clones collide across files: {[p.text for p in across[:3]]}")
