//! Character encodings shared by the readers: byte-order marks, the binary-file test, the charset
//! an HTML page declares, decoding a page to UTF-8, and a streaming UTF-16 → UTF-8 reader for
//! record formats. Every replaced byte is reported so that the document counts as repaired.

use std::io::{self, Read};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::{Reason, HEAD_BYTES};

/// How far into a page a `<meta charset>` declaration is looked for. The HTML standard says
/// 1024 bytes; real pages put comments and scripts first often enough to look further.
const META_PRESCAN_BYTES: usize = 4096;

/// Whether the first bytes hold a NUL, which no text format has outside UTF-16.
pub(super) fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(HEAD_BYTES)].contains(&0)
}

/// The UTF-16 flavour a byte-order mark announces; such a stream must be transcoded before a
/// byte-oriented reader sees it.
pub(super) fn utf16_bom(head: &[u8]) -> Option<&'static Encoding> {
    match Encoding::for_bom(head) {
        Some((enc, _)) if enc == UTF_16LE || enc == UTF_16BE => Some(enc),
        _ => None,
    }
}

/// The encoding a `charset` label names, as a browser maps it: UTF-16 labels inside a page
/// can only have been read because the page is ASCII-compatible, so they mean UTF-8.
fn for_label(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    Some(if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else {
        enc.output_encoding()
    })
}

/// The `charset=` value of a header value such as `text/html; charset=ISO-8859-1`.
pub(super) fn charset_param(value: &str) -> Option<&str> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = value[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| {
            c == '"' || c == '\'' || c == ';' || c == '>' || c == '/' || c.is_ascii_whitespace()
        })
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|s| !s.is_empty())
}

/// The charset a page declares in a `<meta charset>` or `<meta http-equiv="Content-Type">`
/// tag near its start.
pub fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let window = &head[..head.len().min(META_PRESCAN_BYTES)];
    let mut at = 0;
    while let Some(start) = find_ignore_case(&window[at..], b"<meta") {
        let tag_start = at + start;
        let tag_end = window[tag_start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(window.len(), |e| tag_start + e);
        let tag = String::from_utf8_lossy(&window[tag_start..tag_end]);
        if let Some(enc) = charset_param(&tag).and_then(for_label) {
            return Some(enc);
        }
        at = tag_end;
    }
    None
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Decodes an HTML page: the byte-order mark first, then the charset the transport declared
/// (a WARC record's HTTP header), then the page's own `<meta>` declaration, then UTF-8 with a
/// Windows-1252 fallback. Returns the text and whether bytes had to be replaced or guessed.
pub(super) fn decode_html(bytes: &[u8], transport: Option<&str>) -> Result<(String, bool), Reason> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok((text.into_owned(), had_errors));
    }
    let declared = transport
        .and_then(for_label)
        .or_else(|| meta_charset(bytes));
    if is_binary(bytes) {
        return Err(Reason::Binary);
    }
    match declared {
        Some(enc) => {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            Ok((text.into_owned(), had_errors))
        }
        None => match std::str::from_utf8(bytes) {
            Ok(text) => Ok((text.to_owned(), false)),
            // Undeclared and not UTF-8: the web's legacy default is the best guess, and a guess
            // is a repair.
            Err(_) => {
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                Ok((text.into_owned(), true))
            }
        },
    }
}

/// Transcodes a UTF-16 stream (after its byte-order mark) to UTF-8 as it is read, replacing
/// invalid sequences with U+FFFD.
pub(super) struct Utf8Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> Utf8Reader<R> {
    /// A reader of `inner`, which holds `encoding` (the byte-order mark is consumed).
    pub(super) fn new(inner: R, encoding: &'static Encoding) -> Self {
        Utf8Reader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            // UTF-16 grows by at most 3/2 into UTF-8; the decoder tells when more room is needed.
            output: vec![0; 128 * 1024],
            out_start: 0,
            out_end: 0,
            eof: false,
            done: false,
        }
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_html_table() {
        // (bytes, transport charset, expected text, repaired)
        let cases: &[(&[u8], Option<&str>, &str, bool)] = &[
            (b"<p>caf\xc3\xa9</p>", None, "<p>café</p>", false),
            (b"<p>caf\xe9</p>", None, "<p>café</p>", true),
            (
                b"<meta charset=\"windows-1252\"><p>caf\xe9</p>",
                None,
                "<meta charset=\"windows-1252\"><p>café</p>",
                false,
            ),
            (
                b"<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>\xe9",
                None,
                "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>é",
                false,
            ),
            (b"<p>caf\xe9</p>", Some("latin1"), "<p>café</p>", false),
            (
                b"<meta charset=utf-8><p>caf\xe9</p>",
                None,
                "<meta charset=utf-8><p>caf\u{FFFD}</p>",
                true,
            ),
            (b"\xEF\xBB\xBF<p>x</p>", None, "<p>x</p>", false),
            (b"\xFF\xFE<\x00p\x00>\x00", None, "<p>", false),
            (
                b"<meta charset=utf-16><p>x</p>",
                None,
                "<meta charset=utf-16><p>x</p>",
                false,
            ),
        ];
        for (bytes, transport, want, repaired) in cases {
            let (text, rep) = decode_html(bytes, *transport).unwrap();
            assert_eq!(text, *want, "{bytes:?}");
            assert_eq!(rep, *repaired, "{bytes:?}");
        }
        assert!(matches!(
            decode_html(b"<p>\x00</p>", None),
            Err(Reason::Binary)
        ));
    }

    #[test]
    fn charset_param_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("text/html; charset=UTF-8", Some("UTF-8")),
            ("text/html;charset=\"iso-8859-1\"", Some("iso-8859-1")),
            ("<meta charset='windows-1252'/", Some("windows-1252")),
            ("<meta charset = koi8-r", Some("koi8-r")),
            ("text/html", None),
            ("charset=", None),
        ];
        for (value, want) in cases {
            assert_eq!(charset_param(value), *want, "{value}");
        }
    }

    #[test]
    fn utf16_streams_become_utf8() {
        let text = "{\"text\": \"Noël à Paris\"}\n".repeat(5000);
        for (enc, bom) in [(UTF_16LE, &b"\xFF\xFE"[..]), (UTF_16BE, &b"\xFE\xFF"[..])] {
            let mut bytes = bom.to_vec();
            for unit in text.encode_utf16() {
                if enc == UTF_16LE {
                    bytes.extend(unit.to_le_bytes());
                } else {
                    bytes.extend(unit.to_be_bytes());
                }
            }
            assert_eq!(utf16_bom(&bytes), Some(enc));
            let mut out = String::new();
            Utf8Reader::new(&bytes[..], enc)
                .read_to_string(&mut out)
                .unwrap();
            assert_eq!(out, text);
        }
        assert_eq!(utf16_bom(b"\xEF\xBB\xBFx"), None);
    }
}
