//! Byte ranges of one large JSON Lines file, so that a distributed run reads it with many
//! workers: where to cut it, how many lines lie before a cut (for the names of records without
//! an id, `FILE:LINE`, which must be the whole file's line numbers), and the reader of one
//! range. A record belongs to the range its first byte lies in, so the ranges of a file read in
//! order give exactly the records of the whole file, in order, named alike.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::{Compression, Format, Input};

/// The part of a JSON Lines file one reader reads: the records whose first byte is in
/// `start..end`, the file having `newlines_before` line breaks before `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    /// First byte (a record starting before it belongs to the range before).
    pub start: u64,
    /// One past the last byte a record of this range may start at.
    pub end: u64,
    /// Line breaks in the file before `start` ([`count_newlines`] of `0..start`).
    pub newlines_before: u64,
}

/// Where to cut `input` into ranges of about `part_bytes` (cuts fall anywhere; readers move
/// them to line starts): `None` when it must be read whole, being small, compressed (a
/// compressed stream cannot be entered in the middle), not named as JSON Lines, held in memory
/// or standard input, UTF-16 (whose line breaks are two bytes), binary (the whole file's
/// reader skips it with that reason), or blank for its first [`super::HEAD_BYTES`].
pub fn cuts(input: &Input, part_bytes: u64) -> io::Result<Option<Vec<(u64, u64)>>> {
    if input.format != Some(Format::JsonLines)
        || input.compression.is_some()
        || input.memory.is_some()
        || input.is_stdin()
        || part_bytes == 0
    {
        return Ok(None);
    }
    let mut file = File::open(&input.path)?;
    let len = file.metadata()?.len();
    if len <= part_bytes {
        return Ok(None);
    }
    let mut head = vec![0u8; super::HEAD_BYTES];
    let got = read_up_to(&mut file, &mut head)?;
    let head = &head[..got];
    // A head of only white space may be a file with no record at all, which its one reader
    // lists as such; parts would each find nothing and say nothing.
    let blank = head
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(head)
        .iter()
        .all(u8::is_ascii_whitespace);
    if Compression::sniff(head).is_some()
        || super::encoding::utf16_bom(head).is_some()
        || super::encoding::is_binary(head)
        || blank
    {
        return Ok(None);
    }
    let parts = len.div_ceil(part_bytes);
    Ok(Some(
        (0..parts)
            .map(|i| (i * len / parts, (i + 1) * len / parts))
            .collect(),
    ))
}

/// Reads into `buf` until it is full or the input ends; how many bytes were read.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Line breaks in bytes `start..end` of the file at `path` (fewer when the file is shorter).
pub fn count_newlines(path: &Path, start: u64, end: u64) -> io::Result<u64> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut left = end.saturating_sub(start);
    let mut buf = vec![0u8; 1 << 20];
    let mut count = 0u64;
    while left > 0 {
        let want = left.min(buf.len() as u64) as usize;
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        count += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        left -= n as u64;
    }
    Ok(count)
}

/// The reader of one range: its bytes from the first line start at or after `start` to the
/// end of the line `end` falls in. Also the number of the range's first line in the file, less
/// one (what a line counter starting at 1 must add).
pub fn open(path: &Path, range: ByteRange) -> io::Result<(Box<dyn Read + Send>, u64)> {
    let mut file = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut pos = range.start;
    let mut line_offset = range.newlines_before;
    if range.start > 0 {
        // The byte before the range says whether a line starts at `start`; if not, the line
        // in progress belongs to the range before.
        file.seek(SeekFrom::Start(range.start - 1))?;
        let mut before = [0u8; 1];
        let at_line_start = read_up_to(&mut file, &mut before)? == 1 && before[0] == b'\n';
        if !at_line_start {
            let mut skipped = Vec::new();
            pos += file.read_until(b'\n', &mut skipped)? as u64;
            if skipped.last() == Some(&b'\n') {
                line_offset += 1;
            }
        }
    }
    Ok((
        Box::new(RangeRead {
            inner: file,
            pos,
            end: range.end,
            // Reading starts at a line start (the file's, or after a line break).
            last: b'\n',
            done: false,
        }),
        line_offset,
    ))
}

/// Bytes of a file from a line start up to `end`, then to the end of the line in progress.
struct RangeRead<R> {
    inner: R,
    /// Offset in the file of the next byte.
    pos: u64,
    end: u64,
    /// The last byte handed out (a line break before the first).
    last: u8,
    done: bool,
}

impl<R: BufRead> Read for RangeRead<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        let avail = self.inner.fill_buf()?;
        if avail.is_empty() {
            self.done = true;
            return Ok(0);
        }
        let n = if self.pos < self.end {
            let left = (self.end - self.pos).min(avail.len() as u64) as usize;
            left.min(out.len())
        } else if self.last == b'\n' {
            // A line starts at or after `end`: it is the next range's.
            self.done = true;
            return Ok(0);
        } else {
            // Finish the line that started before `end`.
            let upto = memchr::memchr(b'\n', avail).map_or(avail.len(), |i| i + 1);
            upto.min(out.len())
        };
        out[..n].copy_from_slice(&avail[..n]);
        self.inner.consume(n);
        self.pos += n as u64;
        self.last = out[n - 1];
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges_of(bytes: &[u8], cuts: &[u64]) -> Vec<Vec<u8>> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f.jsonl");
        std::fs::write(&path, bytes).expect("write");
        let mut bounds = vec![0];
        bounds.extend_from_slice(cuts);
        bounds.push(bytes.len() as u64);
        bounds
            .windows(2)
            .map(|w| {
                let newlines_before = count_newlines(&path, 0, w[0]).expect("count");
                let (mut r, offset) = open(
                    &path,
                    ByteRange {
                        start: w[0],
                        end: w[1],
                        newlines_before,
                    },
                )
                .expect("open");
                let mut out = Vec::new();
                r.read_to_end(&mut out).expect("read");
                // The offset names the range's first line: check it against the bytes.
                if !out.is_empty() {
                    let lines_before =
                        count_newlines(&path, 0, line_start(bytes, w[0]) as u64).expect("count");
                    assert_eq!(offset, lines_before, "cut {w:?}");
                }
                out
            })
            .collect()
    }

    /// The first line start at or after `at`.
    fn line_start(bytes: &[u8], at: u64) -> usize {
        let at = at as usize;
        if at == 0 || bytes[at - 1] == b'\n' {
            return at;
        }
        (at..bytes.len())
            .find(|&i| bytes[i] == b'\n')
            .map_or(bytes.len(), |i| i + 1)
    }

    #[test]
    fn only_large_plain_json_lines_files_are_cut() {
        let dir = tempfile::tempdir().expect("temp dir");
        let lines = "{\"text\": \"a record\"}\n".repeat(100);
        let cases: [(&str, Vec<u8>, bool); 7] = [
            ("big.jsonl", lines.clone().into_bytes(), true),
            ("blank.jsonl", " \n\r\n".repeat(300).into_bytes(), false),
            (
                "bom-blank.jsonl",
                [&b"\xef\xbb\xbf"[..], &[b'\n'; 900]].concat(),
                false,
            ),
            ("small.jsonl", b"{}\n".to_vec(), false),
            ("big.json", lines.clone().into_bytes(), false),
            ("nul.jsonl", [lines.as_bytes(), b"\0"].concat(), false),
            (
                "utf16.jsonl",
                [&[0xff, 0xfe][..], lines.as_bytes()].concat(),
                false,
            ),
        ];
        for (name, bytes, cut) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).expect("write");
            let input = Input::file(path, name, "");
            let got = cuts(&input, 500).expect("cuts");
            assert_eq!(got.is_some(), cut, "{name}");
            if let Some(parts) = got {
                assert_eq!(parts.first().map(|p| p.0), Some(0));
                assert_eq!(parts.last().map(|p| p.1), Some(bytes.len() as u64));
                assert!(parts.windows(2).all(|w| w[0].1 == w[1].0), "{parts:?}");
            }
        }
    }

    #[test]
    fn ranges_read_in_order_give_the_whole_file_once() {
        let file = b"{\"a\":1}\n\n{\"b\":22}\r\n{\"c\":333}\nno newline at the end";
        for a in 0..=file.len() as u64 {
            for b in a..=file.len() as u64 {
                let parts = ranges_of(file, &[a, b]);
                assert_eq!(parts.concat(), file.to_vec(), "cuts {a} {b}");
            }
        }
    }

    #[test]
    fn a_long_line_over_many_ranges_is_read_once() {
        let file = b"short\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nend\n";
        let parts = ranges_of(file, &[8, 16, 24, 32]);
        assert_eq!(parts.concat(), file.to_vec());
        // The first range holds "short" and the long line that starts in it; the last, "end".
        assert_eq!(parts.iter().filter(|p| !p.is_empty()).count(), 2);
    }

    /// What reading gives, comparable: each document's id, text and date, or a skip.
    fn outcome(docs: Vec<Result<super::super::Doc, super::super::Skipped>>) -> Vec<String> {
        docs.into_iter()
            .map(|d| match d {
                Ok(d) => format!("doc {} {:?} {:?}", d.id, d.text, d.date),
                Err(s) => format!("skip {} {}", s.path, s.reason),
            })
            .collect()
    }

    #[test]
    fn the_parts_of_a_file_give_its_documents_and_skips_named_alike() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("feed.jsonl");
        let mut bytes = b"\xef\xbb\xbf".to_vec();
        for i in 0..60 {
            let line = match i % 6 {
                0 => format!("{{\"id\": \"r{i}\", \"text\": \"story number {i}\"}}\n"),
                1 => format!(
                    "{{\"text\": \"no id, named by its line {i}\", \"date\": 1700000000}}\r\n"
                ),
                2 => "\n".to_string(),
                3 => format!("{{broken json {i}\n"),
                4 => format!("{{\"text\": \"{}\"}}\n", "long ".repeat(i)),
                _ => format!("{{\"id\": \"r{i}\", \"text\": \"story {i}\"}} {{\"x\": 1}}\n"),
            };
            bytes.extend_from_slice(line.as_bytes());
        }
        std::fs::write(&path, &bytes).expect("write");
        let mut config = crate::Config::new(vec![path.clone()]);
        config.now_seconds = 1_800_000_000;
        let whole = Input::file(path.clone(), "feed.jsonl", "site");
        let want = outcome(super::super::read(&whole, &config));
        for part_bytes in [7u64, 64, 333, 1000] {
            let parts = cuts(&whole, part_bytes)
                .expect("cuts")
                .expect("large enough to cut");
            let mut got = Vec::new();
            for (start, end) in parts {
                let mut input = whole.clone();
                input.range = Some(ByteRange {
                    start,
                    end,
                    newlines_before: count_newlines(&path, 0, start).expect("count"),
                });
                got.extend(outcome(super::super::read(&input, &config)));
            }
            assert_eq!(got, want, "parts of {part_bytes} bytes");
        }
    }
}
