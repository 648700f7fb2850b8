"""The pipeline's stages on parts of a corpus, as Arrow tables: what a distributed run calls.

Every stage is one function of the Rust library (the one ``reprint dedup`` runs); this module
only moves columns between them as pyarrow arrays. The statistics stages (:func:`line_counts`,
:func:`shingle_counts`) give counts that add up over parts; :func:`decide` turns the sums into
the :class:`Decisions` every part's :func:`fingerprints` reads; :func:`band_keys` gives the keys
a shuffle groups documents by, and :func:`bucket_pairs` the candidate pairs of each group. The
fingerprints of a document do not depend on how the corpus was cut into parts (the tests hold
them to that, and to the command line's candidate count).
"""

from __future__ import annotations

from typing import Any, Iterable, List, Sequence, Tuple

import pyarrow as pa
import pyarrow.compute as pc

from . import _reprint
from ._reprint import AnchorWeights, Decisions

__all__ = [
    "AnchorWeights",
    "Decisions",
    "prepare",
    "languages",
    "is_multilingual",
    "verify_pairs",
    "anchor_counts",
    "anchor_weights",
    "translation_candidates",
    "verify_translations",
    "components",
    "cluster_component",
    "assemble_report",
    "run_parts",
    "read_jsonl",
    "documents_table",
    "source_counts",
    "add_source_counts",
    "line_counts",
    "add_line_counts",
    "shingle_counts",
    "decide",
    "fingerprints",
    "band_keys",
    "bucket_pairs",
    "component_labels",
]

SHINGLE_BUCKETS = 1 << 20


def _u64(buf: bytes) -> pa.Array:
    return pa.Array.from_buffers(pa.uint64(), len(buf) // 8, [None, pa.py_buffer(buf)])


def _u32(buf: bytes) -> pa.Array:
    return pa.Array.from_buffers(pa.uint32(), len(buf) // 4, [None, pa.py_buffer(buf)])


def _list(values: pa.Array, offsets: bytes) -> pa.Array:
    return pa.ListArray.from_arrays(_u32(offsets).cast(pa.int32()), values)


def _buffer(column: Any) -> bytes:
    """The little-endian bytes of a numeric column without nulls."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    width = array.type.bit_width // 8
    return array.buffers()[1].to_pybytes()[array.offset * width : (array.offset + len(array)) * width]


def read_jsonl(jsonl: bytes, name: str = "<memory>", **options: Any) -> Tuple[pa.Table, List[Tuple[str, str]]]:
    """The documents of JSON Lines bytes as the command line reads a file named ``name``
    (columns ``id``, ``source``, ``text``, ``date``, ``date_source``, ``repaired``), and its
    skipped records. Bytes in memory have no modification time: a record without a date of
    its own stays undated (the command line would date it by the file's mtime)."""
    ids, sources, texts, dates, date_sources, repaired, skipped = _reprint.read_jsonl(jsonl, name, options)
    return documents_table(ids, sources, texts, dates, date_sources, repaired), skipped


def documents_table(
    ids: Sequence[str],
    sources: Sequence[str],
    texts: Sequence[str],
    dates: Sequence[Any],
    date_sources: Sequence[Any],
    repaired: Sequence[bool],
) -> pa.Table:
    """The table of documents the readers give as columns (``id``, ``source``, ``text``,
    ``date`` in Unix seconds, ``date_source``: where the date came from, ``field``,
    ``html-meta``, ``text``, ``warc`` or ``mtime``, null without a date; ``repaired``)."""
    return pa.table(
        {
            "id": pa.array(ids, pa.string()),
            "source": pa.array(sources, pa.string()),
            "text": pa.array(texts, pa.large_string()),
            "date": pa.array(dates, pa.int64()),
            "date_source": pa.array(date_sources, pa.string()),
            "repaired": pa.array(repaired, pa.bool_()),
        }
    )


def source_counts(table: pa.Table) -> dict:
    """The documents of each named source in ``table`` (``{source: count}``, empty names left
    out): the counts of the documents a run fingerprints, summed over parts, are the
    ``counts["sources"]`` of :func:`assemble_report`."""
    if table.num_rows == 0:
        return {}
    counted = table.select(["source"]).group_by("source").aggregate([("source", "count")])
    return {s: n for s, n in zip(counted["source"].to_pylist(), counted["source_count"].to_pylist()) if s}


def add_source_counts(parts: Iterable[dict]) -> dict:
    """The sum of several parts' :func:`source_counts`."""
    total: dict = {}
    for part in parts:
        for source, n in part.items():
            total[source] = total.get(source, 0) + n
    return total


def normalize(table: pa.Table) -> pa.Table:
    """``table`` with its normalized texts (column ``normalized``)."""
    normalized = _reprint.normalize(table.column("text").to_pylist())
    return table.append_column("normalized", pa.array(normalized, pa.large_string()))


def line_counts(table: pa.Table, **options: Any) -> Tuple[pa.Table, pa.Table]:
    """Boilerplate line statistics of one part (normalized texts; the first document of an id
    only): ``(hash, documents)`` over the corpus and ``(source_key, hash, documents)`` within
    sources. Add up the parts' with :func:`add_line_counts`."""
    bufs = _reprint.line_counts(
        table.column("source").to_pylist(), table.column("normalized").to_pylist(), options
    )
    corpus = pa.table({"hash": _u64(bufs[0]), "documents": _u32(bufs[1])})
    source = pa.table(
        {"source_key": _u64(bufs[2]), "hash": _u64(bufs[3]), "documents": _u32(bufs[4])}
    )
    return corpus, source


def add_line_counts(parts: Iterable[Tuple[pa.Table, pa.Table]]) -> Tuple[pa.Table, pa.Table]:
    """The sums of several parts' line statistics, keeping the lines of two documents or more
    (the only ones a decision reads)."""
    parts = list(parts)
    corpus = pa.concat_tables([c for c, _ in parts]).group_by("hash").aggregate([("documents", "sum")])
    source = pa.concat_tables([s for _, s in parts]).group_by(["source_key", "hash"]).aggregate(
        [("documents", "sum")]
    )
    corpus = corpus.filter(pc.greater_equal(corpus["documents_sum"], 2))
    source = source.filter(pc.greater_equal(source["documents_sum"], 2))
    return (
        pa.table({"hash": corpus["hash"], "documents": corpus["documents_sum"].cast(pa.uint32())}),
        pa.table(
            {
                "source_key": source["source_key"],
                "hash": source["hash"],
                "documents": _saturating_u32(source["documents_sum"]),
            }
        ),
    )


def _saturating_u32(counts: Any) -> pa.Array:
    """Summed counts (uint64) as the library's u32 counts: a sum past 32 bits saturates, as the
    library's own sums do (a source's row of summed words can pass it)."""
    return pc.min_element_wise(counts, pa.scalar(2**32 - 1, pa.uint64())).cast(pa.uint32())


def shingle_counts(table: pa.Table, **options: Any) -> Tuple[pa.Array, int]:
    """The sampled documents' shingle counts of one part (every document read, as a run
    counts them): 2^20 bucket counts and the documents counted. Parts add up."""
    buf, documents = _reprint.shingle_counts(
        table.column("id").to_pylist(), table.column("normalized").to_pylist(), options
    )
    return _u32(buf), documents


def decide(
    lines: Tuple[pa.Table, pa.Table], shingles: Sequence[Tuple[pa.Array, int]], **options: Any
) -> Decisions:
    """The corpus's decisions from its added-up line statistics and its parts' shingle counts."""
    corpus, source = lines
    total = None
    documents = 0
    for counts, docs in shingles:
        total = counts if total is None else pc.add(total, counts)
        documents += docs
    if total is None:
        total = pa.array([0] * SHINGLE_BUCKETS, pa.uint32())
    return Decisions(
        _buffer(corpus["hash"]),
        _buffer(corpus["documents"]),
        _buffer(source["source_key"]),
        _buffer(source["hash"]),
        _buffer(source["documents"]),
        _buffer(total.cast(pa.uint32())),
        documents,
        options,
    )


def fingerprints(
    table: pa.Table, decisions: Decisions, anchors: bool, **options: Any
) -> Tuple[pa.Table, dict]:
    """The per-document stages on one part: ``table`` with ``signature`` (fixed-size binary,
    4 bytes a lane), ``shingles``, ``length``, ``simhash``, ``numbers`` (list of u64),
    ``quoted`` (fixed-size binary: the lanes that hold a shingle of what the text borrows, its
    quotations and a brief's closing paragraph, a little-endian 128-bit set), ``lang`` and
    ``anchors`` (list of u32); and the part's boilerplate counts."""
    cols = _reprint.fingerprints(
        table.column("source").to_pylist(),
        table.column("text").to_pylist(),
        table.column("normalized").to_pylist(),
        decisions,
        anchors,
        options,
    )
    n = table.num_rows
    width = cols["signature_bytes"]
    signature = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(max(width, 1)) if width else pa.binary(1),
        n,
        [None, pa.py_buffer(cols["signature"] if width else b"\0" * n)],
    )
    out = (
        table.append_column("signature", signature)
        .append_column("shingles", _u32(cols["shingles"]))
        .append_column("length", _u32(cols["length"]))
        .append_column("simhash", _u64(cols["simhash"]))
        .append_column("numbers", _list(_u64(cols["numbers"]), cols["numbers_offsets"]))
        .append_column(
            "quoted",
            pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), n, [None, pa.py_buffer(cols["quoted"])]),
        )
        .append_column("lang", pa.array(cols["lang"], pa.string()))
        .append_column("anchors", _list(_u32(cols["anchors"]), cols["anchors_offsets"]))
    )
    return out, cols["boilerplate"]


def band_keys(table: pa.Table, doc_column: str = "doc", **options: Any) -> pa.Table:
    """One row ``(band, key, doc)`` for every band of every document that takes part (a
    document with shingles), ``doc`` being the document's number in the run (``doc_column``)."""
    active = table.filter(pc.greater(table["shingles"], 0))
    keys, bands = _reprint.band_keys(_buffer_binary(active["signature"]), options)
    n = active.num_rows
    docs = active[doc_column].to_pylist()
    return pa.table(
        {
            "band": pa.array([b for _ in range(n) for b in range(bands)], pa.uint32()),
            "key": _u64(keys),
            "doc": pa.array([d for d in docs for _ in range(bands)], pa.uint64()),
        }
    )


def _buffer_binary(column: Any) -> bytes:
    """The values of a binary column end to end (fixed-size, or variable after a join)."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if len(array) == 0:
        return b""
    if pa.types.is_fixed_size_binary(array.type):
        width = array.type.byte_width
        return array.buffers()[1].to_pybytes()[array.offset * width : (array.offset + len(array)) * width]
    if pa.types.is_large_binary(array.type):
        offsets = _u64_of(array.buffers()[1], array.offset, len(array) + 1, 8)
    else:
        offsets = _u64_of(array.buffers()[1], array.offset, len(array) + 1, 4)
    return array.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]]


def _u64_of(buf: Any, offset: int, n: int, width: int) -> List[int]:
    kind = pa.int64() if width == 8 else pa.int32()
    values = pa.Array.from_buffers(kind, offset + n, [None, buf])
    return values.slice(offset, n).to_pylist()


def bucket_pairs(keys: pa.Table) -> pa.Table:
    """The candidate pairs ``(a, b)``, ``a < b``, of band-key rows (any order, any number of
    parts concatenated): rows grouped by ``(band, key)``, each group paired as the search pairs
    a bucket. Pairs proposed by several bands come out once."""
    if keys.num_rows == 0:
        return pa.table({"a": pa.array([], pa.uint64()), "b": pa.array([], pa.uint64())})
    keys = keys.sort_by([("band", "ascending"), ("key", "ascending"), ("doc", "ascending")])
    band = keys["band"].to_pylist()
    key = keys["key"].to_pylist()
    ends = [i for i in range(1, len(band)) if band[i] != band[i - 1] or key[i] != key[i - 1]]
    ends.append(len(band))
    a, b = _reprint.bucket_pairs(_buffer(keys["doc"]), pa.array(ends, pa.uint64()).buffers()[1].to_pybytes())
    pairs = pa.table({"a": _u64(a), "b": _u64(b)})
    return pairs.group_by(["a", "b"]).aggregate([]).sort_by([("a", "ascending"), ("b", "ascending")])


def component_labels(edges: pa.Table) -> pa.Table:
    """``(doc, label)`` for every document of the pairs ``(a, b)`` (any order, any number of
    parts concatenated), ascending by ``doc``: ``label`` is the smallest document of its
    connected component, as the single binary's union-find finds it."""
    docs, labels = _reprint.component_labels(
        _buffer(edges["a"].cast(pa.uint64())), _buffer(edges["b"].cast(pa.uint64()))
    )
    return pa.table({"doc": _u64(docs), "label": _u64(labels)})


FP_COLUMNS = ("signature", "shingles", "length", "simhash", "numbers", "quoted")


def _fp_buffers(table: pa.Table) -> dict:
    """The column buffers of a table's fingerprints (and sketches), as the stages take them."""
    numbers = table["numbers"].combine_chunks()
    anchors = table["anchors"].combine_chunks()
    return {
        "signature": _buffer_binary(table["signature"]) if table.num_rows else b"",
        "shingles": _buffer(table["shingles"]),
        "length": _buffer(table["length"]),
        "simhash": _buffer(table["simhash"]),
        "numbers": _buffer(pc.list_flatten(numbers).cast(pa.uint64())),
        "numbers_offsets": _buffer(_offsets(numbers)),
        "quoted": _buffer_binary(table["quoted"]) if table.num_rows else b"",
        "lang": table["lang"].to_pylist(),
        "anchors": _buffer(pc.list_flatten(anchors).cast(pa.uint32())),
        "anchors_offsets": _buffer(_offsets(anchors)),
    }


def _offsets(lists: pa.Array) -> pa.Array:
    """Offsets from 0 of a list array (a slice's start at 0)."""
    lengths = pc.fill_null(pc.list_value_length(lists), 0).cast(pa.uint32())
    total = pc.cumulative_sum(lengths) if len(lengths) else pa.array([], pa.uint32())
    return pa.concat_arrays([pa.array([0], pa.uint32()), total.cast(pa.uint32())])


def prepare(table: pa.Table, skipped: List[Tuple[str, str]]) -> Tuple[pa.Table, pa.Table]:
    """The documents a run fingerprints, numbered in its order (column ``doc``): normalized,
    those with no text left and later ones repeating an id set aside (appended to ``skipped``
    with the command line's reasons). Also returns every document with text, repeated ids
    included, which the shingle counts read. In one process: a distributed run finds repeated
    ids with a shuffle by id instead."""
    table = normalize(table)
    keep, seen, texted = [], set(), []
    for doc_id, text in zip(table["id"].to_pylist(), table["normalized"].to_pylist()):
        texted.append(bool(text))
        if not text:
            skipped.append((doc_id, "no text left after normalization"))
            keep.append(False)
        elif doc_id in seen:
            skipped.append((doc_id, "duplicate id: an earlier document has the same id"))
            keep.append(False)
        else:
            seen.add(doc_id)
            keep.append(True)
    kept = table.filter(pa.array(keep))
    kept = kept.append_column("doc", pa.array(range(kept.num_rows), pa.uint64()))
    return kept, table.filter(pa.array(texted))


def languages(table: pa.Table, decisions: Decisions, **options: Any) -> List[Any]:
    """The language code of each document's kept lines (None when not told)."""
    return _reprint.languages(
        table["source"].to_pylist(), table["normalized"].to_pylist(), decisions, options
    )


def is_multilingual(codes: Iterable[Any]) -> bool:
    """Whether documents of these languages (codes, None for untold) make a run that extracts
    anchors: two languages or more, each of enough documents."""
    counts: dict = {}
    total = 0
    for code in codes:
        total += 1
        if code:
            counts[code] = counts.get(code, 0) + 1
    return _reprint.multilingual(counts, total)


def verify_pairs(a: pa.Table, b: pa.Table, **options: Any) -> pa.Array:
    """Whether each pair verifies: row ``i`` of ``a`` and of ``b`` (fingerprint columns)."""
    return pa.array(
        list(_reprint.verify_pairs(_fp_buffers(a), _fp_buffers(b), options)), pa.uint8()
    ).cast(pa.bool_())


def anchor_counts(table: pa.Table) -> Tuple[pa.Table, pa.Table]:
    """One part's anchor statistics (documents that take part only): ``(anchor, documents)``
    and ``(lang, density)`` rows; parts' rows are concatenated for :func:`anchor_weights`."""
    active = table.filter(pc.greater(table["shingles"], 0))
    cols = _fp_buffers(active)
    bufs = _reprint.anchor_counts(cols["lang"], cols["anchors"], cols["anchors_offsets"], cols["length"])
    return (
        pa.table({"anchor": _u32(bufs[0]), "documents": _u32(bufs[1])}),
        pa.table(
            {
                "lang": pa.array(list(bufs[2]), pa.uint8()),
                "density": pa.Array.from_buffers(pa.float64(), len(bufs[3]) // 8, [None, pa.py_buffer(bufs[3])]),
            }
        ),
    )


def anchor_weights(parts: Iterable[Tuple[pa.Table, pa.Table]]) -> AnchorWeights:
    """The corpus's anchor weights from every part's :func:`anchor_counts`."""
    parts = list(parts)
    docs = pa.concat_tables([d for d, _ in parts]) if parts else pa.table({"anchor": pa.array([], pa.uint32()), "documents": pa.array([], pa.uint32())})
    dens = pa.concat_tables([d for _, d in parts]) if parts else pa.table({"lang": pa.array([], pa.uint8()), "density": pa.array([], pa.float64())})
    return AnchorWeights(
        _buffer(docs["anchor"]),
        _buffer(docs["documents"]),
        bytes(dens["lang"].to_pylist()),
        _buffer(dens["density"]),
    )


def translation_keys(table: pa.Table, weights: AnchorWeights) -> Tuple[pa.Table, pa.Table]:
    """One part's postings ``(anchor, doc, lang)`` and probes ``(anchor, doc, lang)`` for the
    search across languages (documents that take part only)."""
    active = table.filter(pc.greater(table["shingles"], 0))
    cols = _fp_buffers(active)
    bufs = _reprint.translation_keys(
        _buffer(active["doc"]), cols["lang"], cols["anchors"], cols["anchors_offsets"], weights
    )
    lang_of = dict(zip(active["doc"].to_pylist(), cols["lang"]))
    def keyed(anchors: bytes, docs: bytes) -> pa.Table:
        d = _u64(docs)
        return pa.table({"anchor": _u32(anchors), "doc": d, "lang": pa.array([lang_of[x] for x in d.to_pylist()], pa.string())})
    return keyed(bufs[0], bufs[1]), keyed(bufs[2], bufs[3])


def translation_candidates(postings: pa.Table, probes: pa.Table) -> pa.Table:
    """Candidate pairs ``(a, b)``, ``a < b``, across languages: a document and another in
    another language that carries two of its probes."""
    if postings.num_rows == 0 or probes.num_rows == 0:
        return pa.table({"a": pa.array([], pa.uint64()), "b": pa.array([], pa.uint64())})
    hits = probes.rename_columns(["anchor", "x", "x_lang"]).join(
        postings.rename_columns(["anchor", "y", "y_lang"]), "anchor"
    )
    hits = hits.filter(pc.not_equal(hits["x_lang"], hits["y_lang"]))
    counted = hits.group_by(["x", "y"]).aggregate([("anchor", "count")])
    counted = counted.filter(pc.greater_equal(counted["anchor_count"], 2))
    a = pc.min_element_wise(counted["x"], counted["y"])
    b = pc.max_element_wise(counted["x"], counted["y"])
    pairs = pa.table({"a": a, "b": b}).group_by(["a", "b"]).aggregate([])
    return pairs.sort_by([("a", "ascending"), ("b", "ascending")])


def verify_translations(a: pa.Table, b: pa.Table, weights: AnchorWeights, **options: Any) -> Tuple[pa.Array, pa.Array]:
    """Whether each candidate pair across languages verifies, and its score."""
    mask, scores = _reprint.verify_translations(_fp_buffers(a), _fp_buffers(b), weights, options)
    return (
        pa.array(list(mask), pa.uint8()).cast(pa.bool_()),
        pa.Array.from_buffers(pa.float64(), len(scores) // 8, [None, pa.py_buffer(scores)]),
    )


def components(edges: Iterable[Tuple[int, int]]) -> dict:
    """The connected component of every document in an edge: its smallest document number.
    In one process (union-find); a distributed run propagates labels instead."""
    parent: dict = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: root(x) for x in list(parent)}


def cluster_component(
    docs: pa.Table, edges: pa.Table, translation_edges: pa.Table, weights: AnchorWeights, **options: Any
) -> List[str]:
    """The cluster entries (JSON) of one component: its documents (fingerprint columns, ``id``,
    ``doc``, ``source``, ``date`` and ``date_source``), its verified pairs ``(a, b)`` and pairs
    across languages ``(a, b, score)``, in document numbers. Members carry their source and
    date; :func:`assemble_report` sets origins and lags."""
    docs = docs.sort_by("doc")
    local = {d: i for i, d in enumerate(docs["doc"].to_pylist())}
    edges = edges.sort_by([("a", "ascending"), ("b", "ascending")])
    ea = pa.array([local[x] for x in edges["a"].to_pylist()], pa.uint32())
    eb = pa.array([local[x] for x in edges["b"].to_pylist()], pa.uint32())
    tr = translation_edges.sort_by([("a", "ascending"), ("b", "ascending")])
    ta = pa.array([local[x] for x in tr["a"].to_pylist()], pa.uint32())
    tb = pa.array([local[x] for x in tr["b"].to_pylist()], pa.uint32())
    return _reprint.cluster_component(
        docs["id"].to_pylist(),
        docs["source"].to_pylist(),
        docs["date"].to_pylist(),
        docs["date_source"].to_pylist(),
        _fp_buffers(docs),
        _buffer(ea),
        _buffer(eb),
        _buffer(ta),
        _buffer(tb),
        _buffer(tr["score"].cast(pa.float64())),
        weights,
        options,
    )


def assemble_report(clusters: List[str], skipped: List[Tuple[str, str]], counts: dict, **options: Any) -> dict:
    """The run's report from every component's cluster entries, what it skipped and its counts
    (``counts["sources"]``: the fingerprinted documents of each source, see
    :func:`source_counts`)."""
    import json

    return json.loads(_reprint.assemble_report(clusters, skipped, counts, options))


def run_parts(table: pa.Table, skipped: List[Tuple[str, str]], parts: int = 1, **options: Any) -> dict:
    """The whole pipeline over ``parts`` slices of documents read by :func:`read_jsonl`, stage
    by stage as a distributed run takes it, in one process: the report ``reprint dedup`` gives
    for the same documents (the tests hold the two to each other)."""
    skipped = list(skipped)
    docs, texted = prepare(table, skipped)
    n = docs.num_rows

    def cut(t: pa.Table) -> List[pa.Table]:
        step = max(1, -(-t.num_rows // max(parts, 1)))
        return [t.slice(i, step) for i in range(0, t.num_rows, step)] or [t]

    lines = add_line_counts(line_counts(p, **options) for p in cut(docs))
    decisions = decide(lines, [shingle_counts(p, **options) for p in cut(texted)], **options)
    anchors = is_multilingual(c for p in cut(docs) for c in languages(p, decisions, **options))
    done = [fingerprints(p, decisions, anchors, **options) for p in cut(docs)]
    fps = pa.concat_tables([t for t, _ in done])
    boilerplate: dict = {}
    for _, b in done:
        for k, v in b.items():
            boilerplate[k] = boilerplate.get(k, 0) + v
    for doc_id, shingles in zip(fps["id"].to_pylist(), fps["shingles"].to_pylist()):
        if shingles == 0:
            skipped.append((doc_id, "no words to fingerprint"))
    active = fps.filter(pc.greater(fps["shingles"], 0))

    pairs = bucket_pairs(pa.concat_tables([band_keys(p, **options) for p in cut(fps)]))
    by_doc = fps.sort_by("doc")
    take = lambda col: by_doc.take(pa.array(col.to_pylist(), pa.uint64()))  # noqa: E731
    ok = verify_pairs(take(pairs["a"]), take(pairs["b"]), **options) if pairs.num_rows else pa.array([], pa.bool_())
    edges = pairs.filter(ok) if pairs.num_rows else pairs

    # Translations: searched only when the documents that can match are in two languages.
    searching = options.get("translations", True) is not False and len(
        {l for l, a in zip(active["lang"].to_pylist(), pc.list_value_length(active["anchors"]).to_pylist()) if l and (a or 0) >= _reprint.MIN_ANCHORS}
    ) >= 2
    empty_tr = pa.table({"a": pa.array([], pa.uint64()), "b": pa.array([], pa.uint64()), "score": pa.array([], pa.float64())})
    if searching:
        weights = anchor_weights(anchor_counts(p) for p in cut(fps))
        keyed = [translation_keys(p, weights) for p in cut(fps)]
        candidates = translation_candidates(pa.concat_tables([k[0] for k in keyed]), pa.concat_tables([k[1] for k in keyed]))
        if candidates.num_rows:
            mask, scores = verify_translations(take(candidates["a"]), take(candidates["b"]), weights, **options)
            translations = pa.table({"a": candidates["a"], "b": candidates["b"], "score": scores}).filter(mask)
        else:
            translations = empty_tr
    else:
        stripped = fps.set_column(fps.schema.get_field_index("anchors"), "anchors", pa.array([[]] * fps.num_rows, pa.list_(pa.uint32())))
        fps, by_doc = stripped, stripped.sort_by("doc")
        weights = anchor_weights([])
        candidates, translations = pa.table({"a": pa.array([], pa.uint64())}), empty_tr

    label = components(list(zip(edges["a"].to_pylist(), edges["b"].to_pylist())) + list(zip(translations["a"].to_pylist(), translations["b"].to_pylist())))
    members: dict = {}
    for doc, root in label.items():
        members.setdefault(root, []).append(doc)
    clusters: List[str] = []
    for root in sorted(members):
        in_comp = set(members[root])
        comp_docs = by_doc.take(pa.array(sorted(in_comp), pa.uint64()))
        mine = lambda t: t.filter(pa.array([a in in_comp for a in t["a"].to_pylist()], pa.bool_()))  # noqa: E731
        clusters += cluster_component(comp_docs, mine(edges), mine(translations), weights, **options)

    counts = {
        "documents": active.num_rows,
        "repaired": sum(1 for r in docs["repaired"].to_pylist() if r),
        "candidate_pairs": pairs.num_rows,
        "verified_pairs": edges.num_rows,
        "translation_candidates": candidates.num_rows if searching else 0,
        "translation_pairs": translations.num_rows,
        "frequent_shingle_buckets": decisions.frequent_shingle_buckets,
        "boilerplate": boilerplate,
        "sources": add_source_counts(source_counts(p) for p in cut(active)),
    }
    return assemble_report(clusters, skipped, counts, **options)
