//! Publication dates through the library's reader (`reprint::corpus::read`): each format's
//! documents get the first credible of their evidence (record field, HTML metadata, a dateline
//! in the text, WARC-Date, file mtime), and an absurd value gives way to the next. The run's
//! clock is set explicitly, so these tests do not depend on the day they run or on
//! `SOURCE_DATE_EPOCH`.

use std::path::Path;
use std::time::{Duration, SystemTime};

use reprint::config::Config;
use reprint::corpus::date::{DateSource, Dated};
use reprint::corpus::{self, Doc};

/// The run's clock: 2027-01-15T08:00:00Z.
const NOW: i64 = 1_800_000_000;

/// 2010-12-04T10:32:00Z, the date every dateline and page of these tests states.
const PUBLISHED: i64 = 1_291_458_720;

/// 2010-12-04T00:00:00Z: a dateline without a time.
const PUBLISHED_DAY: i64 = 1_291_420_800;

/// 2020-01-01T00:00:00Z, the modification time given to the files.
const MTIME: i64 = 1_577_836_800;

fn dated(seconds: i64, source: DateSource) -> Option<Dated> {
    Some(Dated { seconds, source })
}

/// Writes `bytes` to `dir/name` with modification time `mtime` (Unix seconds, may be before
/// 1970).
fn write(dir: &Path, name: &str, bytes: &[u8], mtime: i64) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let time = if mtime >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_secs(mtime.unsigned_abs())
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_secs(mtime.unsigned_abs())
    };
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

/// Every document of every input under `dir`, by id, read with `config` (its paths and clock
/// set here).
fn read_all(dir: &Path, mut config: Config) -> Vec<Doc> {
    config.paths = vec![dir.to_path_buf()];
    config.now_seconds = NOW;
    let found = corpus::discover(&config).unwrap();
    let mut docs: Vec<Doc> = found
        .inputs
        .iter()
        .flat_map(|input| corpus::read(input, &config))
        .map(|res| res.unwrap_or_else(|skip| panic!("skipped: {skip:?}")))
        .collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    docs
}

fn date_of(docs: &[Doc], id: &str) -> Option<Dated> {
    docs.iter()
        .find(|d| d.id.0 == id)
        .unwrap_or_else(|| {
            panic!(
                "{id} not read: {:?}",
                docs.iter().map(|d| &d.id).collect::<Vec<_>>()
            )
        })
        .date
}

fn warc_response(uri: &str, date: &str, page: &str) -> Vec<u8> {
    let block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    );
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:{uri}>\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out
}

const STORY: &str =
    "The regional council approved the budget for the new bridge after a long debate.";

#[test]
fn each_format_takes_its_best_credible_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // An HTML page: its metadata, not the mtime; the modified time is not the publication.
    write(
        d,
        "page.html",
        format!(
            r#"<html><head><meta property="article:modified_time" content="2011-01-01T00:00:00Z">
            <meta property="article:published_time" content="2010-12-04T11:32:00+01:00"></head>
            <body><h1>Bridge</h1><p>{STORY}</p></body></html>"#
        )
        .as_bytes(),
        MTIME,
    );
    // A page whose only date is its JSON-LD inside an @graph.
    write(
        d,
        "graph.html",
        format!(
            r#"<script type="application/ld+json">{{"@graph":[{{"@type":"WebPage"}},
            {{"@type":"NewsArticle","datePublished":"2010-12-04T10:32:00Z"}}]}}</script>
            <p>{STORY}</p>"#
        )
        .as_bytes(),
        MTIME,
    );
    // A text file with a French dateline under its headline.
    write(
        d,
        "story.txt",
        format!("Le pont\n\nPublié le 04/12/2010 à 10h32\n\n{STORY}").as_bytes(),
        MTIME,
    );
    // A text file with nothing: the file's modification time.
    write(d, "plain.txt", STORY.as_bytes(), MTIME);
    // A dateline before 1990 is a mistake: the mtime is used.
    write(
        d,
        "old.txt",
        format!("Bridge\nPublished 4 Dec 1985\n\n{STORY}").as_bytes(),
        MTIME,
    );
    // Nothing credible at all: no date.
    write(d, "none.txt", STORY.as_bytes(), -86_400);
    let future = NOW + 30 * 86_400;
    let records = [
        // A good date field wins over the dateline.
        serde_json::json!({"id": "field", "date": PUBLISHED - 60,
            "text": format!("Updated: December 4, 2010 10:32 am\n\n{STORY}")}),
        // A date field in the future gives way to the dateline.
        serde_json::json!({"id": "future", "date": future,
            "text": format!("Bridge\nUpdated: December 4, 2010 10:32 am\n\n{STORY}")}),
        // An unreadable field and no dateline: the file's mtime.
        serde_json::json!({"id": "unreadable", "date": "someday", "text": STORY}),
        // A field before 1990 gives way to the next field.
        serde_json::json!({"id": "next-field", "date": 0, "published": "2010-12-04T10:32:00Z",
            "text": STORY}),
    ];
    let jsonl: String = records.iter().map(|r| format!("{r}\n")).collect();
    write(d, "feed.jsonl", jsonl.as_bytes(), MTIME);
    let mut warc = warc_response(
        "https://example.org/meta",
        "2011-02-03T04:05:06Z",
        &format!(r#"<meta name="pubdate" content="2010-12-04T10:32:00Z"><p>{STORY}</p>"#),
    );
    warc.extend(warc_response(
        "https://example.org/plain",
        "2011-02-03T04:05:06Z",
        &format!("<p>{STORY}</p>"),
    ));
    warc.extend(warc_response(
        "https://example.org/old",
        "1980-01-01T00:00:00Z",
        &format!("<p>{STORY}</p>"),
    ));
    write(d, "crawl.warc", &warc, MTIME);

    let docs = read_all(d, Config::new(Vec::new()));
    let want = [
        ("page.html", dated(PUBLISHED, DateSource::HtmlMeta)),
        ("graph.html", dated(PUBLISHED, DateSource::HtmlMeta)),
        ("story.txt", dated(PUBLISHED, DateSource::Text)),
        ("plain.txt", dated(MTIME, DateSource::Mtime)),
        ("old.txt", dated(MTIME, DateSource::Mtime)),
        ("none.txt", None),
        ("field", dated(PUBLISHED - 60, DateSource::Field)),
        ("future", dated(PUBLISHED, DateSource::Text)),
        ("unreadable", dated(MTIME, DateSource::Mtime)),
        ("next-field", dated(PUBLISHED, DateSource::Field)),
        (
            "https://example.org/meta",
            dated(PUBLISHED, DateSource::HtmlMeta),
        ),
        (
            "https://example.org/plain",
            dated(1_296_705_906, DateSource::Warc),
        ),
        ("https://example.org/old", dated(MTIME, DateSource::Mtime)),
    ];
    for (id, date) in want {
        assert_eq!(date_of(&docs, id), date, "{id}");
    }
    assert_eq!(docs.len(), want.len());
}

#[test]
fn html_records_are_dated_by_their_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        serde_json::json!({"id": "meta", "text": format!(
            r#"<meta property="article:published_time" content="2010-12-04T10:32:00Z"><p>{STORY}</p>"#)}),
        serde_json::json!({"id": "dateline", "text": format!(
            "<h1>Bridge</h1><p>Opublikowano 4 grudnia 2010</p><p>{STORY}</p>")}),
        serde_json::json!({"id": "both", "date": "2010-12-05", "text": format!(
            r#"<meta property="article:published_time" content="2010-12-04T10:32:00Z"><p>{STORY}</p>"#)}),
    ];
    let jsonl: String = records.iter().map(|r| format!("{r}\n")).collect();
    write(dir.path(), "feed.jsonl", jsonl.as_bytes(), MTIME);
    let mut config = Config::new(Vec::new());
    config.text_is_html = true;
    let docs = read_all(dir.path(), config);
    assert_eq!(
        date_of(&docs, "meta"),
        dated(PUBLISHED, DateSource::HtmlMeta)
    );
    assert_eq!(
        date_of(&docs, "dateline"),
        dated(PUBLISHED_DAY, DateSource::Text)
    );
    assert_eq!(
        date_of(&docs, "both"),
        dated(PUBLISHED_DAY + 86_400, DateSource::Field)
    );
}

#[test]
fn hostile_dates_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        serde_json::json!({"id": "a", "date": i64::MAX, "text": "Published 99/99/99999 99:99\nx"}),
        serde_json::json!({"id": "b", "date": i64::MIN, "text": "2010年99月99日\n+99:99 GMT+9999"}),
        serde_json::json!({"id": "c", "date": "-999999-01-01", "text": format!(
            "<meta name=pubdate content='{}'><script type=application/ld+json>{}</script>x",
            "9".repeat(400), "[".repeat(5000))}),
    ];
    let jsonl: String = records.iter().map(|r| format!("{r}\n")).collect();
    write(dir.path(), "feed.jsonl", jsonl.as_bytes(), MTIME);
    for html in [false, true] {
        let mut config = Config::new(Vec::new());
        config.text_is_html = html;
        for doc in read_all(dir.path(), config) {
            assert_eq!(doc.date, dated(MTIME, DateSource::Mtime), "{}", doc.id);
        }
    }
}
