"""The stages on parts of a corpus against one run over all of it."""

from __future__ import annotations

import pyarrow as pa
import pytest

import reprint
from reprint import stages

from test_dedup import ROOT, corpus_records


def prepared(records, **options):
    """The documents as a run numbers them: read, normalized, empty ones and repeated ids out."""
    table, skipped = stages.read_jsonl(reprint.to_jsonl(records), **options)
    table = stages.normalize(table)
    seen, keep = set(), []
    for i, (doc_id, text) in enumerate(zip(table["id"].to_pylist(), table["normalized"].to_pylist())):
        keep.append(bool(text) and doc_id not in seen)
        if text:
            seen.add(doc_id)
    table = table.filter(pa.array(keep))
    return table.append_column("doc", pa.array(range(table.num_rows), pa.uint64()))


def run_stages(table, cuts, **options):
    parts = [table.slice(a, b - a) for a, b in zip([0, *cuts], [*cuts, table.num_rows])]
    lines = stages.add_line_counts(stages.line_counts(p, **options) for p in parts)
    shingles = [stages.shingle_counts(p, **options) for p in parts]
    decisions = stages.decide(lines, shingles, **options)
    langs = pa.concat_tables([stages.fingerprints(p, decisions, False, **options)[0] for p in parts])
    codes = [c for c in langs["lang"].to_pylist() if c]
    anchors = len(set(codes)) >= 2
    done = [stages.fingerprints(p, decisions, anchors, **options) for p in parts]
    fps = pa.concat_tables([t for t, _ in done])
    keys = pa.concat_tables([stages.band_keys(t, **options) for t, _ in done])
    return fps, stages.bucket_pairs(keys)


@pytest.mark.parametrize("cuts", [[5], [3, 17, 30], [1, 2, 44]])
def test_fingerprints_do_not_depend_on_the_parts(cuts):
    table = prepared(corpus_records())
    whole, whole_pairs = run_stages(table, [])
    cut, cut_pairs = run_stages(table, cuts)
    for column in ["signature", "shingles", "length", "numbers", "quoted", "lang", "anchors"]:
        assert cut[column].to_pylist() == whole[column].to_pylist(), column
    assert cut_pairs.equals(whole_pairs)


@pytest.mark.parametrize("options", [{}, {"threshold": 0.5}, {"keep_boilerplate": True}])
def test_candidate_pairs_are_the_command_lines(options):
    records = corpus_records()
    report = reprint.dedup(records, **options)
    _, pairs = run_stages(prepared(records), [9, 25], **options)
    assert pairs.num_rows == report["stats"]["candidate_pairs"]
    assert pairs.num_rows >= report["stats"]["verified_pairs"] > 0


def test_boilerplate_counts_add_up_to_the_reports():
    records = corpus_records()
    report = reprint.dedup(records)
    table = prepared(records)
    parts = [table.slice(0, 20), table.slice(20)]
    lines = stages.add_line_counts(stages.line_counts(p) for p in parts)
    decisions = stages.decide(lines, [stages.shingle_counts(p) for p in parts])
    total = {}
    for p in parts:
        for k, v in stages.fingerprints(p, decisions, True)[1].items():
            total[k] = total.get(k, 0) + v
    assert total == report["stats"]["boilerplate"]
    assert decisions.frequent_shingle_buckets == report["stats"]["frequent_shingle_buckets"]


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="different lengths"):
        reprint._reprint.line_counts(["a", "b"], ["x"], None)


@pytest.mark.parametrize("parts", [1, 3, 7])
@pytest.mark.parametrize("options", [{}, {"translations": False}, {"threshold": 0.4, "keep_boilerplate": True}])
def test_the_stages_on_parts_give_the_command_lines_report(parts, options):
    # Every third record dated (origins, lags and sources' edges are in the report).
    records = [
        {**r, "date": f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"} if i % 3 else r
        for i, r in enumerate(corpus_records())
    ]
    table, skipped = stages.read_jsonl(reprint.to_jsonl(records), **options)
    assert stages.run_parts(table, skipped, parts, **options) == reprint.dedup(records, **options)


@pytest.mark.parametrize("parts", [1, 2])
def test_translations_found_on_parts_join_as_in_one_run(parts):
    # The bundled corpus with the translation folder's copies in three languages.
    records = corpus_records() + corpus_records(ROOT / "testdata" / "translation")
    expected = reprint.dedup(records)
    assert expected["stats"]["translation_pairs"] > 0
    table, skipped = stages.read_jsonl(reprint.to_jsonl(records))
    assert stages.run_parts(table, skipped, parts) == expected


def dated_records():
    """A wire story reprinted by a blog an hour later and by an aggregator two hours later,
    another wire story, and an undated copy from an unknown site."""
    from test_dedup import OTHER, STORY

    return [
        {"id": "agg/1", "source": "agg", "date": "2026-11-26T12:00:00Z", "text": STORY},
        {"id": "blog/1", "source": "blog", "date": "2026-11-26T11:00:00+00:00", "text": STORY.replace("Tuesday", "Wednesday")},
        {"id": "wire/1", "source": "wire", "date": "2026-11-26T10:00:00Z", "text": STORY},
        {"id": "wire/2", "source": "wire", "date": "2026-11-20T08:00:00Z", "text": OTHER},
        {"id": "x/1", "text": STORY},
    ]


@pytest.mark.parametrize("parts", [1, 2, 5])
def test_origins_lags_and_sources_survive_the_stages(parts):
    records = dated_records()
    expected = reprint.dedup(records)
    table, skipped = stages.read_jsonl(reprint.to_jsonl(records))
    assert table["date_source"].to_pylist() == ["field"] * 4 + [None]
    got = stages.run_parts(table, skipped, parts)
    assert got == expected
    [cluster] = got["clusters"]
    assert cluster["origin"] == "wire/1"
    members = {m["id"]: m for m in cluster["members"]}
    assert {i: m["lag_seconds"] for i, m in members.items()} == {
        "agg/1": 7200, "blog/1": 3600, "wire/1": 0, "x/1": None
    }
    assert members["blog/1"]["date"] == "2026-11-26T11:00:00Z"
    assert members["blog/1"]["date_source"] == "field" and members["blog/1"]["source"] == "blog"
    assert "source" not in members["x/1"] and members["x/1"]["date_source"] is None
    by_name = {s["source"]: s for s in got["sources"]}
    assert by_name["wire"]["documents"] == 2 and by_name["wire"]["originated"] == 1
    assert by_name["blog"]["reprinted"] == 1
    assert by_name["blog"]["from"] == [
        {"source": "wire", "count": 1, "translated": 0, "median_lag_seconds": 3600}
    ]
    assert set(by_name) == {"agg", "blog", "wire"}


def test_source_counts_add_up_over_parts():
    table, _ = stages.read_jsonl(reprint.to_jsonl(dated_records()))
    parts = [stages.source_counts(table.slice(i, 2)) for i in range(0, table.num_rows, 2)]
    assert stages.add_source_counts(parts) == {"agg": 1, "blog": 1, "wire": 2}


def test_a_date_without_its_source_is_refused():
    table, skipped = stages.read_jsonl(reprint.to_jsonl(dated_records()))
    broken = table.set_column(
        table.schema.get_field_index("date_source"), "date_source", pa.array([None] * table.num_rows, pa.string())
    )
    with pytest.raises(ValueError, match="date_source"):
        stages.run_parts(broken, skipped)


def test_component_labels_are_each_components_smallest_document():
    import random

    rng = random.Random(7)
    edges = [(rng.randrange(200), rng.randrange(200)) for _ in range(150)] + [(2**63 + 5, 3)]
    # Breadth-first search, the slow way.
    neighbours: dict = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    expected = {}
    for start in sorted(neighbours):
        if start in expected:
            continue
        seen, todo = {start}, [start]
        while todo:
            for n in neighbours[todo.pop()]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        for d in seen:
            expected[d] = min(seen)
    table = pa.table({"a": pa.array([a for a, _ in edges], pa.uint64()), "b": pa.array([b for _, b in edges], pa.uint64())})
    got = stages.component_labels(table)
    assert got["doc"].to_pylist() == sorted(expected)
    assert dict(zip(got["doc"].to_pylist(), got["label"].to_pylist())) == expected
    assert stages.component_labels(table.slice(0, 0)).num_rows == 0
