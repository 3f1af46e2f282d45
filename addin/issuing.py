"""A Documents run against the register: the numbers it proposes, the phase's sheets and the
clerk's review it keeps, and each document it records.

Documents are rendered into a staging folder inside the output folder while the register's
transaction is open; they are moved into the output folder only once the register has kept
them, so a register that fails (C04) leaves no document behind.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from docgen.data import Nomination
from docgen.vietnamese import padded
from workbook_templates.campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign

from .folder import CampaignFolder, sweep_leftovers
from .register import DecisionRecord, Register, RunWriter
from .register_sync import record_sheets, settings_snapshot

# What follows the kind in a printed number, as the templates print it: "05/QĐ-LĐLĐ".
ISSUER_CODE = "LĐLĐ"
STAGING_PREFIX = ".thidua_"  # the run's documents until the register has kept them


def reference(kind: str, number: int) -> str:
    """The number as printed on the document, e.g. ``reference("QĐ", 5) == "05/QĐ-LĐLĐ"``."""
    return f"{padded(number)}/{kind}-{ISSUER_CODE}"


class Issuer:
    """Numbers, staged files and records of one Documents run (see :func:`issuing`)."""

    def __init__(self, run: RunWriter, campaign: Campaign, root: Path, staging: Path,
                 when: date):
        self.register = run  # the register as this run sees it, inside its transaction
        self._run = run
        self._campaign = campaign
        self._root = root
        self._staging = staging
        self._when = when
        self._moves: list[tuple[Path, Path]] = []

    def number(self, kind: str, award_form: str | None = None) -> int:
        """The number of the document of ``kind`` (for ``award_form`` when given): the one it
        already has in the register for this phase (a re-run), else the next free one —
        after the register's last and at least the number set on *Cấu hình* —,
        consecutive within the run (:meth:`addin.register.RunWriter.number`)."""
        return self._run.number(kind, award_form, self._campaign.next_numbers.get(kind, 1))

    def next_free(self) -> dict[str, int]:
        """The next free number of each kind after this run's documents (what *Cấu hình*
        shows after the run)."""
        return self._run.next_free(self._campaign.next_numbers)

    def stage(self, final: Path) -> Path:
        """Where to render the file that is to become ``final``."""
        staged = self._staging / final.name
        self._moves.append((staged, final))
        return staged

    def record(self, kind: str, number: int, award_form: str, final: Path, *,
               listed: Iterable[Nomination] = (), counted: Iterable[Nomination] | None = None,
               total_money: int = 0) -> None:
        """Record the document written to ``final``. ``listed``: the nominations it names;
        ``counted``: those its collective and individual counts are of (default: listed)."""
        listed = list(listed)
        counted = listed if counted is None else list(counted)
        self._run.decision(DecisionRecord(
            kind=kind, number=number, issued_on=self._when, award_form=award_form,
            path=self._shown(final),
            collectives=sum(1 for n in counted if n.target == TARGET_COLLECTIVE),
            individuals=sum(1 for n in counted if n.target == TARGET_INDIVIDUAL),
            total_money=total_money, nomination_ids=tuple(n.id for n in listed if n.id),
            reference=reference(kind, number)))

    def publish(self) -> None:
        """Move the staged files into place (replacing a file of the same name)."""
        for staged, final in self._moves:
            os.replace(staged, final)

    def _shown(self, final: Path) -> str:
        try:
            return final.resolve().relative_to(self._root.resolve()).as_posix()
        except ValueError:  # an output folder outside the campaign folder
            return str(final)


@contextmanager
def issuing(paths: CampaignFolder, campaign: Campaign, phase: int,
            sheets: dict[str, list[list]], when: date) -> Iterator[Issuer]:
    """One ``documents`` run of the register for ``phase``: keeps ``sheets`` (the control
    workbook as the clerk left it) as the phase snapshot with every nomination's review,
    yields the :class:`Issuer`, then commits and moves the staged files into the output
    folder. A register error raises :class:`.register.RegisterUnavailable` (C04);
    then, as after any error, nothing reaches the output folder."""
    with Register.for_campaign(paths, campaign) as reg:
        paths.output.mkdir(parents=True, exist_ok=True)
        sweep_leftovers(paths.output, f"{STAGING_PREFIX}*")
        with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=paths.output) as tmp:
            with reg.run(kind="documents", year=campaign.year, phase=phase,
                         settings=settings_snapshot(campaign)) as run:
                record_sheets(run, sheets)
                issuer = Issuer(run, campaign, paths.root, Path(tmp), when)
                yield issuer
            issuer.publish()
