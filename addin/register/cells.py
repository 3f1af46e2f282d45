"""Sheet rows as the register keeps them: JSON text in which dates and times come back as
dates and times."""
from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

_TAGS = {"$datetime": datetime.fromisoformat, "$date": date.fromisoformat,
         "$time": time.fromisoformat}


def dump_rows(rows: list[list[Any]]) -> str:
    """``rows`` as JSON text; a date, datetime or time becomes a tagged object."""
    return json.dumps(rows, ensure_ascii=False, default=_encode)


def load_rows(text: str) -> list[list[Any]]:
    """The rows written by :func:`dump_rows`, with their dates and times."""
    return json.loads(text, object_hook=_decode)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        tag, text = next(iter(obj.items()))
        if tag in _TAGS:
            return _TAGS[tag](text)
    return obj
