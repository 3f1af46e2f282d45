"""MS-OVBA §2.4.1 compression: the run-length scheme of VBA source and the ``dir`` stream."""
from __future__ import annotations

CHUNK = 4096
_SIGNATURE = 0x01
_MIN_MATCH = 3


def _copy_token_layout(position: int) -> tuple[int, int]:
    """(bit count of the offset, maximum match length) at ``position`` in a chunk
    (§2.4.1.3.19.1 CopyToken Help)."""
    bit_count = max((position - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _longest_match(data: bytes, start: int, pos: int, end: int,
                   candidates: list[int]) -> tuple[int, int]:
    """(offset, length) of the longest earlier copy of ``data[pos:]`` within the chunk;
    nearest first on ties. ``candidates`` are earlier positions with the same 3 bytes."""
    _, max_len = _copy_token_layout(pos - start)
    limit = min(max_len, end - pos)
    best_len, best_off = 0, 0
    for cand in reversed(candidates):
        length = 0
        while length < limit and data[cand + length] == data[pos + length]:
            length += 1
        if length > best_len:
            best_len, best_off = length, pos - cand
            if length == limit:
                break
    return best_off, best_len


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """One CompressedChunk (header + data) for ``data[start:end]`` (§2.4.1.3.7)."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos = start
    while pos < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            key = data[pos:pos + _MIN_MATCH]
            offset, length = 0, 0
            if len(key) == _MIN_MATCH and key in seen:
                offset, length = _longest_match(data, start, pos, end, seen[key])
            step = length if length >= _MIN_MATCH else 1
            if step > 1:
                bit_count, _ = _copy_token_layout(pos - start)
                token = ((offset - 1) << (16 - bit_count)) | (length - _MIN_MATCH)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
            else:
                out.append(data[pos])
            for p in range(pos, pos + step):
                seen.setdefault(data[p:p + _MIN_MATCH], []).append(p)
            pos += step
        out[flag_index] = flags
    if len(out) > CHUNK:  # incompressible: a raw chunk of exactly 4096 bytes
        raw = data[start:end].ljust(CHUNK, b"\x00")
        return (0x3000 | (CHUNK - 1)).to_bytes(2, "little") + raw
    header = 0xB000 | (len(out) + 2 - 3)
    return header.to_bytes(2, "little") + bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer holding ``data`` (§2.4.1.3.6)."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data, start, min(start + CHUNK, len(data)))
    return bytes(out)
