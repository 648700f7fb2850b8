"""``python -m reprint.ray dedup PATH... -o report.json``: the reprint pipeline on a Ray cluster.

The same stages as ``reprint dedup`` (each one a function of the Rust library, see
:mod:`reprint.stages`), laid out on Ray Data so that no process holds the corpus or all the
candidate pairs:

1. the driver discovers the inputs (names only); workers read them, one task a file;
2. statistics that add up (boilerplate line counts, sampled shingle counts, languages) are
   aggregated by key; the driver turns the sums into decisions, sent to every worker;
3. workers fingerprint their documents;
4. band keys are shuffled by ``(band, key)`` (``repartition`` with keys), each block pairs its
   buckets in one vectorized call; pairs are deduplicated by a shuffle on the pair, joined with
   both documents' fingerprints and verified;
5. the same for the search across languages, shuffled by anchor;
6. connected components of the verified pairs by iterated minimum-label propagation (joins);
7. documents and pairs are shuffled by component, each block clustered by the library's rule;
8. the driver assembles the report from the clusters (the report's size, not the corpus's) and
   the documents of each source (aggregated by source); origins, lags and the report's
   ``sources`` come from the members' sources and dates, which ride with the fingerprints.

The report is byte-identical to ``reprint dedup``'s for the same inputs and options, whatever
the number of workers and partitions (documents are numbered by ``(input, position)``, which
orders them as the command line does, and every stage is keyed, never order-dependent).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import tempfile
from typing import Any, Dict, List, Optional, Tuple

import pyarrow as pa
import pyarrow.compute as pc

from . import _reprint, stages

#: A document's number: its input's number, the part of the input (a large JSON Lines file is
#: read in parts), its position in the part; numbers order documents as the command line reads
#: them. An input read whole is part 0, its positions may use the part's bits too.
INPUT_SHIFT = 40
PART_SHIFT = 24
#: Default size of the parts a large JSON Lines file is read in: at 3 bytes or more a record,
#: a part holds fewer than 2**PART_SHIFT records.
SPLIT_BYTES = 32 << 20
#: Rows of the shingle-count aggregate: buckets, then one row holding the documents counted.
DOCUMENTS_ROW = 1 << 20


def _doc_numbers(input_index: int, part: int, n: int) -> pa.Array:
    base = (input_index << INPUT_SHIFT) | (part << PART_SHIFT)
    return pa.array(range(base, base + n), pa.uint64())


#: Inputs up to this many bytes in all are shuffled by Ray's hash shuffle, larger ones by
#: Ray's default (see `_choose_shuffle`).
SMALL_INPUT_BYTES = 64 << 20


def _input_bytes(inputs: List[Tuple[str, str, str]]) -> int:
    """The size on disk of the discovered inputs' files (each file once)."""
    total = 0
    for path in {p for _, p, _ in inputs}:
        try:
            total += os.stat(path).st_size
        except OSError:
            pass  # read (and listed as skipped) by its task
    return total


def _choose_shuffle(ctx: Any, input_bytes: int) -> None:
    """Ray's hash shuffle for small inputs, Ray's default for the rest, unless the user set
    ``RAY_DATA_DEFAULT_SHUFFLE_STRATEGY``. A job runs about 45 keyed shuffles; the hash
    shuffle's fixed cost is a quarter of the default's (a groupby of 1,000 rows on 2 workers:
    1.1 s against 4.5 s), which is most of a small job's time, but its aggregating actors hold
    their partitions in their own memory, where the default spills to disk (16 GB at a million
    articles). The report is the same either way."""
    from ray.data.context import ShuffleStrategy

    chosen = os.environ.get("RAY_DATA_DEFAULT_SHUFFLE_STRATEGY")
    if chosen:
        ctx.shuffle_strategy = ShuffleStrategy(chosen)
    elif input_bytes <= SMALL_INPUT_BYTES:
        ctx.shuffle_strategy = ShuffleStrategy.HASH_SHUFFLE
    else:
        ctx.shuffle_strategy = ShuffleStrategy.SHUFFLE_V2
    # The aggregating actors reserve no CPU: each reserved a share of the cluster's, and a plan
    # with several keyed shuffles at once (the pairs' two joins, a shuffle feeding a shuffle)
    # left the tasks feeding them no CPU on 2 workers, and the job waited forever.
    ctx.hash_shuffle_operator_actor_num_cpus_override = 0
    ctx.hash_aggregate_operator_actor_num_cpus_override = 0
    ctx.join_operator_actor_num_cpus_override = 0


def _plan_parts(inputs: List[Tuple[str, str, str]], split_bytes: int) -> List[Dict[str, Any]]:
    """One read task a discovered input, or a task a part of a large JSON Lines file, its
    records named by the whole file's line numbers: the line breaks before each part are
    counted by Ray tasks, one a part, and summed here (one number a part)."""
    import ray.data

    rows: List[Dict[str, Any]] = []
    for i, (a, b, c) in enumerate(inputs):
        cuts = _reprint.input_cuts((a, b, c), split_bytes) if split_bytes > 0 else None
        if not cuts:
            rows.append({"input": i, "part": 0, "id": a, "path": b, "source": c, "range": None})
            continue
        for k, (start, end) in enumerate(cuts):
            rows.append({"input": i, "part": k, "id": a, "path": b, "source": c, "range": (start, end)})
    split = [r for r in rows if r["range"] is not None]
    if split:
        counted = (
            ray.data.from_items(
                [{"input": r["input"], "part": r["part"], "path": r["path"], "start": r["range"][0],
                  "end": r["range"][1]} for r in split],
                override_num_blocks=len(split),
            )
            .map(lambda r: {"input": r["input"], "part": r["part"],
                            "n": _reprint.count_newlines(r["path"], r["start"], r["end"])})
            .take_all()
        )
        newlines = {(r["input"], r["part"]): r["n"] for r in counted}
        before = 0
        for r in split:
            if r["part"] == 0:
                before = 0
            start, end = r["range"]
            r["range"] = (start, end, before)
            before += newlines[(r["input"], r["part"])]
    return rows


def _read(batch: pa.Table, options: Dict[str, Any]) -> pa.Table:
    """Reads the inputs of a batch of ``(input, id, path, source)`` rows: their documents,
    normalized and numbered, and their skips (``skip`` set, ``id`` naming what was skipped)."""
    out = []
    for row in batch.to_pylist():
        if row["path"].lower().endswith(".parquet"):
            ids, sources, texts, dates, date_sources, repaired, skipped = _read_parquet(row, options)
        else:
            part = tuple(row["range"]) if row["range"] is not None else None
            ids, sources, texts, dates, date_sources, repaired, skipped = _reprint.read_input(
                (row["id"], row["path"], row["source"]), options, part
            )
        docs = stages.normalize(stages.documents_table(ids, sources, texts, dates, date_sources, repaired))
        docs = docs.append_column("doc", _doc_numbers(row["input"], row["part"], len(ids))).append_column(
            "skip",
            pa.array(
                [None if t else "no text left after normalization" for t in docs["normalized"].to_pylist()],
                pa.string(),
            ),
        )
        n = len(skipped)
        skips = (
            stages.documents_table([s[0] for s in skipped], [""] * n, [""] * n, [None] * n, [None] * n, [False] * n)
            .append_column("normalized", pa.array([""] * n, pa.large_string()))
            .append_column("doc", pa.array([0] * n, pa.uint64()))
            .append_column("skip", pa.array([s[1] for s in skipped], pa.string()))
        )
        out += [docs, skips]
    return pa.concat_tables(out)


def _read_parquet(row: Dict[str, Any], options: Dict[str, Any]) -> Tuple[Any, ...]:
    """A Parquet file's rows as records of a JSON Lines file of the same name and folder: the
    same fields (``id``, ``text``, ``title``, ``source``, ``url``, ``date``), the same rules; a
    file that cannot be read is skipped with the reason."""
    import pyarrow.parquet as pq

    from . import _json_value

    try:
        records = pq.read_table(row["path"]).to_pylist()
    except (OSError, pa.ArrowException) as e:
        return [], [], [], [], [], [], [(row["id"], f"unreadable Parquet: {e}")]
    # One record a line, as written: the reader names a record without an id by its line.
    lines = "".join(
        json.dumps({str(k): _json_value(v) for k, v in r.items()}, ensure_ascii=False) + "\n"
        for r in records
    ).encode("utf-8")
    ids, sources, texts, dates, date_sources, repaired, skipped = _reprint.read_jsonl(
        lines, row["id"], options, row["source"]
    )
    # Undated records take the file's modification time (date source ``mtime``), as those of
    # a JSON Lines file do; the bytes handed over above are in memory, which has none.
    if any(d is None for d in dates):
        mtime = int(os.stat(row["path"]).st_mtime)
        date_sources = ["mtime" if d is None else s for d, s in zip(dates, date_sources)]
        dates = [mtime if d is None else d for d in dates]
    return ids, sources, texts, dates, date_sources, repaired, skipped


def _first_of_each_id(block: pa.Table) -> pa.Table:
    """A block holding every document of its ids (after a shuffle by id): later documents of
    an id become skips, as the command line keeps the first."""
    if block.num_rows == 0:
        return block
    block = block.sort_by([("id", "ascending"), ("doc", "ascending")])
    ids = block["id"].to_pylist()
    skip = [
        "duplicate id: an earlier document has the same id" if i and ids[i] == ids[i - 1] else None
        for i in range(len(ids))
    ]
    return block.set_column(block.schema.get_field_index("skip"), "skip", pa.array(skip, pa.string()))


def _shingle_rows(batch: pa.Table, options: Dict[str, Any]) -> pa.Table:
    counts, documents = stages.shingle_counts(batch, **options)
    nonzero = pc.indices_nonzero(counts)
    buckets = pa.concat_arrays([nonzero.cast(pa.uint32()), pa.array([DOCUMENTS_ROW], pa.uint32())])
    values = pa.concat_arrays([counts.take(nonzero).cast(pa.uint64()), pa.array([documents], pa.uint64())])
    return pa.table({"bucket": buckets, "count": values})


def _line_rows(batch: pa.Table, options: Dict[str, Any]) -> pa.Table:
    corpus, source = stages.line_counts(batch, **options)
    return pa.table(
        {
            "scope": pa.array([0] * corpus.num_rows + [1] * source.num_rows, pa.uint8()),
            # As int64 (the same bits): Ray's hash-shuffle aggregation turns a uint64 column
            # holding values over 2^63 into Python objects, which it then cannot sort or group.
            "source_key": pa.concat_arrays(
                [pa.array([0] * corpus.num_rows, pa.uint64()), source["source_key"].combine_chunks()]
            ).view(pa.int64()),
            "hash": pa.concat_arrays([corpus["hash"].combine_chunks(), source["hash"].combine_chunks()]).view(
                pa.int64()
            ),
            "documents": pa.concat_arrays(
                [corpus["documents"].combine_chunks(), source["documents"].combine_chunks()]
            ).cast(pa.uint64()),
        }
    )


def _source_rows(batch: pa.Table) -> pa.Table:
    counted = stages.source_counts(batch)
    return pa.table({"source": pa.array(list(counted), pa.string()), "n": pa.array(list(counted.values()), pa.uint64())})


def _language_rows(batch: pa.Table, decisions: Any, options: Dict[str, Any]) -> pa.Table:
    codes = stages.languages(batch, decisions, **options)
    return pa.table({"lang": pa.array([c or "" for c in codes], pa.string()), "n": pa.array([1] * len(codes), pa.uint64())})


FP_KEEP = ["id", "doc", "source", "date", "date_source", "repaired", "signature", "shingles", "length", "simhash", "numbers", "quoted", "lang", "anchors"]


#: Test hook: the path of a marker file. The first fingerprinting task to create it kills its
#: own worker process (SIGKILL, as the kernel's OOM killer or a lost node would), so that the
#: tests can check that Ray's retry of the task neither loses nor duplicates documents.
KILL_ONCE_ENV = "REPRINT_RAY_TEST_KILL_ONCE"


def _maybe_die_once() -> None:
    marker = os.environ.get(KILL_ONCE_ENV)
    if not marker:
        return
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)


def _fingerprint(batch: pa.Table, decisions: Any, anchors: bool, options: Dict[str, Any]) -> pa.Table:
    _maybe_die_once()
    table, boilerplate = stages.fingerprints(batch, decisions, anchors, **options)
    table = table.select(FP_KEEP)
    # The batch's boilerplate counts ride on its first row, so that a sum over the dataset
    # gives the run's.
    for key in ("chrome_lines", "source_lines", "corpus_lines", "kept_whole"):
        values = [0] * table.num_rows
        if values:
            values[0] = boilerplate[key]
        table = table.append_column("b_" + key, pa.array(values, pa.uint64()))
    return table


def _band_rows(batch: pa.Table, options: Dict[str, Any]) -> pa.Table:
    return stages.band_keys(batch, **options)


def _pairs_of_buckets(block: pa.Table) -> pa.Table:
    """The candidate pairs of a block holding whole buckets (after a shuffle by band and key),
    in one call for the whole block."""
    return stages.bucket_pairs(block)


def _distinct_pairs(block: pa.Table) -> pa.Table:
    if block.num_rows == 0:
        return block
    return block.group_by(["a", "b"]).aggregate([])


def _side(fps: Any, prefix: str) -> Any:
    cols = ["doc", "signature", "shingles", "length", "simhash", "numbers", "quoted", "lang", "anchors"]
    return fps.select_columns(cols).rename_columns({c: prefix + c for c in cols})


def _unprefix(table: pa.Table, prefix: str) -> pa.Table:
    cols = [c for c in table.column_names if c.startswith(prefix)]
    return pa.table({c[len(prefix):]: table[c] for c in cols})


def _verify(batch: pa.Table, options: Dict[str, Any]) -> pa.Table:
    if batch.num_rows == 0:
        return pa.table({"a": pa.array([], pa.uint64()), "b": pa.array([], pa.uint64())})
    ok = stages.verify_pairs(_unprefix(batch, "a_"), _unprefix(batch, "b_"), **options)
    return batch.select(["a", "b"]).filter(ok)


def _verify_translations(batch: pa.Table, weights: Any, options: Dict[str, Any]) -> pa.Table:
    empty = pa.table({"a": pa.array([], pa.uint64()), "b": pa.array([], pa.uint64()), "score": pa.array([], pa.float64())})
    if batch.num_rows == 0:
        return empty
    ok, scores = stages.verify_translations(_unprefix(batch, "a_"), _unprefix(batch, "b_"), weights, **options)
    return pa.table({"a": batch["a"], "b": batch["b"], "score": scores}).filter(ok)


def _translation_key_rows(batch: pa.Table, weights: Any) -> pa.Table:
    postings, probes = stages.translation_keys(batch, weights)
    kind = pa.array([0] * postings.num_rows + [1] * probes.num_rows, pa.uint8())
    both = pa.concat_tables([postings, probes])
    return both.append_column("kind", kind)


def _translation_hits(block: pa.Table) -> pa.Table:
    """Candidate pairs across languages from a block holding whole anchors (after a shuffle by
    anchor): every probe against every posting of its anchor in another language, counted."""
    if block.num_rows == 0:
        return pa.table({"x": pa.array([], pa.uint64()), "y": pa.array([], pa.uint64()), "hits": pa.array([], pa.int64())})
    postings = block.filter(pc.equal(block["kind"], 0)).select(["anchor", "doc", "lang"])
    probes = block.filter(pc.equal(block["kind"], 1)).select(["anchor", "doc", "lang"])
    hits = probes.rename_columns(["anchor", "x", "x_lang"]).join(postings.rename_columns(["anchor", "y", "y_lang"]), "anchor")
    hits = hits.filter(pc.not_equal(hits["x_lang"], hits["y_lang"]))
    counted = hits.group_by(["x", "y"]).aggregate([("anchor", "count")])
    return counted.rename_columns(["x", "y", "hits"])


def _min_pairs(block: pa.Table) -> pa.Table:
    """Pairs with two hits or more once the hits of one probing document are together."""
    if block.num_rows == 0:
        return pa.table({"a": pa.array([], pa.uint64()), "b": pa.array([], pa.uint64())})
    summed = block.group_by(["x", "y"]).aggregate([("hits", "sum")])
    summed = summed.filter(pc.greater_equal(summed["hits_sum"], 2))
    return pa.table(
        {"a": pc.min_element_wise(summed["x"], summed["y"]), "b": pc.max_element_wise(summed["x"], summed["y"])}
    )


#: Up to this many verified pairs, the components are found on the driver (16 bytes a pair
#: cross to it: 160 MB at most); beyond, by label propagation over the cluster.
LOCAL_COMPONENTS_MAX_EDGES = 10_000_000


def _components(ray_data: Any, edges: Any, count: int, partitions: int) -> Any:
    """``(doc, label)`` for every document in an edge, ``label`` the smallest document of its
    connected component. Up to ``LOCAL_COMPONENTS_MAX_EDGES`` edges the driver gathers them and
    runs the library's union-find (one step: label propagation took 10 to 13 rounds of two
    joins and an aggregate, 114 s of 848 at a million articles); beyond, each round every
    document takes the smallest label among itself and its neighbours, and points its label's
    holder at it too, until no label changes. Both give the same labels."""
    if count <= LOCAL_COMPONENTS_MAX_EDGES:
        import ray

        tables = [t.select(["a", "b"]) for t in ray.get(edges.to_arrow_refs()) if t.num_rows]
        if tables:
            return ray_data.from_arrow(stages.component_labels(pa.concat_tables(tables)))
    return _propagate_labels(ray_data, edges, partitions)


def _propagate_labels(ray_data: Any, edges: Any, partitions: int) -> Any:
    """Label propagation over the cluster (see `_components`)."""
    both = edges.map_batches(
        lambda t: pa.table(
            {"x": pa.concat_arrays([t["a"].combine_chunks(), t["b"].combine_chunks()]),
             "y": pa.concat_arrays([t["b"].combine_chunks(), t["a"].combine_chunks()])}
        ),
        batch_format="pyarrow",
    ).materialize()
    labels = both.map_batches(
        lambda t: pa.table({"doc": t["x"], "label": pc.min_element_wise(t["x"], t["y"])}), batch_format="pyarrow"
    ).groupby("doc").min("label").rename_columns({"min(label)": "label"}).materialize()
    before = _total(labels, "label")
    while True:
        # A document's neighbours' labels ...
        offered = both.join(labels, "inner", partitions, on=("y",), right_on=("doc",)).map_batches(
            lambda t: pa.table({"doc": t["x"], "label": t["label"]}), batch_format="pyarrow"
        )
        # ... and, so that long chains shrink fast, its label's own label.
        jumped = labels.join(
            labels.rename_columns({"doc": "holder", "label": "holder_label"}),
            "inner",
            partitions,
            on=("label",),
            right_on=("holder",),
        ).map_batches(lambda t: pa.table({"doc": t["doc"], "label": t["holder_label"]}), batch_format="pyarrow")
        new = (
            labels.union(offered, jumped)
            .groupby("doc")
            .min("label")
            .rename_columns({"min(label)": "label"})
            .materialize()
        )
        # Labels only fall: an unchanged sum means no label changed.
        after = _total(new, "label")
        labels = new
        if after == before:
            return labels
        before = after


def _cluster_block(block: pa.Table, weights: Any, options: Dict[str, Any]) -> pa.Table:
    """The cluster entries of every component in a block holding whole components (after a
    shuffle by label): its documents (``kind`` 0), verified pairs (1) and translations (2)."""
    out: List[str] = []
    if block.num_rows:
        for label in sorted(set(block["label"].to_pylist())):
            mine = block.filter(pc.equal(block["label"], label))
            docs = mine.filter(pc.equal(mine["kind"], 0))
            edges = mine.filter(pc.equal(mine["kind"], 1)).select(["a", "b"])
            tr = mine.filter(pc.equal(mine["kind"], 2)).select(["a", "b", "score"])
            out += stages.cluster_component(docs, edges, tr, weights, **options)
    return pa.table({"cluster": pa.array(out, pa.large_string())})


def _with_label(ds: Any, labels: Any, on: str, partitions: int) -> Any:
    return ds.join(labels.rename_columns({"doc": "_" + on}), "inner", partitions, on=(on,), right_on=("_" + on,))


def dedup(
    paths: List[str],
    num_workers: int = 2,
    partitions: Optional[int] = None,
    split_bytes: int = SPLIT_BYTES,
    **options: Any,
) -> dict:
    """The report of ``reprint dedup PATHS`` (same options), computed with Ray Data on the
    current Ray cluster (a local one of ``num_workers`` CPUs when none is running). A plain JSON
    Lines file larger than ``split_bytes`` is read in parts of about that size by several
    tasks (0: every input by one task)."""
    return json.loads(dedup_json(paths, num_workers, partitions, split_bytes, **options))


def dedup_json(
    paths: List[str],
    num_workers: int = 2,
    partitions: Optional[int] = None,
    split_bytes: int = SPLIT_BYTES,
    **options: Any,
) -> str:
    """:func:`dedup`'s report as the JSON text ``reprint dedup`` writes, byte for byte."""
    import ray
    import ray.data

    if not ray.is_initialized():
        ray.init(
            num_cpus=num_workers,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    logging.getLogger("ray.data").setLevel(os.environ.get("REPRINT_RAY_LOG", "WARNING").upper())
    partitions = partitions or max(2, 2 * num_workers)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    # Every keyed shuffle (repartition, join, groupby) uses the run's partitions, not Ray's
    # default of 200, which costs seconds of scheduling on a small corpus.
    ctx.default_hash_shuffle_parallelism = partitions
    options = {k: v for k, v in options.items() if v is not None}

    inputs, skipped = _reprint.discover([str(p) for p in paths], options)
    skipped = [tuple(s) for s in skipped]
    rows = _plan_parts(inputs, split_bytes)
    if not rows:
        return _reprint.assemble_report([], skipped, _counts_of_nothing(), options)
    _choose_shuffle(ctx, _input_bytes(inputs))
    read = (
        ray.data.from_items(rows, override_num_blocks=min(len(rows), 8 * partitions))
        .map_batches(_read, fn_args=(options,), batch_format="pyarrow", batch_size=1)
        .materialize()
    )
    skipped += _skips(_where(read, lambda t: pc.is_valid(t["skip"])))
    # Not materialized: each use filters `read`'s blocks again, which costs a scan, where a
    # copy would hold every text in the object store twice (at a million articles, 9 GB more
    # to spill).
    texted = _where(read, lambda t: pc.is_null(t["skip"]))

    shingles = (
        texted.map_batches(_shingle_rows, fn_args=(options,), batch_format="pyarrow", batch_size=None)
        .groupby("bucket")
        .sum("count")
        .to_arrow_refs()
    )
    # Repeated ids: only (id, doc) is shuffled by id, not the texts; the later documents of an
    # id (rare: their numbers are what reaches the driver) are then set aside where they lie.
    repeated = (
        texted.select_columns(["id", "doc", "skip"])
        .repartition(partitions, keys=["id"])
        .map_batches(_first_of_each_id, batch_format="pyarrow", batch_size=None)
    )
    repeated = _where(repeated, lambda t: pc.is_valid(t["skip"])).take_all()
    skipped += [(r["id"], r["skip"]) for r in repeated]
    later = pa.array(sorted(r["doc"] for r in repeated), pa.uint64())
    docs = _where(texted, lambda t: pc.invert(pc.is_in(t["doc"], value_set=later))).materialize()
    # The texts live on in `docs` only: dropping the driver's references frees the read blocks.
    del read, texted
    lines = (
        docs.map_batches(_line_rows, fn_args=(options,), batch_format="pyarrow", batch_size=None)
        .groupby(["scope", "source_key", "hash"])
        .sum("documents")
        .rename_columns({"sum(documents)": "total"})
    )
    lines = _where(lines, lambda t: pc.greater_equal(t["total"], 2))
    decisions = _decisions(ray, lines, shingles, options)

    langs = (
        docs.map_batches(_language_rows, fn_args=(decisions, options), batch_format="pyarrow", batch_size=None)
        .groupby("lang")
        .sum("n")
        .take_all()
    )
    total = sum(r["sum(n)"] for r in langs)
    anchors = _reprint.multilingual({r["lang"]: r["sum(n)"] for r in langs if r["lang"]}, total)

    fps = docs.map_batches(
        _fingerprint, fn_args=(decisions, anchors, options), batch_format="pyarrow", batch_size=None
    ).materialize()
    kinds = ("chrome_lines", "source_lines", "corpus_lines", "kept_whole")
    summed = _totals(fps, ["b_" + k for k in kinds])
    boilerplate = {k: summed["b_" + k] for k in kinds}
    repaired = _where(fps, lambda t: t["repaired"]).count()
    skipped += [
        (r["id"], "no words to fingerprint")
        for r in _where(fps, lambda t: pc.equal(t["shingles"], 0)).select_columns(["id"]).take_all()
    ]
    active = _where(fps, lambda t: pc.greater(t["shingles"], 0)).materialize()
    # Past fingerprinting nothing reads the texts again, nor the rows without words.
    del docs, fps
    documents = active.count()
    # The fingerprinted documents of each source: counted block by block, summed by source
    # (one row a source reaches the driver).
    sources = (
        active.map_batches(_source_rows, batch_format="pyarrow", batch_size=None)
        .groupby("source")
        .sum("n")
        .take_all()
        if documents
        else []
    )
    source_counts = {r["source"]: int(r["sum(n)"]) for r in sources if r["source"]}

    pairs = (
        active.map_batches(_band_rows, fn_args=(options,), batch_format="pyarrow", batch_size=None)
        .repartition(partitions, keys=["band", "key"])
        .map_batches(_pairs_of_buckets, batch_format="pyarrow", batch_size=None)
        .repartition(partitions, keys=["a", "b"])
        .map_batches(_distinct_pairs, batch_format="pyarrow", batch_size=None)
        .materialize()
    )
    candidate_pairs = pairs.count()
    edges = _join_sides(pairs, active, partitions).map_batches(
        _verify, fn_args=(options,), batch_format="pyarrow", batch_size=None
    ).materialize()

    # Across languages: only when the documents that can match are in two languages or more.
    searching = options.get("translations", True) is not False and anchors and _languages_that_search(active) >= 2
    if searching:
        parts = active.map_batches(_anchor_rows, batch_format="pyarrow", batch_size=None).materialize()
        weights = stages.AnchorWeights(*_anchor_buffers(parts))
        tr_pairs = (
            active.map_batches(_translation_key_rows, fn_args=(weights,), batch_format="pyarrow", batch_size=None)
            .repartition(partitions, keys=["anchor"])
            .map_batches(_translation_hits, batch_format="pyarrow", batch_size=None)
            .repartition(partitions, keys=["x"])
            .map_batches(_min_pairs, batch_format="pyarrow", batch_size=None)
            .repartition(partitions, keys=["a", "b"])
            .map_batches(_distinct_pairs, batch_format="pyarrow", batch_size=None)
            .materialize()
        )
        translation_candidates = tr_pairs.count()
        translations = _join_sides(tr_pairs, active, partitions).map_batches(
            _verify_translations, fn_args=(weights, options), batch_format="pyarrow", batch_size=None
        ).materialize()
    else:
        active = active.map_batches(_drop_anchors, batch_format="pyarrow", batch_size=None).materialize()
        weights = stages.anchor_weights([])
        translation_candidates = 0
        translations = None
    verified = edges.count()
    translation_pairs = translations.count() if translations is not None else 0

    clusters: List[str] = []
    all_edges = edges if translations is None else edges.union(translations.select_columns(["a", "b"]))
    if verified + translation_pairs:
        labels = _components(ray.data, all_edges.materialize(), verified + translation_pairs, partitions)
        schema = _union_schema(active.schema().base_schema.field("signature").type)
        docs_l = _with_label(active, labels, "doc", partitions).map_batches(
            _as_kind, fn_args=(0, schema), batch_format="pyarrow", batch_size=None
        )
        parts_l = [
            _with_label(edges, labels, "a", partitions).map_batches(
                _as_kind, fn_args=(1, schema), batch_format="pyarrow", batch_size=None
            )
        ]
        if translations is not None and translation_pairs:
            parts_l.append(
                _with_label(translations, labels, "a", partitions).map_batches(
                    _as_kind, fn_args=(2, schema), batch_format="pyarrow", batch_size=None
                )
            )
        clusters = [
            r["cluster"]
            for r in docs_l.union(*parts_l)
            .repartition(partitions, keys=["label"])
            .map_batches(_cluster_block, fn_args=(weights, options), batch_format="pyarrow", batch_size=None)
            .take_all()
        ]

    counts = {
        "documents": documents,
        "repaired": repaired,
        "candidate_pairs": candidate_pairs,
        "verified_pairs": verified,
        "translation_candidates": translation_candidates,
        "translation_pairs": translation_pairs,
        "frequent_shingle_buckets": decisions.frequent_shingle_buckets,
        "boilerplate": boilerplate,
        "sources": source_counts,
    }
    return _reprint.assemble_report(clusters, skipped, counts, options)


def _union_schema(signature: pa.DataType) -> pa.Schema:
    """The one schema of the rows a component's shuffle carries."""
    return pa.schema(
    [
        ("kind", pa.uint8()),
        ("label", pa.uint64()),
        ("id", pa.string()),
        ("doc", pa.uint64()),
        ("source", pa.string()),
        ("date", pa.int64()),
        ("date_source", pa.string()),
        ("signature", signature),
        ("shingles", pa.uint32()),
        ("length", pa.uint32()),
        ("simhash", pa.uint64()),
        ("numbers", pa.list_(pa.uint64())),
        ("quoted", pa.binary(16)),
        ("lang", pa.string()),
        ("anchors", pa.list_(pa.uint32())),
        ("a", pa.uint64()),
        ("b", pa.uint64()),
        ("score", pa.float64()),
    ]
)


def _as_kind(batch: pa.Table, kind: int, schema: pa.Schema) -> pa.Table:
    """Rows of one kind (documents, pairs, translations) in the one schema a component's
    shuffle carries."""
    n = batch.num_rows
    cols = {}
    for field in schema:
        if field.name == "kind":
            cols["kind"] = pa.array([kind] * n, pa.uint8())
        elif field.name in batch.column_names:
            cols[field.name] = batch[field.name].cast(field.type)
        else:
            cols[field.name] = pa.nulls(n, field.type)
    return pa.table(cols, schema=schema)


def _drop_anchors(batch: pa.Table) -> pa.Table:
    i = batch.schema.get_field_index("anchors")
    return batch.set_column(i, "anchors", pa.array([[]] * batch.num_rows, pa.list_(pa.uint32())))


def _languages_that_search(active: Any) -> int:
    langs = active.map_batches(
        lambda t: pa.table(
            {"lang": t.filter(pc.greater_equal(pc.list_value_length(t["anchors"]), _reprint.MIN_ANCHORS))["lang"]}
        ),
        batch_format="pyarrow",
    )
    langs = _where(langs, lambda t: pc.is_valid(t["lang"])).unique("lang")
    return len([l for l in langs if l])


def _anchor_rows(batch: pa.Table) -> pa.Table:
    docs, dens = stages.anchor_counts(batch)
    n, m = docs.num_rows, dens.num_rows
    return pa.table(
        {
            "kind": pa.array([0] * n + [1] * m, pa.uint8()),
            "anchor": pa.concat_arrays([docs["anchor"].combine_chunks(), pa.nulls(m, pa.uint32())]),
            "documents": pa.concat_arrays([docs["documents"].combine_chunks(), pa.nulls(m, pa.uint32())]),
            "lang": pa.concat_arrays([pa.nulls(n, pa.uint8()), dens["lang"].combine_chunks()]),
            "density": pa.concat_arrays([pa.nulls(n, pa.float64()), dens["density"].combine_chunks()]),
        }
    )


def _anchor_buffers(parts: Any) -> Tuple[bytes, bytes, bytes, bytes]:
    """The added-up anchor counts and the pooled densities (the driver holds one float a long
    document: the medians need them all)."""
    counted = _where(parts, lambda t: pc.equal(t["kind"], 0)).groupby("anchor").sum("documents").to_arrow_refs()
    import ray

    tables = [t for t in ray.get(counted) if t.num_rows]
    docs = pa.concat_tables(tables) if tables else pa.table({"anchor": pa.array([], pa.uint32()), "sum(documents)": pa.array([], pa.uint64())})
    dens_refs = _where(parts, lambda t: pc.equal(t["kind"], 1)).select_columns(["lang", "density"]).to_arrow_refs()
    dens_tables = [t for t in ray.get(dens_refs) if t.num_rows]
    dens = pa.concat_tables(dens_tables) if dens_tables else pa.table({"lang": pa.array([], pa.uint8()), "density": pa.array([], pa.float64())})
    return (
        stages._buffer(docs["anchor"].cast(pa.uint32())),
        stages._buffer(docs["sum(documents)"].cast(pa.uint32())),
        bytes(dens["lang"].to_pylist()),
        stages._buffer(dens["density"].cast(pa.float64())),
    )


def _join_sides(pairs: Any, fps: Any, partitions: int) -> Any:
    """Pairs with both documents' fingerprint columns (``a_*`` and ``b_*``)."""
    with_a = pairs.join(_side(fps, "a_"), "inner", partitions, on=("a",), right_on=("a_doc",))
    return with_a.join(_side(fps, "b_"), "inner", partitions, on=("b",), right_on=("b_doc",))


def _decisions(ray: Any, lines: Any, shingles: Any, options: Dict[str, Any]) -> Any:
    """The decisions from the aggregated statistics (what reaches the driver: the lines of two
    documents or more, and 2^20 shingle counts)."""
    tables = [t for t in ray.get(lines.to_arrow_refs()) if t.num_rows]
    empty = pa.table({"scope": pa.array([], pa.uint8()), "source_key": pa.array([], pa.int64()), "hash": pa.array([], pa.int64()), "total": pa.array([], pa.uint64())})
    rows = pa.concat_tables(tables) if tables else empty
    # Back from the int64 the shuffle carried (`_line_rows`) to the hashes' own type.
    for name in ("source_key", "hash"):
        at = rows.schema.get_field_index(name)
        rows = rows.set_column(at, name, rows[name].combine_chunks().view(pa.uint64()))
    corpus = rows.filter(pc.equal(rows["scope"], 0))
    source = rows.filter(pc.equal(rows["scope"], 1))
    counts = [0] * (1 << 20)
    documents = 0
    for t in ray.get(shingles):
        if not t.num_rows:
            # (An empty block of a hash shuffle can come without the columns.)
            continue
        for bucket, count in zip(t["bucket"].to_pylist(), t["sum(count)"].to_pylist()):
            if bucket == DOCUMENTS_ROW:
                documents += count
            else:
                counts[bucket] = count
    return stages.decide(
        (
            pa.table({"hash": corpus["hash"], "documents": corpus["total"].cast(pa.uint32())}),
            pa.table(
                {
                    "source_key": source["source_key"],
                    "hash": source["hash"],
                    "documents": stages._saturating_u32(source["total"]),
                }
            ),
        ),
        [(pa.array(counts, pa.uint32()), documents)],
        **options,
    )


def _total(ds: Any, column: str) -> int:
    """The sum of an integer column (see `_totals`)."""
    return _totals(ds, [column])[column]


def _totals(ds: Any, columns: List[str]) -> Dict[str, int]:
    """The sums of integer columns, block by block, in one execution (a keyed aggregate of one
    partition costs seconds of scheduling, and so does each execution on a small machine)."""
    parts = ds.map_batches(
        lambda t: pa.table({c: [int(pc.sum(t[c]).as_py() or 0)] for c in columns}),
        batch_format="pyarrow",
        batch_size=None,
    ).take_all()
    return {c: sum(r[c] for r in parts) for c in columns}


def _where(ds: Any, predicate: Any) -> Any:
    """The rows of ``ds`` for which ``predicate(table)`` (a pyarrow boolean array) holds."""
    return ds.map_batches(lambda t: t.filter(predicate(t)), batch_format="pyarrow", batch_size=None)


def _skips(ds: Any) -> List[Tuple[str, str]]:
    return [(r["id"], r["skip"]) for r in ds.select_columns(["id", "skip"]).take_all()]


def _counts_of_nothing() -> dict:
    return {
        "documents": 0,
        "repaired": 0,
        "candidate_pairs": 0,
        "verified_pairs": 0,
        "translation_candidates": 0,
        "translation_pairs": 0,
        "frequent_shingle_buckets": 0,
        "boilerplate": {"chrome_lines": 0, "source_lines": 0, "corpus_lines": 0, "kept_whole": 0},
        "sources": {},
    }


def _write_atomic(path: str, text: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".reprint-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reprint.ray",
        description="Run reprint's dedup on a Ray cluster; the report equals `reprint dedup`'s.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dedup", help="group the reprints among PATHS")
    d.add_argument("paths", nargs="+", metavar="PATH", help="files and folders, as `reprint dedup` reads them")
    d.add_argument("-o", "--output", help="write the JSON report here (atomically); stdout without it")
    d.add_argument("--num-workers", type=int, default=2, help="CPUs of the local Ray started when none runs (default 2)")
    d.add_argument("--partitions", type=int, help="blocks of every shuffle (default: twice the workers)")
    d.add_argument("--address", help="the Ray cluster to join (default: RAY_ADDRESS, else a local one)")
    d.add_argument(
        "--split-bytes",
        type=int,
        default=SPLIT_BYTES,
        help=f"read a plain JSON Lines file larger than this in parts of about this size, one task a part "
        f"(default {SPLIT_BYTES}; 0: one task a file)",
    )
    for name, kind in [("threshold", float), ("containment", float), ("num-perm", int), ("shingle", str),
                       ("method", str), ("frequent-shingles", float), ("seed", int), ("max-file-bytes", int),
                       ("id-field", str), ("text-field", str), ("title-field", str)]:
        d.add_argument("--" + name, type=kind)
    d.add_argument("--keep-boilerplate", action="store_true", default=None)
    d.add_argument("--text-is-html", action="store_true", default=None)
    d.add_argument("--hidden", action="store_true", default=None)
    d.add_argument("--translations", choices=["on", "off"])
    args = parser.parse_args(argv)
    if args.num_workers < 1 or (args.partitions is not None and args.partitions < 1):
        print("reprint.ray: --num-workers and --partitions must be at least 1", file=sys.stderr)
        return 2
    if args.split_bytes < 0:
        print("reprint.ray: --split-bytes must be 0 or more", file=sys.stderr)
        return 2
    options = {
        k: getattr(args, k)
        for k in ["threshold", "containment", "num_perm", "shingle", "method", "frequent_shingles", "seed",
                  "max_file_bytes", "id_field", "text_field", "title_field", "keep_boilerplate", "text_is_html", "hidden"]
    }
    if args.translations:
        options["translations"] = args.translations == "on"
    if args.address:
        import ray

        ray.init(address=args.address)
    try:
        report = dedup_json(
            args.paths,
            num_workers=args.num_workers,
            partitions=args.partitions,
            split_bytes=args.split_bytes,
            **options,
        )
    except (ValueError, OSError, TypeError) as e:
        print(f"reprint.ray: {e}", file=sys.stderr)
        return 2
    text = report
    if args.output:
        _write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
