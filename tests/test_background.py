"""A step of a run done by a process started beforehand (Consolidate's control workbook
written while the register records): its value or its exception comes back, a process that
dies or is stopped is said, and where no process can be forked the step is done at once."""
from __future__ import annotations

import os
import threading
import time

import pytest

import addin.background as background
from addin.background import Background, StepDied


def _pid_and(value):
    return os.getpid(), value


def _done_by_another(step, *args) -> Background:
    process = Background()
    process.begin(step, *args)
    return process


def test_the_steps_value_comes_back_from_another_process():
    process = Background()
    given_later = {"rows": [1, 2, 3]}  # made after the fork: it reaches the process pickled
    process.begin(_pid_and, given_later)
    pid, value = process.result()
    assert pid != os.getpid() and value == given_later


def _fails():
    raise OSError(28, "No space left on device")


def test_the_steps_exception_is_raised_in_the_caller_with_its_type():
    with pytest.raises(OSError) as caught:
        _done_by_another(_fails).result()
    assert caught.value.errno == 28


def _fails_unpicklably():
    err = ValueError("không ghi được")
    err.lock = threading.Lock()  # what no pickle takes
    raise err


def test_an_exception_that_cannot_be_sent_back_comes_as_its_text():
    with pytest.raises(RuntimeError, match="ValueError: không ghi được"):
        _done_by_another(_fails_unpicklably).result()


def test_a_step_whose_process_dies_is_said():
    with pytest.raises(StepDied, match="exit code 7"):
        _done_by_another(os._exit, 7).result()


def _slow(mark):
    time.sleep(30)
    mark.write_text("x")


def test_a_step_cancelled_is_stopped(tmp_path):
    mark = tmp_path / "done"
    step = _done_by_another(_slow, mark)
    started = time.monotonic()
    step.cancel()
    assert time.monotonic() - started < 10 and not mark.exists()


def test_where_no_process_can_be_forked_the_step_is_done_at_once(monkeypatch):
    monkeypatch.setattr(background.sys, "platform", "win32")
    seen = []
    step = Background()
    step.begin(lambda: seen.append(os.getpid()) or "xong")
    assert seen == [os.getpid()]  # already done, in this process
    assert step.result() == "xong"
    with pytest.raises(OSError):
        _done_by_another(_fails).result()
