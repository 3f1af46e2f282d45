"""The technical detail of an unexpected error, kept for the technical staff: the clerk reads
message C18 naming this file, never a traceback."""
from __future__ import annotations

import sys
import traceback
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

ERROR_LOG = "thidua_loi_ky_thuat.log"  # in the campaign folder (else ~/.thidua)
# Said after a coded message whose technical detail went to the log.
TECHNICAL_LOGGED = "(Chi tiết kỹ thuật cho bộ phận kỹ thuật: tệp “{}”.)"


def write_error_log(folder: Path | None, command: str, exc: BaseException) -> Path:
    """Append the traceback of ``exc`` raised by ``command`` to the error log of ``folder``
    (a campaign folder; ``~/.thidua`` when there is none or it cannot be written); return
    the log's path."""
    entry = (f"=== {datetime.now():%Y-%m-%d %H:%M:%S} {command} (thidua {version('thidua')}, "
             f"Python {sys.version.split()[0]})\nargs: {sys.argv[1:]}\n"
             + "".join(traceback.format_exception(exc)) + "\n")
    places = [Path(folder).resolve()] if folder is not None and Path(folder).is_dir() else []
    for place in [*places, Path.home() / ".thidua"]:
        try:
            place.mkdir(parents=True, exist_ok=True)
            with open(place / ERROR_LOG, "a", encoding="utf-8") as log:
                log.write(entry)
            return place / ERROR_LOG
        except OSError:
            continue
    return Path(ERROR_LOG)
