"""A returned file's zip package, each member decompressed once however many readers look
at it: the extent check, the formula scan and the font lookups all read the same sheet XML.
"""
from __future__ import annotations

import zipfile

# Members up to this size are kept whole once read (a sheet of a form is a few hundred KB);
# of a larger one the extent check reads only the head, as a parser would stream it.
WHOLE_BYTES = 4 * 1024 * 1024


class Package(zipfile.ZipFile):
    """A :class:`zipfile.ZipFile` whose :meth:`read` keeps what it decompressed."""

    def __init__(self, file, *args, **kwargs):
        self._parts: dict[str, bytes] = {}  # before the zip is opened: close() may follow
        super().__init__(file, *args, **kwargs)

    def read(self, name, pwd=None) -> bytes:
        key = name.filename if isinstance(name, zipfile.ZipInfo) else name
        data = self._parts.get(key)
        if data is None:
            data = super().read(name, pwd)
            self._parts[key] = data
        return data

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
