//! Integration tests of the input formats (HTML, JSON Lines, JSON, WARC, gzip, zstd, standard
//! input) and of every kind of bad input: the real binary on temporary scrapes and on
//! testdata/scrape.

mod util;

use std::io::Write;

use serde_json::Value;
use util::{groups, prose, run, run_json, Dir};

/// `(path, reason)` of every skipped entry of a report.
fn skipped(report: &Value) -> Vec<(String, String)> {
    report["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().expect("path").to_string(),
                s["reason"].as_str().expect("reason").to_string(),
            )
        })
        .collect()
}

/// The reason `path` was skipped; panics when it was not.
fn reason(report: &Value, path: &str) -> String {
    let all = skipped(report);
    all.iter()
        .find(|(p, _)| p == path)
        .map(|(_, r)| r.clone())
        .unwrap_or_else(|| panic!("{path} not skipped: {all:?}"))
}

/// Every document id that ended up in a cluster.
fn clustered_ids(report: &Value) -> Vec<String> {
    groups(report).into_iter().flatten().collect()
}

fn dedup(dir: &Dir, extra: &[&str]) -> Value {
    let mut args = vec![
        "dedup",
        dir.path().to_str().expect("utf-8 path"),
        "--progress",
        "never",
    ];
    args.extend_from_slice(extra);
    run_json(&args)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("zstd")
}

fn html_page(title: &str, body: &str) -> String {
    let paras: String = body.split('\n').map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <script>var tracking = 1;</script></head><body><nav><a href=\"/\">Home</a> \
         <a href=\"/news\">News</a></nav><article><h1>{title}</h1>\n{paras}</article>\
         <footer>Copyright Example Media</footer></body></html>"
    )
}

fn json_line(id: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "text": text }).to_string() + "\n"
}

/// One WARC record with the given type, target URI, content type and block.
fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Record-ID: <urn:uuid:{kind}-{}>\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        uri.len(),
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn html_response(uri: &str, page: &str) -> Vec<u8> {
    let block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    );
    warc_record(
        "response",
        uri,
        "application/http; msgtype=response",
        block.as_bytes(),
    )
}

/// A WARC of a crawl of `host`: two HTML responses (`https://HOST/a` holds `story`,
/// `https://HOST/b` holds `other`), plus the records a crawler writes around them that are not
/// articles.
fn crawl(host: &str, story: &str, other: &str) -> Vec<u8> {
    let mut warc = warc_record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: test\r\n",
    );
    warc.extend(warc_record(
        "request",
        &format!("https://{host}/a"),
        "application/http; msgtype=request",
        b"GET /a HTTP/1.1\r\n\r\n",
    ));
    warc.extend(html_response(
        &format!("https://{host}/a"),
        &html_page("Story A", story),
    ));
    warc.extend(warc_record(
        "response",
        &format!("https://{host}/logo.png"),
        "application/http; msgtype=response",
        b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\x00\x00",
    ));
    warc.extend(html_response(
        &format!("https://{host}/b"),
        &html_page("Story B", other),
    ));
    warc
}

#[test]
fn scrape_groups_with_the_bundled_corpus() {
    let corpus = util::testdata().join("corpus");
    let scrape = util::testdata().join("scrape");
    let (corpus, scrape) = (corpus.to_str().unwrap(), scrape.to_str().unwrap());
    let one = run(&["dedup", corpus, scrape, "-j1", "--progress", "never"]);
    let two = run(&["dedup", corpus, scrape, "-j2", "--progress", "never"]);
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(one.stdout, two.stdout, "-j1 and -j2 reports differ");
    let report: Value = serde_json::from_slice(&one.stdout).unwrap();
    let truth = std::fs::read_to_string(util::testdata().join("scrape-truth.jsonl")).unwrap();
    // Every input of the scrape is read: nothing may be skipped.
    assert_eq!(skipped(&report), Vec::<(String, String)>::new());
    // The windows-1252 page declares its charset: nothing is guessed.
    assert_eq!(report["stats"]["repaired"], 0);
    // 46 corpus documents; 2 HTML pages, 4 JSON Lines records, 2 JSON records, 2 WARC
    // responses and 1 zstd page from the scrape.
    assert_eq!(report["stats"]["documents"], 57);
    let predicted = groups(&report);
    let mut cross_format = 0;
    for line in truth.lines() {
        let group: Value = serde_json::from_str(line).unwrap();
        let mut ids: Vec<String> = group["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .collect();
        ids.sort();
        // Corpus ids all end in .txt or .md; the rest came from the scrape.
        if ids
            .iter()
            .all(|i| i.ends_with(".txt") || i.ends_with(".md"))
        {
            continue;
        }
        cross_format += 1;
        assert!(
            predicted.contains(&ids),
            "group {} not found as {ids:?} in {predicted:?}",
            group["cluster"]
        );
    }
    assert_eq!(cross_format, 10);
    // The record without a reprint stays alone.
    assert!(!clustered_ids(&report).contains(&"1003".to_string()));
}

#[test]
fn every_format_and_compression_is_read() {
    let dir = Dir::new();
    let story = prose(11, 250);
    let other = prose(12, 250);
    dir.write("plain/story.txt", &story);
    dir.write("web/story.html", html_page("Story", &story));
    dir.write(
        "web/story.htm.gz",
        gzip(html_page("Story", &story).as_bytes()),
    );
    dir.write(
        "feed/day.jsonl",
        json_line("j1", &story) + &json_line("j2", &other),
    );
    dir.write(
        "feed/day.ndjson.zst",
        zstd(json_line("z1", &story).as_bytes()),
    );
    dir.write(
        "export/all.json",
        serde_json::json!([{ "id": "a1", "text": story }, { "id": "a2", "text": other }])
            .to_string(),
    );
    dir.write("crawl/c.warc", crawl("c.example", &story, &other));
    dir.write("crawl/d.warc.gz", gzip(&crawl("d.example", &story, &other)));
    let report = dedup(&dir, &[]);
    assert_eq!(skipped(&report), Vec::<(String, String)>::new());
    let mut copies = vec![
        "plain/story.txt",
        "web/story.html",
        "web/story.htm.gz",
        "j1",
        "z1",
        "a1",
        "https://c.example/a",
        "https://d.example/a",
    ];
    copies.sort();
    let others = vec!["a2", "https://c.example/b", "https://d.example/b", "j2"];
    assert_eq!(groups(&report), vec![copies, others]);
}

#[test]
fn formats_are_sniffed_when_the_name_says_nothing() {
    let dir = Dir::new();
    let story = prose(21, 250);
    dir.write("s/page", html_page("Story", &story));
    dir.write("s/feed", json_line("feed-1", &story));
    dir.write("s/archive", crawl("s.example", &story, &prose(22, 250)));
    dir.write(
        "s/packed.dat",
        gzip(json_line("packed-1", &story).as_bytes()),
    );
    dir.write("s/squeezed", zstd(html_page("Story", &story).as_bytes()));
    dir.write("s/notes", "just some notes without any markup");
    let report = dedup(&dir, &[]);
    let mut want = vec![
        "feed-1",
        "https://s.example/a",
        "packed-1",
        "s/page",
        "s/squeezed",
    ];
    want.sort();
    assert_eq!(groups(&report), vec![want]);
    assert!(reason(&report, "s/notes").contains("unsupported"));
}

#[test]
fn json_field_options_pick_id_text_and_title() {
    let dir = Dir::new();
    let story = prose(31, 250);
    let html: String = story.split('\n').map(|p| format!("<p>{p}</p>")).collect();
    let records = [
        serde_json::json!({"guid": "g-1", "headline": "Big news", "html": format!("<nav>Menu</nav>{html}")}),
        serde_json::json!({"guid": 7, "headline": "Big news again", "content": "<div>ignored</div>", "html": html}),
        serde_json::json!({"guid": "g-3", "html": "<nav>only a menu</nav>"}),
        serde_json::json!({"guid": "g-4", "headline": "No text at all"}),
    ];
    let lines: String = records.iter().map(|r| r.to_string() + "\n").collect();
    dir.write("wire/feed.jsonl", lines);
    let report = dedup(
        &dir,
        &[
            "--id-field",
            "guid",
            "--text-field",
            "html",
            "--title-field",
            "headline",
            "--text-is-html",
        ],
    );
    assert_eq!(groups(&report), vec![vec!["7", "g-1"]]);
    assert!(reason(&report, "wire/feed.jsonl:3").contains("no text left after HTML extraction"));
    assert!(reason(&report, "wire/feed.jsonl:4").contains("no text"));
    // Without the options the records have no `text`, `content` only in one, and no ids.
    let plain = dedup(&dir, &[]);
    assert!(reason(&plain, "wire/feed.jsonl:1").contains("none of the fields text, content, body"));
}

#[test]
fn standard_input_is_read_as_json_lines() {
    let story = prose(41, 250);
    let input = json_line("in-1", &story)
        + &serde_json::json!({ "text": story }).to_string()
        + "\n{not json\n";
    let mut cmd = util::reprint();
    cmd.args(["dedup", "-", "--progress", "never"]);
    let out = util::output_with_stdin(cmd, &input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(groups(&report), vec![vec!["-:2", "in-1"]]);
    assert!(reason(&report, "-:3").contains("malformed JSON"));
}

#[test]
fn binary_and_empty_files_of_every_format_are_skipped() {
    let dir = Dir::new();
    dir.write("ok/story.txt", prose(51, 200));
    for name in ["b/page.html", "b/feed.jsonl", "b/all.json", "b/page"] {
        dir.write(name, b"<html>{\"text\": \"x\x00y\"}</html>");
    }
    for name in [
        "e/page.html",
        "e/feed.jsonl",
        "e/all.json",
        "e/crawl.warc",
        "e/feed.jsonl.gz",
        "e/x.zst",
    ] {
        dir.write(name, b"");
    }
    dir.write("e/blank.jsonl", "\n  \n\n");
    dir.write("e/empty-array.json", "[ ]");
    dir.write(
        "e/nav-only.html",
        "<html><body><nav><a href=/>Home</a></nav><footer>(c)</footer></body></html>",
    );
    dir.write(
        "e/requests-only.warc",
        warc_record(
            "request",
            "https://x.example/",
            "application/http",
            b"GET / HTTP/1.1\r\n\r\n",
        ),
    );
    let report = dedup(&dir, &[]);
    for name in ["b/page.html", "b/feed.jsonl", "b/all.json", "b/page"] {
        assert!(reason(&report, name).contains("binary"), "{name}");
    }
    for name in [
        "e/page.html",
        "e/feed.jsonl",
        "e/all.json",
        "e/crawl.warc",
        "e/feed.jsonl.gz",
        "e/x.zst",
    ] {
        assert_eq!(reason(&report, name), "empty file", "{name}");
    }
    assert!(reason(&report, "e/blank.jsonl").contains("no records"));
    assert!(reason(&report, "e/empty-array.json").contains("no records"));
    assert!(reason(&report, "e/nav-only.html").contains("no text left after HTML extraction"));
    assert!(reason(&report, "e/requests-only.warc").contains("no HTML response records"));
    assert_eq!(report["stats"]["documents"], 1);
    assert_eq!(report["stats"]["skipped"], skipped(&report).len());
}

#[test]
fn bad_encodings_are_repaired_and_counted_and_utf16_is_decoded() {
    let dir = Dir::new();
    let story = prose(61, 250);
    let utf16 = |bom: &[u8], text: &str, le: bool| -> Vec<u8> {
        let mut out = bom.to_vec();
        for unit in text.encode_utf16() {
            out.extend(if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    };
    dir.write("a/utf8.html", html_page("Story", &story));
    dir.write(
        "b/utf16le.html",
        utf16(b"\xFF\xFE", &html_page("Story", &story), true),
    );
    dir.write(
        "c/utf16be.jsonl",
        utf16(b"\xFE\xFF", &json_line("be-1", &story), false),
    );
    // Invalid UTF-8 and no charset declared: guessed, so counted as repaired.
    let mut latin = html_page("Caf\u{e9}", &story).into_bytes();
    latin.extend_from_slice(b"<p>caf\xe9 cr\xe8me</p>");
    dir.write("d/latin.html", latin);
    let mut line = b"{\"id\": \"bad-utf8\", \"text\": \"".to_vec();
    line.extend_from_slice(story.replace('\n', " ").as_bytes());
    line.extend_from_slice(b" caf\xe9\"}\n");
    dir.write("e/feed.jsonl", line);
    let report = dedup(&dir, &[]);
    assert_eq!(skipped(&report), Vec::<(String, String)>::new());
    assert_eq!(report["stats"]["repaired"], 2);
    assert_eq!(
        groups(&report),
        vec![vec![
            "a/utf8.html",
            "b/utf16le.html",
            "bad-utf8",
            "be-1",
            "d/latin.html"
        ]]
    );
}

#[test]
fn oversized_files_and_records_are_skipped_and_the_rest_is_read() {
    let dir = Dir::new();
    let story = prose(71, 150);
    let big = prose(72, 2000);
    dir.write("a/story.txt", &story);
    dir.write("a/big.html", html_page("Big", &big));
    dir.write("a/big.txt.gz", gzip(big.as_bytes()));
    let lines = json_line("r1", &story)
        + &json_line("r2", &big)
        + "{\"id\": \"r3\", \"text\": \n"
        + &json_line("r4", &story);
    dir.write("b/feed.jsonl", lines);
    dir.write(
        "b/all.json",
        serde_json::to_string_pretty(&serde_json::json!([
            { "id": "x1", "text": story },
            { "id": "x2", "text": big },
        ]))
        .unwrap(),
    );
    let mut warc = html_response("https://small.example/", &html_page("S", &story));
    warc.extend(html_response("https://big.example/", &html_page("B", &big)));
    dir.write("c/crawl.warc", warc);
    let report = dedup(&dir, &["--max-file-bytes", "4000"]);
    assert!(reason(&report, "a/big.html").contains("over --max-file-bytes 4000"));
    assert!(reason(&report, "a/big.txt.gz").contains("more than --max-file-bytes 4000"));
    assert!(reason(&report, "b/feed.jsonl:2").contains("record is"));
    assert!(reason(&report, "b/feed.jsonl:3").contains("malformed JSON"));
    assert!(reason(&report, "b/all.json:6").contains("over --max-file-bytes"));
    assert!(reason(&report, "https://big.example/").contains("over --max-file-bytes"));
    let mut want = vec!["a/story.txt", "r1", "r4", "x1", "https://small.example/"];
    want.sort();
    assert_eq!(groups(&report), vec![want]);
}

#[test]
fn truncated_archives_keep_the_records_before_the_damage() {
    let dir = Dir::new();
    let stories: Vec<String> = (0..4).map(|i| prose(80 + i, 250)).collect();
    let lines = |prefix: &str| -> Vec<String> {
        stories
            .iter()
            .enumerate()
            .map(|(i, s)| json_line(&format!("{prefix}{i}"), s))
            .collect()
    };
    // One gzip member and one zstd frame a record, as archivers write them, so that the
    // records before the cut are whole; each file is cut inside its last record.
    let members: Vec<Vec<u8>> = lines("g").iter().map(|l| gzip(l.as_bytes())).collect();
    let gz = members.concat();
    dir.write("a/feed.jsonl.gz", &gz[..gz.len() - members[3].len() / 2]);
    let zst: Vec<u8> = lines("z").iter().flat_map(|l| zstd(l.as_bytes())).collect();
    dir.write("b/feed.jsonl.zst", &zst[..zst.len() - 5]);
    let warc: Vec<u8> = stories
        .iter()
        .enumerate()
        .flat_map(|(i, s)| html_response(&format!("https://w.example/{i}"), &html_page("W", s)))
        .collect();
    dir.write("c/crawl.warc", &warc[..warc.len() - 200]);
    let warc_gz: Vec<u8> = stories
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            gzip(&html_response(
                &format!("https://g.example/{i}"),
                &html_page("G", s),
            ))
        })
        .collect();
    dir.write("d/crawl.warc.gz", &warc_gz[..warc_gz.len() - 30]);
    let first = json_line("j0", &stories[0]);
    dir.write(
        "e/cut.json",
        format!("[{first}, {}", &json_line("j1", &stories[1])[..40]),
    );
    let report = dedup(&dir, &[]);
    assert!(reason(&report, "a/feed.jsonl.gz").starts_with("truncated gzip data"));
    assert!(reason(&report, "b/feed.jsonl.zst").starts_with("truncated zstd data"));
    assert!(reason(&report, "c/crawl.warc").starts_with("truncated WARC record"));
    assert!(reason(&report, "d/crawl.warc.gz").starts_with("truncated gzip data"));
    assert!(reason(&report, "e/cut.json").starts_with("truncated JSON array"));
    let mut want: Vec<Vec<String>> = (0..3)
        .map(|i| {
            let mut ids = vec![
                format!("g{i}"),
                format!("z{i}"),
                format!("https://w.example/{i}"),
                format!("https://g.example/{i}"),
            ];
            if i == 0 {
                ids.push("j0".into());
            }
            ids.sort();
            ids
        })
        .collect();
    want.sort();
    // The last story was cut in every file, so it is nowhere.
    assert_eq!(groups(&report), want);
}

#[test]
fn hidden_files_and_vcs_folders_need_hidden() {
    let dir = Dir::new();
    let story = prose(91, 250);
    dir.write("site/story.txt", &story);
    dir.write(".git/objects/copy.txt", &story);
    dir.write(".hg/store/copy.html", html_page("Copy", &story));
    dir.write("site/.draft.jsonl", json_line("draft-1", &story));
    dir.write(".hidden.html", html_page("Copy", &story));
    let report = dedup(&dir, &[]);
    assert_eq!(report["stats"]["documents"], 1);
    assert!(skipped(&report).is_empty());
    let all = dedup(&dir, &["--hidden"]);
    let mut want = vec![
        ".git/objects/copy.txt",
        ".hg/store/copy.html",
        ".hidden.html",
        "draft-1",
        "site/story.txt",
    ];
    want.sort();
    assert_eq!(groups(&all), vec![want]);
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_bad_links_are_skipped_with_the_os_error() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = Dir::new();
    dir.write("ok/story.txt", prose(101, 200));
    let locked = dir.write("ok/locked.html", html_page("Locked", &prose(102, 200)));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads a file whatever its mode; then there is nothing to assert about it.
    let blocked = std::fs::File::open(&locked).is_err();
    symlink(
        dir.path().join("nowhere.txt"),
        dir.path().join("ok/broken.txt"),
    )
    .unwrap();
    symlink(
        dir.path().join("ok/loop-b.txt"),
        dir.path().join("ok/loop-a.txt"),
    )
    .unwrap();
    symlink(
        dir.path().join("ok/loop-a.txt"),
        dir.path().join("ok/loop-b.txt"),
    )
    .unwrap();
    symlink(dir.path().join("ok"), dir.path().join("ok/again")).unwrap();
    let report = dedup(&dir, &[]);
    if blocked {
        assert!(reason(&report, "ok/locked.html").contains("Permission denied"));
    }
    assert!(reason(&report, "ok/broken.txt").contains("No such file"));
    assert!(reason(&report, "ok/loop-a.txt").contains("Too many levels of symbolic links"));
    assert!(reason(&report, "ok/again").contains("symlink loop"));
    assert_eq!(report["stats"]["documents"], if blocked { 1 } else { 2 });
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn mixed_formats_give_the_same_report_for_any_thread_count() {
    let dir = Dir::new();
    for i in 0..12u64 {
        let story = prose(i % 4, 200);
        match i % 4 {
            0 => dir.write(&format!("s{i}/p.html"), html_page("T", &story)),
            1 => dir.write(
                &format!("s{i}/f.jsonl.gz"),
                gzip(json_line(&format!("id{i}"), &story).as_bytes()),
            ),
            2 => dir.write(
                &format!("s{i}/c.warc"),
                crawl(&format!("s{i}.example"), &story, &prose(100 + i, 200)),
            ),
            _ => dir.write(&format!("s{i}/t.txt.zst"), zstd(story.as_bytes())),
        };
    }
    let p = dir.path().to_str().unwrap();
    let one = run(&["dedup", p, "-j1", "--progress", "never"]);
    let two = run(&["dedup", p, "-j2", "--progress", "never"]);
    assert!(one.status.success());
    assert_eq!(one.stdout, two.stdout);
}

/// The report of `dedup` on file `name` of `dir`, after checking that every way of reading it
/// gives that report byte for byte: one thread, two (a file over 1 MiB is then read ahead on a
/// thread of its own) and with an HTML page (which keeps every text in memory and reads the
/// file in one pass, no batches).
fn one_report_by_every_path(dir: &Dir, name: &str) -> Value {
    let path = dir.path().join(name);
    let path = path.to_str().unwrap();
    let page = dir.path().join("page.html");
    let reports: Vec<String> = [
        vec!["-j", "1"],
        vec!["-j", "2"],
        vec!["--html", page.to_str().unwrap()],
    ]
    .iter()
    .map(|extra| {
        let mut args = vec!["dedup", path, "--progress", "never"];
        args.extend_from_slice(extra);
        let out = util::run(&args);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    })
    .collect();
    assert_eq!(reports[0], reports[1]);
    assert_eq!(reports[0], reports[2]);
    serde_json::from_str(&reports[0]).unwrap()
}

#[test]
fn a_large_json_lines_file_read_ahead_gives_the_same_report_for_any_thread_count() {
    // Over 1 MiB: read on a thread of its own, batch by batch, in both passes.
    let dir = Dir::new();
    let mut lines = String::new();
    for i in 0..400u64 {
        // Every story three times, under different banners.
        let story = prose(1000 + i / 3, 600);
        lines.push_str(&json_line(
            &format!("doc-{i:04}"),
            &format!("Site {i}\n\n{story}"),
        ));
    }
    assert!(lines.len() > 1 << 20, "{} bytes", lines.len());
    dir.write("big.jsonl", &lines);
    let report = one_report_by_every_path(&dir, "big.jsonl");
    assert_eq!(report["stats"]["documents"], 400);
    // (The test prose shares one small vocabulary, so its stories run together; what this test
    // pins is that every way of reading gives one report.)
    assert!(report["stats"]["duplicates"].as_u64().unwrap() >= 266);
}

#[test]
fn a_json_lines_file_of_several_batches_is_read_alike_by_every_path_with_its_bad_lines_in_place() {
    // More records than two of the pipeline's batches, over 1 MiB (read ahead on a thread of
    // its own at -j2, its records parsed by the pool from recycled batch buffers), with blank
    // lines (no record), malformed lines and records without ids (named by their line).
    let dir = Dir::new();
    let mut lines = String::new();
    let mut malformed = Vec::new();
    let mut unnamed = Vec::new();
    let mut records = 0;
    // Every record below is one line: record `i` is on line `i + 1`.
    for (i, line) in (0..2600u64).zip(1..) {
        let story = prose(5000 + i / 2, 60 + (i % 7) as usize * 20);
        match i % 500 {
            17 => {
                lines.push_str("{\"id\": \"broken\", \"text\": \n");
                malformed.push(line);
            }
            18 => lines.push_str("   \n"),
            // Its story's other copy is the next record.
            20 => {
                lines.push_str(&(serde_json::json!({ "text": story }).to_string() + "\n"));
                unnamed.push(line);
                records += 1;
            }
            _ => {
                lines.push_str(&json_line(&format!("doc-{i:05}"), &story));
                records += 1;
            }
        }
    }
    assert!(lines.len() > 1 << 20, "{} bytes", lines.len());
    dir.write("big.jsonl", &lines);
    let report = one_report_by_every_path(&dir, "big.jsonl");
    let path = dir.path().join("big.jsonl");
    let path = path.to_str().unwrap();
    assert_eq!(report["stats"]["documents"], records);
    let skips = skipped(&report);
    assert_eq!(skips.len(), malformed.len(), "{skips:?}");
    // A file argument's records are named after its path.
    for line in &malformed {
        let at = format!("{path}:{line}");
        assert!(reason(&report, &at).starts_with("malformed JSON"), "{at}");
    }
    let members = clustered_ids(&report);
    for line in &unnamed {
        let at = format!("{path}:{line}");
        assert!(members.contains(&at), "{at} not clustered under its line");
    }
}
