//! WARC web archives (ISO 28500, WARC/1.0 and WARC/1.1): a small streaming reader of the record
//! framing (version line, header block, `Content-Length` bytes of block) and of the HTTP
//! response inside a `response` record (status line, headers, chunked transfer coding, gzip,
//! deflate or zstd content coding). Each 2xx HTML response, and each HTML `resource` record,
//! is one article; requests, metadata, redirects and non-HTML payloads are not articles and
//! are passed over. Damage between records is reported and the reader moves on to the next
//! `WARC/` line; a file cut inside a record ends the read, keeping the records before it.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};

use super::{encoding, html, read_line_bounded, Format, Line, ReadError, Reason};

/// The longest header line kept; a longer one marks the header block as damaged.
const MAX_HEADER_LINE_BYTES: u64 = 64 * 1024;

/// The largest WARC header block; real ones are well under a kilobyte.
const MAX_HEADER_BLOCK_BYTES: usize = 1024 * 1024;

/// How much of an oversized record is read to learn whether it is an HTML response at all.
const OVERSIZED_PREFIX_BYTES: u64 = 64 * 1024;

/// One article-bearing record of a WARC file.
#[derive(Debug)]
pub struct Article {
    /// 1-based number of the record in the file (all record types counted).
    pub ordinal: u64,
    /// `WARC-Target-URI`, without the angle brackets some writers add.
    pub uri: Option<String>,
    /// `WARC-Record-ID`, without its angle brackets.
    pub record_id: Option<String>,
    /// `WARC-Date` in Unix seconds.
    pub date: Option<i64>,
    /// The page's text, or why the record is skipped.
    pub page: Result<html::Extracted, Reason>,
}

/// What the reader reports, in file order.
#[derive(Debug)]
pub enum Event {
    /// An HTML response or resource record.
    Article(Article),
    /// Bytes between records that are not a record; the reader skipped to the next one.
    Damaged(Reason),
}

/// Reads WARC records from `reader`, reporting each article (and damage it recovers from) to
/// `on` in file order. Records over `limit` bytes are reported as skipped without being held in
/// memory. Returns the number of articles; `Err` is damage that ends the file (a record cut
/// short, or a read error), after the records before it were reported.
pub fn read_records<R: BufRead>(
    reader: R,
    limit: u64,
    mut on: impl FnMut(Event),
) -> Result<u64, ReadError> {
    let mut r = Counted {
        inner: reader,
        offset: 0,
        line: Vec::new(),
    };
    let mut ordinal = 0;
    let mut articles = 0;
    // After damage, lines are skipped quietly until the next record's version line.
    let mut resync = false;
    loop {
        let start = r.offset;
        match r.next_line(MAX_HEADER_LINE_BYTES)? {
            Line::Eof => return Ok(articles),
            Line::Read if r.line.trim_ascii().is_empty() && !resync => continue,
            Line::Read if r.line.starts_with(b"WARC/") => resync = false,
            _ => {
                if !resync {
                    on(Event::Damaged(Reason::Damaged(format!(
                        "no WARC record at byte {start}; skipped to the next one"
                    ))));
                    resync = true;
                }
                continue;
            }
        }
        ordinal += 1;
        let headers = match read_headers(&mut r, start)? {
            Ok(headers) => headers,
            Err(reason) => {
                on(Event::Damaged(reason));
                resync = true;
                continue;
            }
        };
        let Some(length) =
            header(&headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
        else {
            on(Event::Damaged(Reason::Damaged(format!(
                "WARC record at byte {start} has no valid Content-Length; skipped to the next one"
            ))));
            resync = true;
            continue;
        };
        let kind = header(&headers, "warc-type")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let block_type = header(&headers, "content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let response = kind == "response"
            && (block_type.trim().is_empty() || block_type.starts_with("application/http"));
        let resource = kind == "resource" && is_html_type(&block_type);
        if !response && !resource {
            r.skip(length, start)?;
            continue;
        }
        let oversized = length > limit;
        let keep = if oversized {
            OVERSIZED_PREFIX_BYTES.min(length)
        } else {
            length
        };
        let block = r.read_block(keep, length, start)?;
        r.skip(length - keep, start)?;
        let page = if response {
            http_article(&block, oversized.then_some(length), limit)
        } else if oversized {
            Some(Err(Reason::RecordTooLarge {
                size: length,
                limit,
            }))
        } else {
            Some(html::extract(&block))
        };
        if let Some(page) = page {
            articles += 1;
            on(Event::Article(Article {
                ordinal,
                uri: header(&headers, "warc-target-uri").map(unbracket),
                record_id: header(&headers, "warc-record-id").map(unbracket),
                date: header(&headers, "warc-date").and_then(super::date::parse),
                page,
            }));
        }
    }
}

/// The stream with a count of the bytes taken, for the positions in messages.
struct Counted<R> {
    inner: R,
    offset: u64,
    line: Vec<u8>,
}

impl<R: BufRead> Counted<R> {
    /// The next line, without its line ending, in `self.line`.
    fn next_line(&mut self, limit: u64) -> io::Result<Line> {
        let got = read_line_bounded(&mut self.inner, &mut self.line, limit, &mut self.offset)?;
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        Ok(got)
    }

    /// Reads `keep` bytes of a record block of `length` that starts at `start`.
    fn read_block(&mut self, keep: u64, length: u64, start: u64) -> Result<Vec<u8>, ReadError> {
        let mut block = Vec::new();
        let got = (&mut self.inner).take(keep).read_to_end(&mut block)? as u64;
        self.offset += got;
        if got < keep {
            return Err(truncated(start, length, got));
        }
        Ok(block)
    }

    /// Passes over `n` bytes of the block of the record at `start`.
    fn skip(&mut self, n: u64, start: u64) -> Result<(), ReadError> {
        let got = io::copy(&mut (&mut self.inner).take(n), &mut io::sink())?;
        self.offset += got;
        if got < n {
            return Err(truncated(start, n, got));
        }
        Ok(())
    }
}

fn truncated(start: u64, wanted: u64, got: u64) -> ReadError {
    ReadError::Damaged(Reason::Truncated {
        what: format!(
            "WARC record at byte {start} ({wanted} bytes of block expected, {got} found)"
        ),
    })
}

/// Reads a header block up to its blank line. The outer `Err` ends the file (it stops inside
/// the block); the inner one is a damaged block that the reader can skip.
fn read_headers<R: BufRead>(
    r: &mut Counted<R>,
    start: u64,
) -> Result<Result<Vec<(String, String)>, Reason>, ReadError> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut total = 0;
    loop {
        match r.next_line(MAX_HEADER_LINE_BYTES)? {
            Line::Eof => {
                return Err(ReadError::Damaged(Reason::Truncated {
                    what: format!("WARC record header at byte {start}"),
                }))
            }
            Line::TooLong(_) => {
                return Ok(Err(Reason::Damaged(format!(
                    "WARC record at byte {start} has a header line over {MAX_HEADER_LINE_BYTES} bytes; skipped to the next one"
                ))))
            }
            Line::Read => {}
        }
        if r.line.is_empty() {
            return Ok(Ok(headers));
        }
        total += r.line.len();
        if total > MAX_HEADER_BLOCK_BYTES {
            return Ok(Err(Reason::Damaged(format!(
                "WARC record at byte {start} has a header block over {MAX_HEADER_BLOCK_BYTES} bytes; skipped to the next one"
            ))));
        }
        let line = String::from_utf8_lossy(&r.line);
        // A line starting with blank space continues the previous header's value.
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
}

/// The first value of a header (named in lower case).
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A URI or record id without the `<…>` that WARC 1.0 examples put around them.
fn unbracket(value: &str) -> String {
    let v = value.trim();
    v.strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or(v)
        .to_string()
}

/// Whether a media type (with or without parameters) is HTML.
fn is_html_type(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("text/html") || media.eq_ignore_ascii_case("application/xhtml+xml")
}

/// The article of an HTTP response block; `None` when the response is not an article (not 2xx,
/// or not HTML). `oversized` is the block's full length when only its start was read.
fn http_article(
    block: &[u8],
    oversized: Option<u64>,
    limit: u64,
) -> Option<Result<html::Extracted, Reason>> {
    let too_large = |size| Reason::RecordTooLarge { size, limit };
    let split = find(block, b"\r\n\r\n")
        .map(|i| i + 4)
        .into_iter()
        .chain(find(block, b"\n\n").map(|i| i + 2))
        .min();
    let Some(head_end) = split else {
        return Some(Err(match oversized {
            Some(size) => too_large(size),
            None => Reason::BadPayload("HTTP response without the end of its header block".into()),
        }));
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let body = &block[head_end..];
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    if !status_line.starts_with("HTTP/") {
        return Some(Err(Reason::BadPayload(
            "response record without an HTTP status line".into(),
        )));
    }
    let status: u16 = status_line.split_whitespace().nth(1)?.parse().ok()?;
    if !(200..300).contains(&status) {
        return None;
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let content_type = header(&headers, "content-type");
    let is_html = match content_type {
        Some(ct) => is_html_type(ct),
        None => Format::sniff(body) == Some(Format::Html),
    };
    if !is_html {
        return None;
    }
    if let Some(size) = oversized {
        return Some(Err(too_large(size)));
    }
    let chunked = header(&headers, "transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    let body = match chunked.then(|| dechunk(body)).flatten() {
        Some(plain) => Cow::Owned(plain),
        None => Cow::Borrowed(body),
    };
    let coding = header(&headers, "content-encoding").unwrap_or_default();
    let body = match decode_content(&body, coding, limit) {
        Ok(body) => body,
        Err(reason) => return Some(Err(reason)),
    };
    let charset = content_type.and_then(encoding::charset_param);
    Some(html::extract_with_charset(&body, charset))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Undoes chunked transfer coding. `None` when the body does not start with a chunk size:
/// some crawlers store the body already de-chunked but keep the header. A body cut inside a
/// chunk keeps what arrived.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut first = true;
    loop {
        let size = rest.iter().position(|&b| b == b'\n').and_then(|nl| {
            let line = String::from_utf8_lossy(&rest[..nl]);
            let digits = line.split(';').next().unwrap_or_default().trim();
            usize::from_str_radix(digits, 16).ok().map(|s| (s, nl + 1))
        });
        let Some((size, line_len)) = size else {
            return (!first).then_some(out);
        };
        first = false;
        rest = &rest[line_len..];
        if size == 0 {
            return Some(out);
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        if take < size {
            return Some(out);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

/// Undoes the HTTP content coding, inflating at most `limit` bytes.
fn decode_content<'a>(body: &'a [u8], coding: &str, limit: u64) -> Result<Cow<'a, [u8]>, Reason> {
    let coding = coding.trim().to_ascii_lowercase();
    let inflated = match coding.as_str() {
        "" | "identity" => return Ok(Cow::Borrowed(body)),
        "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(body), limit),
        "deflate" => inflate(flate2::read::ZlibDecoder::new(body), limit)
            // Servers often send raw deflate under this name.
            .or_else(|_| inflate(flate2::read::DeflateDecoder::new(body), limit)),
        "zstd" => zstd::stream::read::Decoder::new(body)
            .map_err(|e| e.to_string())
            .and_then(|d| inflate(d, limit)),
        other => {
            return Err(Reason::BadPayload(format!(
                "unsupported HTTP Content-Encoding {other:?}"
            )))
        }
    };
    match inflated {
        Ok(Some(bytes)) => Ok(Cow::Owned(bytes)),
        Ok(None) => Err(Reason::InflatedTooLarge { limit }),
        // Some archivers store the body already decoded but keep the header.
        Err(_) if Format::sniff(body) == Some(Format::Html) => Ok(Cow::Borrowed(body)),
        Err(e) => Err(Reason::BadPayload(format!(
            "corrupt {coding} HTTP Content-Encoding ({e})"
        ))),
    }
}

/// Reads an inflating reader to its end; `None` when it gives more than `limit` bytes.
fn inflate(reader: impl Read, limit: u64) -> Result<Option<Vec<u8>>, String> {
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    Ok((out.len() as u64 <= limit).then_some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
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

    fn response(uri: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut block = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
        block.extend_from_slice(body);
        record(
            "response",
            uri,
            "application/http; msgtype=response",
            &block,
        )
    }

    /// `(id, text or the reason)` of each article.
    type Articles = Vec<(String, Result<String, String>)>;

    /// Reads `bytes` and lists the articles, the damage events, and the final error.
    fn read(bytes: &[u8], limit: u64) -> (Articles, Vec<String>, Option<String>) {
        let mut articles = Vec::new();
        let mut damage = Vec::new();
        let res = read_records(io::BufReader::with_capacity(7, bytes), limit, |e| match e {
            Event::Article(a) => articles.push((
                a.uri.or(a.record_id).unwrap_or_default(),
                a.page.map(|p| p.text).map_err(|e| e.to_string()),
            )),
            Event::Damaged(r) => damage.push(r.to_string()),
        });
        (articles, damage, res.err().map(|e| e.to_string()))
    }

    #[test]
    fn records_table() {
        let page = |t: &str| format!("<html><body><article><p>{t}</p></article></body></html>");
        let gz = {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(page("zipped").as_bytes()).unwrap();
            e.finish().unwrap()
        };
        let chunked = b"5\r\n<p>ch\r\n8;ext=1\r\nunked</p\r\n1\r\n>\r\n0\r\n\r\n";
        let mut warc = Vec::new();
        warc.extend(record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ));
        warc.extend(record(
            "request",
            "http://a.example/1",
            "application/http; msgtype=request",
            b"GET /1 HTTP/1.1\r\n\r\n",
        ));
        warc.extend(response(
            "http://a.example/1",
            "Content-Type: text/html; charset=utf-8\r\n",
            page("one").as_bytes(),
        ));
        warc.extend(response(
            "http://a.example/img",
            "Content-Type: image/png\r\n",
            b"\x89PNG\r\n",
        ));
        warc.extend(response(
            "http://a.example/gz",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
            &gz,
        ));
        warc.extend(response(
            "http://a.example/ch",
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
            chunked,
        ));
        warc.extend(response(
            "http://a.example/latin",
            "Content-Type: text/html; charset=ISO-8859-1\r\n",
            b"<p>caf\xe9</p>",
        ));
        warc.extend(response(
            "http://a.example/sniffed",
            "",
            b"<!doctype html><p>no type</p>",
        ));
        warc.extend(response(
            "http://a.example/nav",
            "Content-Type: text/html\r\n",
            b"<nav>menu only</nav>",
        ));
        warc.extend(response(
            "http://a.example/br",
            "Content-Type: text/html\r\nContent-Encoding: br\r\n",
            b"\x00\x01",
        ));
        warc.extend(record(
            "response",
            "http://a.example/redirect",
            "application/http",
            b"HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Type: text/html\r\n\r\n<p>moved</p>",
        ));
        warc.extend(record(
            "resource",
            "file:///local.html",
            "text/html",
            page("resource").as_bytes(),
        ));
        warc.extend(record(
            "metadata",
            "http://a.example/1",
            "application/warc-fields",
            b"via: x\r\n",
        ));
        warc.extend(b"garbage between records\r\nmore\r\n");
        warc.extend(response(
            "http://a.example/after",
            "Content-Type: text/html\r\n",
            page("after garbage").as_bytes(),
        ));
        let big = page(&"x".repeat(500));
        warc.extend(response(
            "http://a.example/big",
            "Content-Type: text/html\r\n",
            big.as_bytes(),
        ));
        let (articles, damage, end) = read(&warc, 400);
        let got: Vec<(&str, Result<&str, &str>)> = articles
            .iter()
            .map(|(id, r)| {
                (
                    id.as_str(),
                    r.as_deref().map_err(|e| e.split(' ').next().unwrap_or("")),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("http://a.example/1", Ok("one")),
                ("http://a.example/gz", Ok("zipped")),
                ("http://a.example/ch", Ok("chunked")),
                ("http://a.example/latin", Ok("caf\u{e9}")),
                ("http://a.example/sniffed", Ok("no type")),
                ("http://a.example/nav", Err("no")),
                ("http://a.example/br", Err("unsupported")),
                ("file:///local.html", Ok("resource")),
                ("http://a.example/after", Ok("after garbage")),
                ("http://a.example/big", Err("record")),
            ]
        );
        assert_eq!(damage.len(), 1, "{damage:?}");
        assert!(
            damage[0].starts_with("no WARC record at byte"),
            "{}",
            damage[0]
        );
        assert_eq!(end, None);
    }

    #[test]
    fn truncation_keeps_the_records_before_it() {
        let one = response(
            "http://a.example/1",
            "Content-Type: text/html\r\n",
            b"<p>first</p>",
        );
        let two = response(
            "http://a.example/2",
            "Content-Type: text/html\r\n",
            b"<p>second</p>",
        );
        let whole = [one.clone(), two.clone()].concat();
        // Cut inside the second record's block, inside its header, and right after its version.
        for cut in [whole.len() - 10, one.len() + 30, one.len() + 10] {
            let (articles, damage, end) = read(&whole[..cut], 1000);
            assert_eq!(articles.len(), 1, "cut {cut}");
            assert_eq!(articles[0].1.as_deref(), Ok("first"));
            assert!(damage.is_empty());
            let end = end.unwrap_or_default();
            assert!(end.starts_with("truncated WARC record"), "cut {cut}: {end}");
        }
        // Missing the final CRLFs is not damage.
        let (articles, _, end) = read(&whole[..whole.len() - 4], 1000);
        assert_eq!((articles.len(), end), (2, None));
    }

    #[test]
    fn bad_headers_are_skipped_to_the_next_record() {
        let good = response(
            "http://a.example/ok",
            "Content-Type: text/html\r\n",
            b"<p>fine</p>",
        );
        let mut warc = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>lost</p>\r\n\r\n".to_vec();
        warc.extend(&good);
        let (articles, damage, end) = read(&warc, 1000);
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].1.as_deref(), Ok("fine"));
        assert_eq!(damage.len(), 1);
        assert!(
            damage[0].contains("no valid Content-Length"),
            "{}",
            damage[0]
        );
        assert_eq!(end, None);
    }

    #[test]
    fn dechunk_table() {
        let cases: &[(&[u8], Option<&[u8]>)] = &[
            (b"3\r\nabc\r\n0\r\n\r\n", Some(b"abc")),
            (b"3\nabc\n2\nde\n0\n", Some(b"abcde")),
            (b"A;x=y\r\n0123456789\r\n0\r\n", Some(b"0123456789")),
            (b"5\r\nab", Some(b"ab")),
            (b"<html>", None),
        ];
        for (input, want) in cases {
            assert_eq!(dechunk(input).as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn unbracket_and_types() {
        assert_eq!(unbracket("<urn:uuid:1>"), "urn:uuid:1");
        assert_eq!(unbracket(" http://x/ "), "http://x/");
        assert!(is_html_type("text/html; charset=UTF-8"));
        assert!(is_html_type("Application/XHTML+XML"));
        assert!(!is_html_type("text/plain"));
    }
}
