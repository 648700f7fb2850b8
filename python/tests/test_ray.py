"""The Ray job (local mode, 2 workers) against the command line: byte-identical reports."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest

from test_dedup import ROOT, cli

if os.environ.get("REPRINT_REQUIRE_RAY") == "1":
    import ray  # noqa: F401  (CI: a missing Ray fails, never skips)
else:
    pytest.importorskip("ray")

import reprint.ray as reprint_ray


@pytest.fixture(scope="module", autouse=True)
def local_ray(tmp_path_factory):
    """One local Ray for the module. Its workers carry the kill hook: the first fingerprinting
    task of the module's first job SIGKILLs its own worker and Ray retries it, so every job
    after it and the first one itself must come out byte-identical to the command line. (A
    second local Ray for the kill alone cost a minute and a half of the suite here.)"""
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    marker = tmp_path_factory.mktemp("kill-hook") / "killed"
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {reprint_ray.KILL_ONCE_ENV: str(marker)}},
    )
    yield marker
    ray.shutdown()


def cli_report(*args: str) -> bytes:
    return subprocess.run(
        [str(cli()), "dedup", *args, "--progress", "never"], check=True, capture_output=True
    ).stdout


def generated(tmp: pathlib.Path, articles: int) -> pathlib.Path:
    """A generated corpus of ``articles`` files on 25 sites (the project's own generator)."""
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    synth = target / "release" / "examples" / "synth"
    if not synth.exists():
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "--example", "synth"], cwd=ROOT, check=True
        )
    out = tmp / "gen"
    subprocess.run(
        [str(synth), "--out", str(out), "--generated", "--articles", str(articles), "--seed", "5",
         "--format", "txt"],
        check=True,
        capture_output=True,
    )
    return out / "corpus"


def json_lines_feed(corpus: pathlib.Path, records: int, path: pathlib.Path) -> pathlib.Path:
    """One JSON Lines file of the first ``records`` texts of ``corpus``: records without ids
    (named by their line), blank lines and broken records among them."""
    lines = []
    for i, text_path in enumerate(sorted(corpus.rglob("*.txt"))[:records]):
        record = {"text": text_path.read_text(encoding="utf-8"), "source": text_path.parent.name}
        if i % 3:
            record["id"] = f"r{i}"
        lines.append(json.dumps(record, ensure_ascii=False))
        if i % 50 == 7:
            lines.append("")
            lines.append("{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_generated_corpus_and_a_json_lines_file_read_in_parts_with_a_worker_killed_give_the_command_lines_report(
    tmp_path, local_ray
):
    """Six hundred generated articles as files, and beside them one JSON Lines file cut into
    many parts (records without ids, named by their line; broken records; blank lines; a record
    crossing every cut), each part read by its own task, and a worker process killed (SIGKILL,
    as by the kernel's OOM killer or a lost node) in the middle of fingerprinting a block: Ray
    retries the task, and the report is the command line's byte for byte, no document lost or
    counted twice. (One job for all three: each job costs a minute of fixed scheduling here.)"""
    marker = local_ray
    assert not marker.exists(), "this is the module's first job: the hook has not fired yet"
    corpus = generated(tmp_path, 600)
    feed = json_lines_feed(corpus, 300, tmp_path / "feed.jsonl")
    expected = cli_report(str(corpus), str(feed))
    size = feed.stat().st_size
    cuts = reprint_ray._reprint.input_cuts((feed.name, str(feed), ""), size // 9)
    assert cuts is not None and len(cuts) >= 9
    got = reprint_ray.dedup_json([str(corpus), str(feed)], num_workers=2, split_bytes=size // 9)
    assert got.encode() == expected
    killed = int(marker.read_text())
    assert killed != os.getpid(), "the hook must kill a worker, not the driver"
    assert b'"near-duplicate"' in expected
    assert b'"skipped": []' not in expected, "the broken records are listed as skips"


def test_partitions_translations_repeated_ids_bad_files_and_origins_change_nothing(tmp_path, monkeypatch):
    """The bundled corpora with translations, an empty and a binary file, records reusing ids
    of earlier files, and dated feeds (origins, lags, who copies whom), in one partition, by
    Ray's default shuffle and by label propagation: the paths a large input takes (the other
    tests' inputs take the hash shuffle and the driver's components). One job for all: each
    costs most of a minute of fixed scheduling here."""
    # Ray's default shuffle, as a large input gets it: the report must not depend on which.
    monkeypatch.setenv("RAY_DATA_DEFAULT_SHUFFLE_STRATEGY", "shuffle_v2")
    # And components by label propagation, as for more pairs than the driver gathers.
    monkeypatch.setattr(reprint_ray, "LOCAL_COMPONENTS_MAX_EDGES", 0)
    from test_stages import dated_records

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "testdata" / "corpus", corpus)
    shutil.copytree(ROOT / "testdata" / "translation", corpus / "translations")
    (corpus / "worldwire-extra").mkdir()
    (corpus / "worldwire-extra" / "empty.txt").write_bytes(b"")
    (corpus / "worldwire-extra" / "blob.bin").write_bytes(bytes(range(256)) * 8)
    # Records reusing the ids of files read before them: the first of an id wins.
    from test_dedup import corpus_records

    again = [{**r, "text": r["text"][::-1]} for r in corpus_records()[:5]]
    (corpus / "zz-dump").mkdir()
    (corpus / "zz-dump" / "again.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in again), encoding="utf-8"
    )
    # The dated records, and the same stories again in a second file, undated: those get the
    # file's mtime, which never outranks a publication date.
    (corpus / "feeds").mkdir()
    records = dated_records()
    (corpus / "feeds" / "dated.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    late = [{"id": "late/" + r["id"], "source": "late", "text": r["text"]} for r in records]
    (corpus / "feeds" / "undated.jsonl").write_text("".join(json.dumps(r) + "\n" for r in late), encoding="utf-8")
    os.utime(corpus / "feeds" / "undated.jsonl", (1_700_000_000, 1_700_000_000))
    expected = cli_report(str(corpus))
    assert b'"translation"' in expected and b'"skipped": [\n    {' in expected
    assert expected.count(b"duplicate id") == 5
    report = json.loads(expected)
    story = next(c for c in report["clusters"] if any(m["id"] == "wire/1" for m in c["members"]))
    assert story["origin"] == "wire/1"
    late_copy = next(m for m in story["members"] if m["id"] == "late/wire/1")
    assert late_copy["date_source"] == "mtime" and late_copy["lag_seconds"] is None
    blog = next(s for s in report["sources"] if s["source"] == "blog")
    assert blog["from"] == [{"source": "wire", "count": 1, "translated": 0, "median_lag_seconds": 3600}]
    documents = {s["source"]: s["documents"] for s in report["sources"]}
    assert {k: documents[k] for k in ("agg", "blog", "late", "wire")} == {"agg": 1, "blog": 1, "late": 5, "wire": 2}
    # One partition here, the default four and three in the other tests.
    got = reprint_ray.dedup_json([str(corpus)], num_workers=2, partitions=1)
    assert got.encode() == expected


def test_command_line_errors_exit_2(tmp_path, capsys):
    assert reprint_ray.main(["dedup", str(tmp_path / "missing"), "-o", str(tmp_path / "r.json")]) == 2
    assert "missing" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


def test_a_parquet_file_reads_as_the_same_records_in_json_lines(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    import reprint
    from test_dedup import corpus_records

    records = corpus_records()
    # Some records without an id: named by their row, as by their line in JSON Lines.
    for r in records[::7]:
        del r["id"]
    # Some dated by a field, the rest by the file's modification time.
    for i, r in enumerate(records):
        r["date"] = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:00:00Z" if i % 2 else None
    (tmp_path / "pq" / "dump").mkdir(parents=True)
    (tmp_path / "js" / "dump").mkdir(parents=True)
    schema = pa.schema([("id", pa.string()), ("source", pa.string()), ("text", pa.string()), ("date", pa.string())])
    pq.write_table(pa.Table.from_pylist(records, schema=schema), tmp_path / "pq" / "dump" / "all.parquet")
    # Parquet has a null where a record has no id; JSON Lines, the same.
    lines = "".join(json.dumps({"id": None, **r}, ensure_ascii=False) + "\n" for r in records)
    (tmp_path / "js" / "dump" / "all.parquet").write_text(lines, encoding="utf-8")
    # The same modification time: undated records take it.
    mtime = 1_795_000_000
    for folder in ("pq", "js"):
        os.utime(tmp_path / folder / "dump" / "all.parquet", (mtime, mtime))
    # The same bytes as JSON Lines under the same name: the command line reads them by content.
    expected = cli_report(str(tmp_path / "js"))
    assert b'all.parquet:1"' in expected
    report = json.loads(expected)
    members = [m for c in report["clusters"] for m in c["members"]]
    # (Stories with a dateline of their own are dated by it before the file's mtime.)
    assert {"field", "mtime"} <= {m["date_source"] for m in members} <= {"field", "mtime", "text"}
    assert all(m["date"] == "2026-11-18T11:06:40Z" for m in members if m["date_source"] == "mtime")
    got = reprint_ray.dedup_json([str(tmp_path / "pq")], num_workers=2, partitions=3)
    assert got.encode() == expected.replace(b"/js/", b"/pq/")


@pytest.mark.parametrize(
    "size, env, expected",
    [
        (0, None, "hash_shuffle"),
        (reprint_ray.SMALL_INPUT_BYTES, None, "hash_shuffle"),
        (reprint_ray.SMALL_INPUT_BYTES + 1, None, "shuffle_v2"),
        (0, "shuffle_v2", "shuffle_v2"),
        (10**12, "hash_shuffle", "hash_shuffle"),
    ],
)
def test_small_inputs_take_the_hash_shuffle_unless_the_user_chose_one(size, env, expected, monkeypatch):
    from types import SimpleNamespace

    if env is None:
        monkeypatch.delenv("RAY_DATA_DEFAULT_SHUFFLE_STRATEGY", raising=False)
    else:
        monkeypatch.setenv("RAY_DATA_DEFAULT_SHUFFLE_STRATEGY", env)
    ctx = SimpleNamespace(shuffle_strategy=None)
    reprint_ray._choose_shuffle(ctx, size)
    assert ctx.shuffle_strategy.value == expected
    assert ctx.join_operator_actor_num_cpus_override == 0
