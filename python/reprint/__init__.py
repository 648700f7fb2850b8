"""reprint from Python: find the same news story reprinted across a corpus.

The pipeline is the Rust library's, the one the ``reprint`` command runs: this package only
turns Python data into the documents it reads and its report into a ``dict``. With the same
documents and options, :func:`dedup` gives the report ``reprint dedup`` writes (same defaults,
same JSON schema).

Options are the command line's flags, with ``_`` for ``-``: ``threshold``, ``containment``,
``num_perm``, ``shingle`` (``"char:7"``, ``"word:5"``), ``method`` (``"minhash"`` or
``"simhash"``), ``frequent_shingles``, ``seed``, ``threads`` (0: one per core),
``keep_boilerplate``, ``translations``, ``hidden``, ``max_file_bytes``, ``id_field``,
``text_field``, ``title_field``, ``text_is_html``.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any, Iterable, Mapping, Sequence, Union

from . import _reprint

__all__ = ["dedup", "dedup_paths", "to_jsonl", "OPTIONS", "__version__"]

__version__: str = _reprint.__version__

#: The options :func:`dedup` and :func:`dedup_paths` take.
OPTIONS: tuple = tuple(_reprint.option_names())

#: Record fields the reader takes from a document (besides ``id_field``, ``text_field`` and
#: ``title_field``): the rest of a record is ignored.
_KNOWN_FIELDS = ("source", "url", "date", "published", "published_at", "timestamp", "content", "body")


def _json_value(value: Any) -> Any:
    """A JSON-ready form of one field of a record (dates as ISO 8601, NaN as null)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if hasattr(value, "isoformat"):  # pandas.Timestamp, numpy.datetime64 via pandas
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return str(value)


def _records(data: Any, id_field: str) -> Iterable[Mapping[str, Any]]:
    """The records of ``data``: a list of texts (ids are their positions), a list of dicts,
    a pandas DataFrame (its index as ids when it has no id column), or a pyarrow Table or
    RecordBatch."""
    if hasattr(data, "to_pylist") and hasattr(data, "schema"):  # pyarrow Table / RecordBatch
        return data.to_pylist()
    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # pandas DataFrame
        frame = data
        if id_field not in frame.columns:
            frame = frame.copy()
            frame.insert(0, id_field, [str(i) for i in frame.index])
        return frame.to_dict("records")
    if isinstance(data, (str, bytes)):
        raise TypeError("dedup takes a list of texts or records, not one string")
    return data


def to_jsonl(data: Any, id_field: str = "id", text_field: str = "text") -> bytes:
    """The JSON Lines ``reprint dedup`` would read for ``data`` (see :func:`dedup`): what to
    write to a file to get the same report from the command line."""
    lines = []
    for position, record in enumerate(_records(data, id_field)):
        if isinstance(record, str):
            record = {id_field: str(position), text_field: record}
        elif not isinstance(record, Mapping):
            raise TypeError(
                f"record {position} is a {type(record).__name__}, not a text or a mapping"
            )
        elif id_field not in record:
            record = {id_field: str(position), **record}
        clean = {str(k): _json_value(v) for k, v in record.items()}
        lines.append(json.dumps(clean, ensure_ascii=False, allow_nan=False))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def dedup(
    data: Union[Sequence[str], Sequence[Mapping[str, Any]], Any],
    **options: Any,
) -> dict:
    """Group the reprints among ``data`` and return the report (a ``dict`` of the JSON schema
    ``reprint dedup`` writes).

    ``data`` is a list of texts (their ids are their positions, ``"0"``, ``"1"``, …), a list of
    records (dicts with ``text``, and optionally ``id``, ``title``, ``source``, ``url``,
    ``date``), a pandas DataFrame with those columns (its index gives the ids when it has no
    ``id`` column), or a pyarrow Table. A record without text, or with an id an earlier record
    has, is skipped and listed in ``report["skipped"]`` with its reason, as on the command line.
    The GIL is released while the pipeline runs; ``threads`` sets its worker count.
    """
    id_field = options.get("id_field") or "id"
    text_field = options.get("text_field") or "text"
    jsonl = to_jsonl(data, id_field=id_field, text_field=text_field)
    return json.loads(_reprint.dedup_jsonl(jsonl, "<memory>", options))


def dedup_paths(paths: Union[str, Sequence[str]], **options: Any) -> dict:
    """The report of ``reprint dedup PATHS``: folders of files, JSON Lines, WARC, compressed;
    documents named as the command line names them."""
    if isinstance(paths, str):
        paths = [paths]
    return json.loads(_reprint.dedup_paths([str(p) for p in paths], options))
