"""The package's entry points against the command line: same documents, same report."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

import pytest

import reprint

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "testdata" / "corpus"


def cli() -> pathlib.Path:
    """The reprint binary the README's commands build (REPRINT_BIN overrides)."""
    given = os.environ.get("REPRINT_BIN")
    if given:
        return pathlib.Path(given)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    binary = target / "release" / "reprint"
    if not binary.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return binary


def run_cli(*args: str, stdin: bytes = b"") -> dict:
    out = subprocess.run(
        [str(cli()), "dedup", *args, "--progress", "never"],
        check=True,
        capture_output=True,
        input=stdin,
    )
    return json.loads(out.stdout)


def run_cli_on(records: list, *flags: str) -> dict:
    """The command line's report of ``records`` as JSON Lines on its standard input: like
    records in memory, a stream has no modification time to date undated records by (a file
    would give them its mtime, date source ``mtime``)."""
    return run_cli("-", *flags, stdin=reprint.to_jsonl(records))


def corpus_records(folder: pathlib.Path = CORPUS) -> list:
    """A bundled corpus's articles as records, ids as the command line names the files."""
    records = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            rel = path.relative_to(folder)
            records.append(
                {"id": rel.as_posix(), "source": rel.parts[0], "text": path.read_text("utf-8")}
            )
    return records


STORY = (
    "The city council voted on Tuesday to expand the harbour tram line by four stations, "
    "a project the mayor said would cost 48 million euros and open in the spring of 2029. "
    "Opponents argued the money should go to bus routes in the northern districts instead."
)
OTHER = (
    "A rare orchid flowered in the botanical garden for the first time in eleven years, "
    "drawing queues of visitors who waited up to two hours to see the pale yellow bloom."
)


def test_paths_give_the_command_lines_report():
    assert reprint.dedup_paths(str(CORPUS)) == run_cli(str(CORPUS))


def test_records_give_the_report_of_the_same_records_as_a_jsonl_file(tmp_path):
    records = corpus_records()
    assert len(records) > 10
    # Undated records: no mtime in memory, none on a stream either.
    in_memory = reprint.dedup(records)
    assert in_memory == run_cli_on(records)
    # (A dateline in a story's own text still dates it.)
    assert all(m["date_source"] in (None, "text") for c in in_memory["clusters"] for m in c["members"])
    # Dated records: the file's mtime is never used, the file gives the same report.
    dated = [{**r, "date": f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"} for i, r in enumerate(records)]
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(reprint.to_jsonl(dated))
    from_file = run_cli(str(path))
    assert reprint.dedup(dated) == from_file
    assert all(c["origin"] for c in from_file["clusters"]) and from_file["sources"]
    # The bundled corpus has reprints: the comparison is not of two empty reports.
    assert from_file["stats"]["clusters"] >= 3


@pytest.mark.parametrize(
    "options",
    [
        {"threshold": 0.5},
        {"method": "simhash"},
        {"shingle": "word:5", "num_perm": 64},
        {"keep_boilerplate": True, "translations": False},
    ],
)
def test_options_reach_the_pipeline_as_the_flags_do(options):
    records = corpus_records()
    flags = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            flags.append(flag)
        elif key == "translations":
            flags += [flag, "on" if value else "off"]
        else:
            flags += [flag, str(value)]
    assert reprint.dedup(records, **options) == run_cli_on(records, *flags)


def test_a_list_of_texts_is_numbered_by_position():
    report = reprint.dedup([STORY, OTHER, STORY.replace("Tuesday", "Wednesday")])
    assert report["stats"]["documents"] == 3
    [cluster] = report["clusters"]
    assert sorted(m["id"] for m in cluster["members"]) == ["0", "2"]


def test_frames_and_tables_give_the_same_report_as_records():
    pandas = pytest.importorskip("pandas")
    import pyarrow

    records = corpus_records()
    expected = reprint.dedup(records)
    frame = pandas.DataFrame(records)
    assert reprint.dedup(frame) == expected
    assert reprint.dedup(pyarrow.Table.from_pylist(records)) == expected


def test_a_frame_without_ids_takes_its_index():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"text": [STORY, OTHER, STORY]}, index=[10, 11, 12])
    [cluster] = reprint.dedup(frame)["clusters"]
    assert sorted(m["id"] for m in cluster["members"]) == ["10", "12"]


def test_dates_of_a_frame_reach_the_report_as_the_json_field_does():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {
            "id": ["a", "b"],
            "text": [STORY, STORY],
            "date": pandas.to_datetime(["2026-11-26T10:00:00Z", "2026-11-27T08:30:00Z"]),
        }
    )
    as_records = [
        {"id": "a", "text": STORY, "date": "2026-11-26T10:00:00+00:00"},
        {"id": "b", "text": STORY, "date": "2026-11-27T08:30:00+00:00"},
    ]
    assert reprint.dedup(frame) == reprint.dedup(as_records)


def test_bad_records_are_skipped_with_their_reason_not_raised():
    report = reprint.dedup(
        [
            {"id": "empty", "text": ""},
            {"id": "nothing"},
            {"id": "ok", "text": STORY},
            {"id": "ok", "text": OTHER},
        ]
    )
    reasons = {s["path"]: s["reason"] for s in report["skipped"]}
    # A record that yields no document is named by its line, as in a JSON Lines file.
    assert set(reasons) == {"<memory>:1", "<memory>:2", "ok"}
    assert "duplicate id" in reasons["ok"]
    assert report["stats"]["documents"] == 1


def test_no_documents_is_an_empty_report():
    report = reprint.dedup([])
    assert report["clusters"] == []
    assert report["stats"]["documents"] == 0


def test_thread_count_does_not_change_the_report():
    records = corpus_records()
    assert reprint.dedup(records, threads=1) == reprint.dedup(records, threads=2)


@pytest.mark.parametrize(
    "options, error, words",
    [
        ({"threshold": 2.0}, ValueError, "--threshold"),
        ({"shingle": "char:x"}, ValueError, "shingle"),
        ({"method": "lsh"}, ValueError, "method"),
        ({"thresold": 0.3}, TypeError, "unknown option"),
    ],
)
def test_bad_options_raise_naming_the_option(options, error, words):
    with pytest.raises(error, match=words):
        reprint.dedup([STORY], **options)


def test_a_missing_path_raises_oserror_naming_it(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(OSError, match="nowhere"):
        reprint.dedup_paths(str(missing))


def test_one_string_is_refused_rather_than_read_letter_by_letter():
    with pytest.raises(TypeError):
        reprint.dedup(STORY)
