"""A small MS-CFB (compound file, version 3, 512-byte sectors) writer.

Writes a tree of storages and streams with zero timestamps and a fixed layout, so the same
tree always gives the same bytes. Streams under 4096 bytes go to the mini stream (§2.6.3).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
ENTRY = 128
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_HEADER_DIFAT = 109
_RED, _BLACK = 0, 1
_STORAGE, _STREAM, _ROOT = 1, 2, 5


@dataclass
class Storage:
    """A storage: named children (``Storage`` or ``bytes`` streams), in any order."""

    children: dict[str, "Storage | bytes"] = field(default_factory=dict)


def _sort_key(name: str) -> tuple[int, str]:
    """Compound-file sibling order: shorter names first, then by upper-cased name (§2.6.4)."""
    return len(name.encode("utf-16-le")) // 2, name.upper()


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _flatten(root: Storage) -> list[_Entry]:
    """Directory entries in breadth-first order, siblings linked as balanced red-black trees."""
    entries = [_Entry("Root Entry", _ROOT)]
    queue = [(0, root)]
    while queue:
        parent_id, storage = queue.pop(0)
        names = sorted(storage.children, key=_sort_key)
        ids = []
        for name in names:
            node = storage.children[name]
            kind = _STORAGE if isinstance(node, Storage) else _STREAM
            entry = _Entry(name, kind, b"" if kind == _STORAGE else bytes(node))
            if kind == _STORAGE:
                entry.start = 0
            entries.append(entry)
            ids.append(len(entries) - 1)
            if kind == _STORAGE:
                queue.append((ids[-1], node))
        last = max(len(ids).bit_length() - 1, 0)
        red_level = last if len(ids) != (1 << (last + 1)) - 1 else -1
        entries[parent_id].child = _link(entries, ids, 0, red_level)
    return entries


def _link(entries: list[_Entry], ids: list[int], depth: int, red_level: int) -> int:
    """Root of a balanced tree over sorted ``ids``. Nodes on an incomplete last level are red,
    so every path from the root has the same number of black nodes."""
    if not ids:
        return NOSTREAM
    mid = len(ids) // 2
    node = entries[ids[mid]]
    node.left = _link(entries, ids[:mid], depth + 1, red_level)
    node.right = _link(entries, ids[mid + 1:], depth + 1, red_level)
    node.color = _RED if depth == red_level and depth > 0 else _BLACK
    return ids[mid]


def _sectors(n: int, size: int) -> int:
    return (n + size - 1) // size


def _chain(table: list[int], first: int, count: int) -> None:
    for i in range(count):
        table[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def write(root: Storage) -> bytes:
    """The compound file holding ``root``."""
    entries = _flatten(root)
    # Mini stream: every small stream, 64-byte aligned.
    mini = bytearray()
    minifat: list[int] = []
    big: list[_Entry] = []
    for e in entries:
        if e.kind != _STREAM:
            continue
        e.size = len(e.data)
        if e.size == 0:
            continue
        if e.size < MINI_CUTOFF:
            e.start = len(mini) // MINI_SECTOR
            count = _sectors(e.size, MINI_SECTOR)
            minifat += [0] * count
            _chain(minifat, e.start, count)
            mini += e.data.ljust(count * MINI_SECTOR, b"\x00")
        else:
            big.append(e)
    dir_sectors = _sectors(len(entries) * ENTRY, SECTOR)
    minifat_sectors = _sectors(len(minifat) * 4, SECTOR)
    mini_sectors = _sectors(len(mini), SECTOR)
    data_sectors = sum(_sectors(e.size, SECTOR) for e in big)
    payload = dir_sectors + minifat_sectors + mini_sectors + data_sectors
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < payload + fat_sectors:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT:
        raise ValueError("compound file too large for a header-only DIFAT")

    fat = [FREESECT] * (fat_sectors * SECTOR // 4)
    for i in range(fat_sectors):
        fat[i] = FATSECT
    cursor = fat_sectors
    dir_start = cursor
    _chain(fat, cursor, dir_sectors)
    cursor += dir_sectors
    minifat_start = cursor if minifat_sectors else ENDOFCHAIN
    _chain(fat, cursor, minifat_sectors)
    cursor += minifat_sectors
    root_entry = entries[0]
    if mini_sectors:
        root_entry.start, root_entry.size = cursor, len(mini)
    _chain(fat, cursor, mini_sectors)
    cursor += mini_sectors
    for e in big:
        count = _sectors(e.size, SECTOR)
        e.start = cursor
        _chain(fat, cursor, count)
        cursor += count

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\x00" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6,
        b"\x00" * 6, 0, fat_sectors, dir_start, 0, MINI_CUTOFF, minifat_start,
        minifat_sectors, ENDOFCHAIN, 0)
    difat = list(range(fat_sectors)) + [FREESECT] * (_HEADER_DIFAT - fat_sectors)
    header += struct.pack(f"<{_HEADER_DIFAT}I", *difat)

    # Unused slots of the last directory sector are empty entries with NOSTREAM links.
    slots = dir_sectors * SECTOR // ENTRY
    directory = b"".join(_entry_bytes(e) for e in entries)
    directory += _empty_entry() * (slots - len(entries))

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    out += minifat_bytes.ljust(minifat_sectors * SECTOR, b"\xff")
    out += bytes(mini).ljust(mini_sectors * SECTOR, b"\x00")
    for e in big:
        out += e.data.ljust(_sectors(e.size, SECTOR) * SECTOR, b"\x00")
    return bytes(out)


def _entry_bytes(e: _Entry) -> bytes:
    name = e.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"compound-file name too long: {e.name!r}")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name.ljust(64, b"\x00"), len(name) + 2, e.kind, e.color, e.left, e.right, e.child,
        b"\x00" * 16, 0, 0, 0, e.start, e.size)


def _empty_entry() -> bytes:
    return struct.pack("<64sHBBIII16sIQQIQ", b"\x00" * 64, 0, 0, 0, NOSTREAM, NOSTREAM,
                       NOSTREAM, b"\x00" * 16, 0, 0, 0, 0, 0)
