"""A returned file's zip package, each member decompressed once however many readers look
at it: the extent check, the formula scan and the font lookups all read the same sheet XML.
"""
from __future__ import annotations

import struct
import zipfile

try:  # ISA-L's inflate: the sheets of a form in half zlib's time (benchmarks/README.md)
    from isal.isal_zlib import crc32, decompress
    from isal.isal_zlib import error as InflateError
except ImportError:  # a platform isal has no wheel for
    from zlib import crc32, decompress
    from zlib import error as InflateError

# Members up to this size are kept whole once read (a sheet of a form is a few hundred KB);
# of a larger one the extent check reads only the head, as a parser would stream it.
WHOLE_BYTES = 4 * 1024 * 1024
# Packages up to this size unpacked are packed again stored for the parser (:meth:`Package.stored`).
STORED_BYTES = 32 * 1024 * 1024
_LOCAL_HEADER = 30  # bytes of a member's local header before its name and extra field
_ENCRYPTED = 0x1  # general purpose flag bit
_UTF8_NAME = 0x800  # general purpose flag bit
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_DOS_DATE = 0x21  # 1980-01-01, the earliest a zip says
_PLAIN = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class Package(zipfile.ZipFile):
    """A :class:`zipfile.ZipFile` whose :meth:`read` keeps what it decompressed."""

    def __init__(self, file, *args, **kwargs):
        self._parts: dict[str, bytes] = {}  # before the zip is opened: close() may follow
        super().__init__(file, *args, **kwargs)

    def read(self, name, pwd=None) -> bytes:
        key = name.filename if isinstance(name, zipfile.ZipInfo) else name
        data = self._parts.get(key)
        if data is None:
            data = self._whole(self.getinfo(key)) if pwd is None else None
            data = super().read(name, pwd) if data is None else data
            self._parts[key] = data
        return data

    def _whole(self, info: zipfile.ZipInfo) -> bytes | None:
        """A stored or deflated member read and inflated in one call (zipfile streams it
        through a file object and its decompressor, a third of the time of a whole sheet);
        None when the member is not plain or not sound, for zipfile to read it and say why."""
        if self.fp is None or info.flag_bits & _ENCRYPTED or info.compress_type not in _PLAIN:
            return None
        try:
            self.fp.seek(info.header_offset)
            header = self.fp.read(_LOCAL_HEADER)
            if header[:4] != b"PK\x03\x04":
                return None
            names = sum(struct.unpack_from("<HH", header, 26))
            self.fp.seek(info.header_offset + _LOCAL_HEADER + names)
            raw = self.fp.read(info.compress_size)
            data = raw if info.compress_type == zipfile.ZIP_STORED else decompress(raw, -15)
        except (OSError, ValueError, struct.error, InflateError):
            return None
        if len(data) != info.file_size or crc32(data) != info.CRC:
            return None
        return data

    def stored(self) -> bytes | None:
        """The package again with every member stored, not deflated, for a parser to read
        without inflating what has been inflated here once (python-calamine's own inflating
        was a fifth of its reading of a form's sheets); None when a member is not plain and
        sound, names repeat, or the whole is larger than :data:`STORED_BYTES`: the parser
        then reads the file itself, and says what is wrong with it."""
        infos = self.infolist()
        if (len(infos) != len(self.NameToInfo) or len(infos) > 0xFFFF
                or sum(i.file_size for i in infos) > STORED_BYTES):
            return None
        parts, central, offset = [], [], 0
        for info in infos:
            data = self._parts.get(info.filename)
            if data is None:
                data = self._whole(info)
                if data is None:
                    return None
                self._parts[info.filename] = data
            name, flags = _zip_name(info.filename)
            fields = (20, flags, zipfile.ZIP_STORED, 0, _DOS_DATE, info.CRC, len(data),
                      len(data), len(name))
            parts += (struct.pack("<I5H3I2H", _LOCAL_SIG, *fields, 0), name, data)
            central += (struct.pack("<IH5H3I5H2I", _CENTRAL_SIG, 20, *fields, 0, 0, 0, 0, 0,
                                    offset), name)
            offset += _LOCAL_HEADER + len(name) + len(data)
        directory = b"".join(central)
        end = struct.pack("<I4H2IH", _END_SIG, 0, 0, len(infos), len(infos), len(directory),
                          offset, 0)
        return b"".join((*parts, directory, end))

    def head(self, name: str, size: int) -> bytes:
        """The first ``size`` bytes of ``name``: from the whole member when it is small and
        decompresses cleanly (kept for the next reader), else streamed as far as needed (a
        damaged tail is for the parsers to find)."""
        if name in self._parts or self.getinfo(name).file_size <= WHOLE_BYTES:
            try:
                return self.read(name)[:size]
            except Exception:  # noqa: BLE001 — damaged: read the head as a parser would
                pass
        with self.open(name) as f:
            return f.read(size)

    def close(self) -> None:
        self._parts.clear()
        super().close()


def _zip_name(name: str) -> tuple[bytes, int]:
    """A member's name as a zip writes it, and the flag bits that say how."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_NAME
