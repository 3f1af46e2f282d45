"""The control workbook's writer is a fresh interpreter (:mod:`addin.background`), not a fork
of the test: what a test changes in this process — a module's constant, a class's method —
it changes in the writer too, through :func:`set_in_writer`."""
from __future__ import annotations

import functools
import importlib
from typing import Any

import addin.consolidate as consolidate_module
import addin.workbook_writer as writer_module


def set_in_writer(monkeypatch, target: Any, name: str, value: Any) -> None:
    """``monkeypatch.setattr(target, name, value)`` in this process and in the writer process
    of every run the test makes (``target``: a module or a class; ``value`` pickled)."""
    monkeypatch.setattr(target, name, value)
    current = consolidate_module.stage_control_workbook
    earlier = current.args[0] if getattr(current, "func", None) is _staged_with else ()
    where = ((target.__name__, "") if isinstance(target, type(functools))
             else (target.__module__, target.__qualname__))
    monkeypatch.setattr(consolidate_module, "stage_control_workbook",
                        functools.partial(_staged_with, (*earlier, (*where, name, value))))


def _staged_with(changes: tuple, *args: Any) -> None:
    """In the writer process: ``changes`` made, then the workbook staged."""
    for module, qualname, name, value in changes:
        target = importlib.import_module(module)
        for part in filter(None, qualname.split(".")):
            target = getattr(target, part)
        setattr(target, name, value)
    writer_module.stage_control_workbook(*args)
