"""Type stubs of the extension module (the Rust library's entry points)."""

from typing import Any, Mapping, Optional, Sequence

__version__: str

def dedup_jsonl(
    jsonl: bytes, name: str = "<memory>", options: Optional[Mapping[str, Any]] = None
) -> str:
    """The report (JSON text) of JSON Lines bytes, read as `reprint dedup` reads a file."""

def dedup_paths(paths: Sequence[str], options: Optional[Mapping[str, Any]] = None) -> str:
    """The report (JSON text) of `reprint dedup PATHS`."""

def option_names() -> list[str]:
    """The option names the entry points take."""

DocumentColumns = tuple[
    list[str],
    list[str],
    list[str],
    list[Optional[int]],
    list[Optional[str]],
    list[bool],
    list[tuple[str, str]],
]
"""Documents as columns (ids, sources, texts, dates in Unix seconds, date sources: ``field``,
``html-meta``, ``text``, ``warc``, ``mtime`` or None, repaired) and skips ``(name, reason)``."""

def read_jsonl(
    jsonl: bytes,
    name: str = "<memory>",
    options: Optional[Mapping[str, Any]] = None,
    source: str = "",
) -> DocumentColumns:
    """Documents and skipped records of JSON Lines bytes (in memory: undated records get no
    mtime)."""

def discover(
    paths: Sequence[str], options: Optional[Mapping[str, Any]] = None
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The inputs ``(id, path, source)`` `reprint dedup PATHS` reads, and the files it skips."""

def read_input(
    input: tuple[str, str, str],
    options: Optional[Mapping[str, Any]] = None,
    range: Optional[tuple[int, int, int]] = None,
) -> DocumentColumns:
    """Documents and skips of one discovered input (undated documents of a file get its mtime);
    with ``range`` ``(start, end, newlines_before)``, only the records starting in that part of
    a JSON Lines file, named by the whole file's line numbers."""

def input_cuts(input: tuple[str, str, str], part_bytes: int) -> Optional[list[tuple[int, int]]]:
    """``(start, end)`` byte pairs cutting a large plain JSON Lines file into parts of about
    ``part_bytes``; None when the input must be read whole."""

def count_newlines(path: str, start: int, end: int) -> int:
    """Line breaks in bytes ``start..end`` of the file at ``path``."""

def normalize(texts: list[str]) -> list[str]:
    """The normalized text of each text."""

def line_counts(
    sources: list[str], texts: list[str], options: Optional[Mapping[str, Any]] = None
) -> list[bytes]:
    """Five little-endian buffers: line hashes, documents; source keys, line hashes, documents."""

def shingle_counts(
    ids: list[str], texts: list[str], options: Optional[Mapping[str, Any]] = None
) -> tuple[bytes, int]:
    """2^20 u32 bucket counts of the sampled documents' shingles, and the documents counted."""

class Decisions:
    """The corpus's boilerplate line counts and frequent shingles."""

    def __init__(
        self,
        hashes: bytes,
        counts: bytes,
        source_keys: bytes,
        source_hashes: bytes,
        source_counts: bytes,
        shingle_buckets: bytes,
        shingle_documents: int,
        options: Optional[Mapping[str, Any]] = None,
    ) -> None: ...
    @property
    def frequent_shingle_buckets(self) -> int: ...

def fingerprints(
    sources: list[str],
    raw: list[str],
    texts: list[str],
    decisions: Decisions,
    anchors: bool,
    options: Optional[Mapping[str, Any]] = None,
) -> dict[str, Any]:
    """Column buffers of the documents' fingerprints and sketches."""

def band_keys(
    signatures: bytes, options: Optional[Mapping[str, Any]] = None
) -> tuple[bytes, int]:
    """u64 bucket keys, band by band, of every signature; and the bands a document."""

def bucket_pairs(docs: bytes, ends: bytes) -> tuple[bytes, bytes]:
    """u64 buffers of the candidate pairs' documents, given buckets' sorted members."""

def component_labels(a: bytes, b: bytes) -> tuple[bytes, bytes]:
    """u64 buffers of every document of the edges ``(a, b)``, ascending, and of its
    component's smallest document."""

def cluster_component(
    ids: list[str],
    sources: list[str],
    dates: list[Optional[int]],
    date_sources: list[Optional[str]],
    columns: Mapping[str, Any],
    edges_a: bytes,
    edges_b: bytes,
    tr_a: bytes,
    tr_b: bytes,
    tr_score: bytes,
    weights: Any,
    options: Optional[Mapping[str, Any]] = None,
) -> list[str]:
    """The cluster entries (JSON) of one component; members carry their source and date."""

def assemble_report(
    clusters: list[str],
    skipped: list[tuple[str, str]],
    counts: Mapping[str, Any],
    options: Optional[Mapping[str, Any]] = None,
) -> str:
    """The report (JSON text) from the cluster entries, skips and counts (``counts["sources"]``:
    fingerprinted documents by source name); sets origins, lags and the report's sources."""

MIN_ANCHORS: int
"""Anchors a document needs to be searched across languages."""
