"""Synthetic campaigns of N units and their returned workbooks, cached on disk.

A handful of prototypes (real templates filled with :func:`addin.demo.fill_workbook`, a few
per unit type) are cloned at the XML level: every clone changes only what identifies its unit
(code, name, e-mail on Thông tin and the meta sheet, the unit name wherever the prototype
wrote it) and its people, nominated or proposed as outstanding examples (name, wherever the
row says it, and year of birth), so the cross-file checks stay quiet: up to
:func:`capacity` units (182,400) with distinct codes, names, collectives and people. A clone
costs about half a millisecond (see "the package" below) instead of openpyxl's hundreds.
"""
from __future__ import annotations

import itertools
import os
import random
import re
import shutil
import struct
import zipfile
import zlib
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

GENERATOR_VERSION = 4  # bump when the generated files change: old caches are not reused
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
    started = datetime.now()
    work = root / "setup"
    init_campaign(work, campaign)
    (root / "inbox").mkdir(parents=True)
    shutil.move(str(CampaignFolder.at(work).control), root / PRISTINE_CONTROL)
    shutil.rmtree(work)
    control_seconds = (datetime.now() - started).total_seconds()
    _write_clones(campaign, _prototypes(campaign, root / "prototypes"), root / "inbox")
    shutil.rmtree(root / "prototypes")
    result = GeneratedSet(n, root, campaign)
    _verify_sample(result, random.Random(n))
    took = (f"{(datetime.now() - started).total_seconds():.1f} s, of which the control "
            f"workbook {control_seconds:.1f} s")
    done.write_text(f"{n} files, generator v{GENERATOR_VERSION}, {took}\n")
    say(f"  generated {n} files in {root} ({took})")
    return result


_WORKER: dict = {}  # in each generating worker: what its tasks share (given once per worker)


def _receive(shared: dict) -> None:
    _WORKER.update(shared)


# --- prototypes -------------------------------------------------------------------------

_PEOPLE_FORMS = (INDIVIDUAL_NOMINATIONS, OUTSTANDING)  # whose people must differ per clone


@dataclass
class _Prototype:
    unit: Unit
    parts: list[_Part]  # the package's members, XML with \x01slot\x01 markers
    people: list[bool]  # per person slot (nominations, then outstanding examples): female?


def _prototypes(campaign: Campaign, folder: Path) -> list[_Prototype]:
    """The first units of each type, their values drawn in turn from one seed, written,
    filled and marked in worker processes."""
    folder.mkdir(parents=True)
    ordered = campaign.ordered_units()
    units = [u for kind in _TYPE_LABEL
             for u in [u for u in ordered if u.type == kind][:PROTOTYPES_PER_TYPE]]
    rng = random.Random(2020)
    values = [_prototype_values(rng, campaign, unit) for unit in units]
    with ProcessPoolExecutor(os.cpu_count() or 1, initializer=_receive,
                             initargs=({"campaign": campaign, "folder": folder},)) as pool:
        return list(pool.map(_prototype, units, values))


def _prototype(unit: Unit, values: dict) -> _Prototype:
    campaign, folder = _WORKER["campaign"], _WORKER["folder"]
    forms = campaign.unit_forms(PHASE)
    template = write_unit_workbook(folder / f"t_{unit.code}.xlsx", campaign, unit, PHASE, forms)
    filled = fill_workbook(template, folder / f"f_{unit.code}.xlsx", values, forms=forms)
    women = [r["gioi_tinh"] == "Nữ" for f in _PEOPLE_FORMS for r in values[f.key]]
    if len(women) > PEOPLE_PER_UNIT:
        raise AssertionError(f"prototype {unit.code}: more than {PEOPLE_PER_UNIT} people")
    parts = [_Part.of(name, data) for name, data in _mark(filled, unit, values).items()]
    return _Prototype(unit, parts, women)


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

def _write_clones(campaign: Campaign, protos: list[_Prototype], inbox: Path) -> None:
    """Every unit's file, cloned from the prototypes of its type in turn."""
    by_type: dict[str, list[int]] = {}
    for k, p in enumerate(protos):
        by_type.setdefault(p.unit.type, []).append(k)
    jobs = [(unit, by_type[unit.type][i % len(by_type[unit.type])], i)
            for i, unit in enumerate(campaign.ordered_units())]
    with ProcessPoolExecutor(os.cpu_count() or 1, initializer=_receive,
                             initargs=({"protos": protos, "inbox": inbox},)) as pool:
        # In chunks, so that a worker slowed by the machine's other load holds no one up.
        list(pool.map(_write_clone, jobs, chunksize=256))


def _write_clone(job: tuple[Unit, int, int]) -> None:
    """The file of ``unit``, the ``i``-th unit, cloned from the prototype at ``proto``."""
    unit, proto, i = job
    proto = _WORKER["protos"][proto]
    slots = {b"code": unit.code.encode(), b"lcode": unit.code.lower().encode(),
             b"name": unit.name.encode()}
    for k, female in enumerate(proto.people):
        name, year = person(i * PEOPLE_PER_UNIT + k, female)
        slots[b"p%d" % k] = name.encode()
        slots[b"y%d" % k] = str(year).encode()
    target = _WORKER["inbox"] / template_file_name(unit.code, PHASE, 2020)
    target.write_bytes(_package(proto.parts, slots))
    stamp = datetime(2020, 7, 6, 9, 30).timestamp()  # before the phase-1 deadline
    os.utime(target, (stamp, stamp))


# --- the package ------------------------------------------------------------------------
# A clone is written without compressing it again: each stretch of a part between two slots
# was deflated once, alone, and flushed to a byte boundary (so it refers to nothing before
# it); a clone's part is those stretches with its slot values between them as stored blocks,
# then an empty final block: one valid deflate stream. Only the CRC is computed per clone.

@dataclass
class _Part:
    name: bytes
    pieces: list[bytes]  # text, slot name, text, slot name, ..., text
    deflated: list[bytes]  # each text of ``pieces``, deflated alone

    @classmethod
    def of(cls, name: str, data: bytes) -> "_Part":
        pieces = _SLOT.split(data)
        return cls(name.encode(), pieces, [_deflated(t) for t in pieces[::2]])


def _deflated(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)


_FINAL = b"\x03\x00"  # an empty final block (fixed codes)
_DOS_TIME, _DOS_DATE = (9 << 11) | (30 << 5), ((2020 - 1980) << 9) | (7 << 5) | 6


def _package(parts: list[_Part], slots: dict[bytes, bytes]) -> bytes:
    """The zip package of ``parts`` with ``slots`` filled in."""
    out, central, offset = [], [], 0
    for part in parts:
        crc, size, body = 0, 0, []
        for k, piece in enumerate(part.pieces):
            if k % 2:
                piece = slots[piece]
                body.append(b"\x00" + struct.pack("<HH", len(piece), len(piece) ^ 0xFFFF))
                body.append(piece)  # a stored block (slot values are short)
            else:
                body.append(part.deflated[k // 2])
            crc, size = zlib.crc32(piece, crc), size + len(piece)
        body.append(_FINAL)
        data = b"".join(body)
        fields = struct.pack("<HHHHHIIIHH", 20, 0, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
                             crc, len(data), size, len(part.name), 0)
        central.append(b"PK\x01\x02" + struct.pack("<H", 20) + fields
                       + struct.pack("<HHHII", 0, 0, 0, 0, offset) + part.name)
        out += [b"PK\x03\x04", fields, part.name, data]
        offset += 4 + len(fields) + len(part.name) + len(data)
    directory = b"".join(central)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(parts), len(parts),
                                       len(directory), offset, 0)
    return b"".join(out) + directory + end


# --- people -----------------------------------------------------------------------------

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
    bad = [(o.name, [p.text for p in o.problems if p.severity is not Severity.INFO])
           for o in outcomes
           if not o.accepted or o.count(Severity.ERROR) or o.count(Severity.WARNING)]
    if bad:
        raise AssertionError(f"clones not accepted cleanly: {bad[:3]}")
    wrong = [o.name for o in outcomes if not o.name.startswith(o.unit_code + "_")]
    if wrong:
        raise AssertionError(f"clones read as another unit: {wrong[:3]}")
    across = check_across({o.unit_code: Accepted.of(o, i) for i, o in enumerate(outcomes)},
                          gen.campaign)
    if across:
        raise AssertionError(f"clones collide across files: {[p.text for p in across[:3]]}")
