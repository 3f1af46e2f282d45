"""The run's memory given back between its steps (addin.heap)."""
from __future__ import annotations

import sys

import pytest

from addin.heap import give_back


def _resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heap (Linux)")
def test_what_a_step_freed_in_the_c_heap_goes_back_to_the_system():
    """Big tables freed by a step (here 40 MB of 100 KB blocks, under glibc's threshold for
    a block of its own) stay resident below a block still in use, until given back."""
    blocks = [bytearray(100_000) for _ in range(400)]
    for block in blocks:
        block[::4096] = b"x" * len(block[::4096])  # every page touched: resident
    kept = blocks[-1]
    del blocks
    before = _resident_kb()
    give_back()
    assert before - _resident_kb() > 20_000, "freed pages still resident"
    assert kept[0] == ord("x")
