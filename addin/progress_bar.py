"""The command line's progress bar, as the library's ``progress(done, total, what)`` takes it."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

import click


@contextmanager
def progress_bar(quiet: bool, label: str) -> Iterator[Callable[[int, int, str], None]]:
    """A ``progress`` callback drawing a bar on standard error (nothing when ``quiet``)."""
    bar = None if quiet else click.progressbar(length=1, label=label, show_pos=True,
                                               file=sys.stderr)

    def progress(done: int, total: int, what: str) -> None:
        if bar is not None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)
    try:
        yield progress
    finally:
        if bar is not None:
            bar.render_finish()
