"""A step of a run done in a forked process (Consolidate's control workbook written while
the register records): its value or its exception comes back, a process that dies or is
stopped is said, and where no process can be forked the step is done at once."""
from __future__ import annotations

import os
import threading
import time

import pytest

import addin.background as background
from addin.background import Background, StepDied


def _pid_and(value):
    return os.getpid(), value


def test_the_steps_value_comes_back_from_another_process():
    pid, value = Background(_pid_and, {"rows": [1, 2, 3]}).result()
    assert pid != os.getpid() and value == {"rows": [1, 2, 3]}


def _fails():
    raise OSError(28, "No space left on device")


def test_the_steps_exception_is_raised_in_the_caller_with_its_type():
    with pytest.raises(OSError) as caught:
        Background(_fails).result()
    assert caught.value.errno == 28


def _fails_unpicklably():
    err = ValueError("không ghi được")
    err.lock = threading.Lock()  # what no pickle takes
    raise err


def test_an_exception_that_cannot_be_sent_back_comes_as_its_text():
    with pytest.raises(RuntimeError, match="ValueError: không ghi được"):
        Background(_fails_unpicklably).result()


def test_a_step_whose_process_dies_is_said():
    with pytest.raises(StepDied, match="exit code 7"):
        Background(os._exit, 7).result()


def test_a_step_cancelled_is_stopped(tmp_path):
    mark = tmp_path / "done"
    step = Background(lambda: (time.sleep(30), mark.write_text("x")))
    started = time.monotonic()
    step.cancel()
    assert time.monotonic() - started < 10 and not mark.exists()


def test_where_no_process_can_be_forked_the_step_is_done_at_once(monkeypatch):
    monkeypatch.setattr(background.sys, "platform", "win32")
    seen = []
    step = Background(lambda: seen.append(os.getpid()) or "xong")
    assert seen == [os.getpid()]  # already done, in this process
    assert step.result() == "xong"
    with pytest.raises(OSError):
        Background(_fails).result()
