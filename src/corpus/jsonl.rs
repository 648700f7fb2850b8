//! JSON inputs: JSON Lines (one object a line, read line by line) and JSON files (an array of
//! objects, or objects one after another), both streamed so that only one record is in memory
//! at a time. A record becomes an article through the configured id, text and title fields;
//! a record that cannot be used is skipped on its own and the rest of the file is still read.

use std::borrow::Cow;
use std::io::{self, BufRead};

use serde_json::{Map, Value};

use super::{html, read_line_bounded, strip_utf8_bom, Line, ReadError, Reason};
use crate::config::Config;

/// Fields tried for the text after the configured one, in order: scrapers name it either way.
const FALLBACK_TEXT_FIELDS: &[&str] = &["content", "body"];

/// Which JSON fields hold what, and whether the text is HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// The field holding the record's id (a string or a number).
    pub id: String,
    /// The field holding the text; `content` and `body` are tried when it is absent.
    pub text: String,
    /// The field holding the headline.
    pub title: String,
    /// The text field holds HTML, whose visible text is extracted.
    pub text_is_html: bool,
    /// The run's clock (Unix seconds), against which a date field is judged credible: a
    /// record's date fields are tried in order and the first credible one is its date.
    pub now_seconds: i64,
}

impl Fields {
    /// The fields tried for the text, in order: the configured one, then the fallbacks.
    fn text_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = vec![&self.text];
        names.extend(FALLBACK_TEXT_FIELDS.iter().filter(|n| **n != self.text));
        names
    }

    /// Every field [`record_from_value`] reads: a record's other fields are never built.
    fn read(&self) -> Vec<&str> {
        let mut names = self.text_names();
        names.extend([self.id.as_str(), self.title.as_str(), "source", "url"]);
        names.extend(DATE_FIELDS);
        names
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
            text_is_html: false,
            now_seconds: super::date::now_seconds(),
        }
    }
}

impl Fields {
    /// The fields a run is configured with.
    pub fn from_config(config: &Config) -> Fields {
        Fields {
            id: config.id_field.clone(),
            text: config.text_field.clone(),
            title: config.title_field.clone(),
            text_is_html: config.text_is_html,
            now_seconds: config.now_seconds,
        }
    }
}

/// One article decoded from a JSON record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The record's id field, when it has a usable one.
    pub id: Option<String>,
    /// The record's `source` field, else the host of its `url` field.
    pub source: Option<String>,
    /// The headline (when present and not already there) on the first line, then the text.
    pub text: String,
    /// Whether invalid UTF-8 had to be replaced.
    pub repaired: bool,
    /// The first readable and credible of the fields `date`, `published`, `published_at`,
    /// `timestamp`.
    pub date: Option<i64>,
    /// The publication date of the text's HTML metadata, when the text is HTML.
    pub html_date: Option<i64>,
}

/// Where a record starts in its input: `LINE`, or `LINE:COLUMN` for a record that starts on
/// the same line as the one before it (a one-line JSON array), so that positions stay unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based byte column, only when needed to tell records apart.
    pub column: Option<u64>,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(column) => write!(f, "{}:{column}", self.line),
            None => write!(f, "{}", self.line),
        }
    }
}

/// Parses one line of JSON Lines; `Ok(None)` for a blank line, which is no record.
pub fn parse_line(line: &[u8], fields: &Fields) -> Result<Option<Record>, Reason> {
    if is_blank(line) {
        return Ok(None);
    }
    parse_record(line, fields).map(Some)
}

/// Whether a line of JSON Lines holds no record.
fn is_blank(line: &[u8]) -> bool {
    line.trim_ascii().is_empty()
}

/// Parses the bytes of one JSON record into an article. Invalid UTF-8 is replaced (and the
/// record counted as repaired) rather than refused, as for every other format.
pub fn parse_record(bytes: &[u8], fields: &Fields) -> Result<Record, Reason> {
    let (json, repaired) = match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => (String::from_utf8_lossy(bytes), true),
    };
    // Only the fields an article is made of are built; the rest of the record is checked and
    // skipped. A record that does not parse that way is parsed whole, for the reason it fails.
    let read = fields.read();
    let mut de = serde_json::Deserializer::from_str(&json);
    let value = match serde::de::DeserializeSeed::deserialize(Picked(&read), &mut de)
        .and_then(|map| de.end().map(|()| map))
    {
        Ok(map) => Value::Object(map),
        Err(_) => serde_json::from_str(&json).map_err(|e| Reason::MalformedJson(describe(&e)))?,
    };
    record_from_value(value, fields, repaired)
}

/// Deserializes a JSON object into the map of its fields named in `.0`, skipping the others
/// without building them (a record's unused fields, and the allocations of a full parse).
/// Anything but an object is an error. A repeated field keeps its last value, as in a full parse.
struct Picked<'a>(&'a [&'a str]);

impl<'de> serde::de::DeserializeSeed<'de> for Picked<'_> {
    type Value = Map<String, Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Picked<'_> {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut access: A,
    ) -> Result<Self::Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key_seed(PickedKey(self.0))? {
            match key {
                Some(name) => {
                    map.insert(name.to_string(), access.next_value()?);
                }
                None => {
                    access.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(map)
    }
}

/// A key of a record: the picked name it is, if any, read without allocating.
struct PickedKey<'a>(&'a [&'a str]);

impl<'de, 'a> serde::de::DeserializeSeed<'de> for PickedKey<'a> {
    type Value = Option<&'a str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'a> serde::de::Visitor<'_> for PickedKey<'a> {
    type Value = Option<&'a str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().copied().find(|name| *name == key))
    }
}

/// serde_json's message with the position told relative to the record (its line and column
/// in the file are in the skip's path already).
fn describe(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    match err.line() {
        0 => message.to_string(),
        1 => format!("{message} (column {})", err.column()),
        n => format!(
            "{message} (line {n} of the record, column {})",
            err.column()
        ),
    }
}

/// The article of a parsed JSON record; it reads only the fields [`Fields::read`] names.
pub fn record_from_value(value: Value, fields: &Fields, repaired: bool) -> Result<Record, Reason> {
    let Value::Object(mut map) = value else {
        return Err(Reason::NotAnObject);
    };
    // The other fields are read before the text is taken out of the map, so that a field
    // configured as both (say the title) still reads as itself.
    let title = map
        .get(&fields.title)
        .and_then(Value::as_str)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    let id = match map.get(&fields.id) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let source = match map.get("source") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => map.get("url").and_then(Value::as_str).and_then(url_host),
    };
    let date = DATE_FIELDS.iter().find_map(|name| {
        map.get(*name)
            .and_then(super::date::from_json)
            .filter(|&s| super::date::credible(s, fields.now_seconds))
    });
    let raw = text_of(&mut map, fields)?;
    let (text, html_date) = if fields.text_is_html {
        let page = html::extract_str(&raw)?;
        (page.text, page.date)
    } else {
        (raw, None)
    };
    if text.trim().is_empty() {
        return Err(Reason::NoText);
    }
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty());
    let text = match title {
        Some(title) if first_line != Some(title.as_str()) => format!("{title}\n\n{text}"),
        _ => text,
    };
    Ok(Record {
        id,
        source,
        text,
        repaired,
        date,
        html_date,
    })
}

/// Fields that may carry a record's publication date, in order of preference.
const DATE_FIELDS: [&str; 4] = ["date", "published", "published_at", "timestamp"];

/// The text of a record: the configured field, else `content`, else `body`. A list of strings
/// is taken as paragraphs.
fn text_of(map: &mut Map<String, Value>, fields: &Fields) -> Result<String, Reason> {
    let names = fields.text_names();
    for name in &names {
        match map.get_mut(*name) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => return Ok(std::mem::take(s)),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                return Ok(parts.join("\n\n"));
            }
            Some(_) => return Err(Reason::TextNotString((*name).to_string())),
        }
    }
    Err(Reason::NoTextField(names.join(", ")))
}

/// The host of an absolute URL, lower-cased, without user, port or trailing dot.
pub fn url_host(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// Reads JSON Lines, calling `emit` with each record (or the reason it is skipped) in file
/// order. A line over `limit` bytes is skipped without being held in memory. Returns how many
/// records were emitted; `Err` is a read error that ends the stream (the records before it
/// have been emitted).
pub fn read_lines<R: BufRead>(
    reader: R,
    fields: &Fields,
    limit: u64,
    emit: impl FnMut(Position, Result<Record, Reason>),
) -> Result<u64, ReadError> {
    split_lines(reader, limit, parsing(fields, emit))
}

/// `emit` behind a parse: what [`read_lines`] and [`read_json`] hand their cut records to.
fn parsing<'a>(
    fields: &'a Fields,
    mut emit: impl FnMut(Position, Result<Record, Reason>) + 'a,
) -> impl FnMut(Position, Result<&[u8], Reason>) + 'a {
    move |at, res| emit(at, res.and_then(|bytes| parse_record(bytes, fields)))
}

/// Cuts JSON Lines into records without parsing them: what [`read_lines`] does before
/// [`parse_record`], so that one thread can read a large file while others parse its records.
/// A blank line is no record; a line over `limit` bytes comes as
/// [`Reason::RecordTooLarge`]; a byte-order mark before the first line is dropped.
pub fn split_lines<R: BufRead>(
    mut reader: R,
    limit: u64,
    mut emit: impl FnMut(Position, Result<&[u8], Reason>),
) -> Result<u64, ReadError> {
    let mut buf = Vec::new();
    let mut consumed = 0;
    let mut line = 0;
    let mut emitted = 0;
    loop {
        let got = read_line_bounded(&mut reader, &mut buf, limit, &mut consumed)?;
        line += 1;
        let at = Position { line, column: None };
        let res = match got {
            Line::Eof => return Ok(emitted),
            Line::TooLong(size) => Err(Reason::RecordTooLarge { size, limit }),
            Line::Read => {
                let bytes = if line == 1 {
                    strip_utf8_bom(&buf)
                } else {
                    &buf
                };
                if is_blank(bytes) {
                    continue;
                }
                Ok(bytes)
            }
        };
        emitted += 1;
        emit(at, res);
    }
}

/// Reads a JSON file: an array of records, or records one after another (which also covers a
/// single object and JSON Lines saved as `.json`). Each record is cut out of the stream by
/// tracking strings and brackets, then parsed on its own, so a malformed record costs only
/// itself. Returns how many records were emitted.
pub fn read_json<R: BufRead>(
    reader: R,
    fields: &Fields,
    limit: u64,
    emit: impl FnMut(Position, Result<Record, Reason>),
) -> Result<u64, ReadError> {
    split_json(reader, limit, parsing(fields, emit))
}

/// Cuts a JSON file into records without parsing them: what [`read_json`] does before
/// [`parse_record`]. A record over `limit` bytes comes as [`Reason::RecordTooLarge`].
pub fn split_json<R: BufRead>(
    mut reader: R,
    limit: u64,
    mut emit: impl FnMut(Position, Result<&[u8], Reason>),
) -> Result<u64, ReadError> {
    let mut emitted = 0;
    let mut deliver = |at: Position, bytes: &[u8], size: u64| {
        emitted += 1;
        if size > limit {
            emit(at, Err(Reason::RecordTooLarge { size, limit }));
        } else {
            emit(at, Ok(bytes));
        }
    };
    let mut splitter = Splitter::new(limit);
    let mut first = true;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if chunk.is_empty() {
            break;
        }
        let len = chunk.len();
        let chunk = if first { strip_utf8_bom(chunk) } else { chunk };
        first = false;
        splitter
            .feed(chunk, &mut deliver)
            .map_err(ReadError::Damaged)?;
        reader.consume(len);
    }
    splitter.finish(&mut deliver).map_err(ReadError::Damaged)?;
    Ok(emitted)
}

/// Whether the JSON file is an array of records or records one after another; decided by its
/// first byte that is not whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unknown,
    Array,
    Stream,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records.
    Seek,
    /// Inside a record.
    Value,
    /// After the array's closing bracket: only whitespace may follow.
    AfterArray,
}

/// Cuts a JSON byte stream into top-level records without parsing them.
struct Splitter {
    mode: Mode,
    state: State,
    limit: u64,
    line: u64,
    column: u64,
    depth: u64,
    in_string: bool,
    escape: bool,
    buf: Vec<u8>,
    size: u64,
    start: Position,
    last_start_line: Option<u64>,
}

impl Splitter {
    fn new(limit: u64) -> Splitter {
        Splitter {
            mode: Mode::Unknown,
            state: State::Seek,
            limit,
            line: 1,
            column: 0,
            depth: 0,
            in_string: false,
            escape: false,
            buf: Vec::new(),
            size: 0,
            start: Position {
                line: 1,
                column: None,
            },
            last_start_line: None,
        }
    }

    fn feed(
        &mut self,
        chunk: &[u8],
        out: &mut impl FnMut(Position, &[u8], u64),
    ) -> Result<(), Reason> {
        for &b in chunk {
            let (line, column) = (self.line, self.column + 1);
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            } else {
                self.column += 1;
            }
            match self.state {
                State::Seek => {
                    if b.is_ascii_whitespace() {
                        continue;
                    }
                    match (self.mode, b) {
                        (Mode::Unknown, b'[') => {
                            self.mode = Mode::Array;
                            continue;
                        }
                        (Mode::Unknown, _) => self.mode = Mode::Stream,
                        // An empty element or a trailing comma is forgiven, as most readers do.
                        (Mode::Array, b',') => continue,
                        (Mode::Array, b']') => {
                            self.state = State::AfterArray;
                            continue;
                        }
                        _ => {}
                    }
                    self.start = Position {
                        line,
                        column: (self.last_start_line == Some(line)).then_some(column),
                    };
                    self.last_start_line = Some(line);
                    self.state = State::Value;
                    self.push(b, out);
                }
                State::Value => self.push(b, out),
                State::AfterArray => {
                    if !b.is_ascii_whitespace() {
                        return Err(Reason::Damaged(format!(
                            "data after the end of the JSON array at line {line}"
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    fn push(&mut self, b: u8, out: &mut impl FnMut(Position, &[u8], u64)) {
        if self.in_string {
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            self.keep(b);
            return;
        }
        match b {
            b'"' => {
                self.in_string = true;
                self.keep(b);
            }
            b'{' | b'[' => {
                self.depth += 1;
                self.keep(b);
            }
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                self.keep(b);
                if self.mode == Mode::Stream && self.depth == 0 {
                    self.end(out);
                }
            }
            b',' | b']' if self.mode == Mode::Array && self.depth == 0 => {
                self.end(out);
                if b == b']' {
                    self.state = State::AfterArray;
                }
            }
            _ if self.mode == Mode::Stream && self.depth == 0 && b.is_ascii_whitespace() => {
                self.end(out);
            }
            _ => self.keep(b),
        }
    }

    fn keep(&mut self, b: u8) {
        self.size += 1;
        if self.size <= self.limit {
            self.buf.push(b);
        }
    }

    fn end(&mut self, out: &mut impl FnMut(Position, &[u8], u64)) {
        out(self.start, &self.buf, self.size);
        self.buf.clear();
        self.size = 0;
        self.depth = 0;
        self.in_string = false;
        self.escape = false;
        self.state = State::Seek;
    }

    /// The end of the input: a record still open is delivered when it may be whole, and an
    /// array without its closing bracket is damage.
    fn finish(&mut self, out: &mut impl FnMut(Position, &[u8], u64)) -> Result<(), Reason> {
        let whole = self.depth == 0 && !self.in_string;
        match (self.state, self.mode) {
            // The parser tells what is wrong with a record cut short.
            (State::Value, Mode::Stream) => {
                self.end(out);
                Ok(())
            }
            (State::Value, Mode::Array) if whole => {
                self.end(out);
                Err(Reason::Truncated {
                    what: "JSON array (no closing bracket)".into(),
                })
            }
            (State::Value, Mode::Array) => Err(Reason::Truncated {
                what: format!("JSON array (the record at line {} is cut)", self.start.line),
            }),
            (State::Seek, Mode::Array) => Err(Reason::Truncated {
                what: "JSON array (no closing bracket)".into(),
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: Option<&str>, source: Option<&str>, text: &str) -> Record {
        Record {
            id: id.map(str::to_string),
            source: source.map(str::to_string),
            text: text.to_string(),
            repaired: false,
            date: None,
            html_date: None,
        }
    }

    /// What a full parse of `line` into a `Value` makes of it: the reference for the picked parse.
    fn parsed_whole(line: &str, fields: &Fields) -> Result<Record, String> {
        let value: Value = serde_json::from_str(line)
            .map_err(|e| Reason::MalformedJson(describe(&e)).to_string())?;
        record_from_value(value, fields, false).map_err(|r| r.to_string())
    }

    #[test]
    fn picked_fields_make_the_record_a_whole_parse_makes() {
        let by_default = Fields::default();
        let title_is_text = Fields {
            title: "text".into(),
            ..Fields::default()
        };
        let lines = [
            r#"{"id":"a","text":"Body","title":"Head","extra":{"deep":[1,2,{"x":null}]},"n":1.5e3}"#,
            r#"{"text":"first","text":"second","id":"dup","id":7}"#,
            r#"{"t\u0065xt":"escaped key","i\u0064":"e1","title":"T"}"#,
            r#"{"body":["one","two"],"url":"https://Example.org/a","published":"2026-11-26T10:00:00Z"}"#,
            r#"{"content":"c","source":"  wire  ","date":1795687200,"text":null}"#,
            r#"{"text":"Head\n\nbody","title":"Head","ignored":"\uD83D\uDE00"}"#,
            r#"{"text":3}"#,
            r#"{"text":"x"} trailing"#,
            r#"{"text":"x""#,
            r#"["text","x"]"#,
            r#"{"other":"no text here"}"#,
        ];
        for fields in [&by_default, &title_is_text] {
            for line in lines {
                let picked = parse_record(line.as_bytes(), fields).map_err(|r| r.to_string());
                assert_eq!(picked, parsed_whole(line, fields), "{line}");
            }
        }
    }

    #[test]
    fn parse_line_table() {
        let fields = Fields::default();
        // (line, expected record, or the start of the reason it is refused)
        let cases: &[(&str, Result<Option<Record>, &str>)] = &[
            ("", Ok(None)),
            ("   \r", Ok(None)),
            (
                r#"{"id":"a1","text":"Hello"}"#,
                Ok(Some(rec(Some("a1"), None, "Hello"))),
            ),
            (
                r#"{"id":42,"content":"Hi"}"#,
                Ok(Some(rec(Some("42"), None, "Hi"))),
            ),
            (
                r#"{"body":"B","source":"wire"}"#,
                Ok(Some(rec(None, Some("wire"), "B"))),
            ),
            (
                r#"{"text":"T","url":"https://User@WWW.Example.com:8080/a?b"}"#,
                Ok(Some(rec(None, Some("www.example.com"), "T"))),
            ),
            (
                r#"{"title":"Head","text":"Body"}"#,
                Ok(Some(rec(None, None, "Head\n\nBody"))),
            ),
            (
                r#"{"title":"Head","text":"Head\nBody"}"#,
                Ok(Some(rec(None, None, "Head\nBody"))),
            ),
            (
                r#"{"text":["p1","p2"]}"#,
                Ok(Some(rec(None, None, "p1\n\np2"))),
            ),
            (r#"{"id":"","text":"x"}"#, Ok(Some(rec(None, None, "x")))),
            (r#"{"id":"a","text":"  "}"#, Err("empty: no text")),
            (
                r#"{"id":"a","title":"Only"}"#,
                Err("no text: none of the fields text, content, body"),
            ),
            (
                r#"{"text":5}"#,
                Err("no text: field \"text\" is not a string"),
            ),
            (
                r#"{"text":null,"content":"c"}"#,
                Ok(Some(rec(None, None, "c"))),
            ),
            (r#"[1,2]"#, Err("record is not a JSON object")),
            (
                r#"{"text":"x""#,
                Err("malformed JSON: EOF while parsing an object (column 11)"),
            ),
            ("not json", Err("malformed JSON: expected ident (column 2)")),
        ];
        for (line, want) in cases {
            let got = parse_line(line.as_bytes(), &fields);
            match (got, want) {
                (Ok(got), Ok(want)) => assert_eq!(&got, want, "{line}"),
                (Err(e), Err(prefix)) => assert!(e.to_string().starts_with(prefix), "{line}: {e}"),
                (got, _) => panic!("{line}: unexpected {got:?}"),
            }
        }
    }

    #[test]
    fn fields_and_html_text() {
        let fields = Fields {
            id: "guid".into(),
            text: "html".into(),
            title: "headline".into(),
            text_is_html: true,
            ..Fields::default()
        };
        let line =
            br#"{"guid":"g","headline":"Big news","html":"<nav>Menu</nav><p>One &amp; two</p>"}"#;
        let got = parse_line(line, &fields).unwrap().unwrap();
        assert_eq!(got, rec(Some("g"), None, "Big news\n\nOne & two"));
        let nav_only = br#"{"html":"<nav>Menu</nav>"}"#;
        assert!(matches!(
            parse_line(nav_only, &fields),
            Err(Reason::NoHtmlText)
        ));
        let latin1 = b"{\"html\":\"<p>caf\xe9</p>\"}";
        let got = parse_line(latin1, &fields).unwrap().unwrap();
        assert!(got.repaired);
        assert_eq!(got.text, "caf\u{FFFD}");
    }

    #[test]
    fn url_host_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("https://www.example.com/a/b", Some("www.example.com")),
            ("http://EXAMPLE.org", Some("example.org")),
            ("https://u:p@host.net:443/x", Some("host.net")),
            ("https://[::1]:8080/", Some("::1")),
            ("https://host.example./", Some("host.example")),
            ("example.com/path", None),
            ("://nohost", None),
            ("https:///path", None),
        ];
        for (url, want) in cases {
            assert_eq!(url_host(url).as_deref(), *want, "{url}");
        }
    }

    /// Runs a reader over `input` and lists `(position, id or reason)`, then the damage.
    /// `(position, id or text, or the reason)` of each record.
    type Items = Vec<(String, Result<String, String>)>;

    fn run(json_file: bool, input: &[u8], limit: u64) -> (Items, Option<String>) {
        let mut got = Vec::new();
        let emit = |at: Position, res: Result<Record, Reason>| {
            got.push((
                at.to_string(),
                res.map(|r| r.id.unwrap_or(r.text))
                    .map_err(|e| e.to_string()),
            ));
        };
        // A tiny buffer makes records span several chunks.
        let reader = io::BufReader::with_capacity(3, input);
        let res = if json_file {
            read_json(reader, &Fields::default(), limit, emit)
        } else {
            read_lines(reader, &Fields::default(), limit, emit)
        };
        (got, res.err().map(|e| e.to_string()))
    }

    #[test]
    fn read_lines_table() {
        let ok = |p: &str, id: &str| (p.to_string(), Ok(id.to_string()));
        let bad = |p: &str| p.to_string();
        let input = b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"x\"}\r\n\n{broken\n{\"text\":\"long long long long\"}\n{\"id\":\"b\",\"text\":\"y\"}";
        let (got, damage) = run(false, input, 28);
        assert_eq!(damage, None);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], ok("1", "a"));
        assert_eq!(got[1].0, bad("3"));
        assert!(got[1].1.as_ref().unwrap_err().starts_with("malformed JSON"));
        assert_eq!(got[2].0, bad("4"));
        assert!(got[2]
            .1
            .as_ref()
            .unwrap_err()
            .contains("over --max-file-bytes 28"));
        assert_eq!(got[3], ok("5", "b"));
    }

    #[test]
    fn read_json_table() {
        // (input, expected (position, id/text or reason start), expected damage start)
        type Case<'a> = (
            &'a str,
            &'a [(&'a str, Result<&'a str, &'a str>)],
            Option<&'a str>,
        );
        let cases: &[Case] = &[
            (
                "[\n {\"id\":\"a\",\"text\":\"x\"},\n {\"text\":\"y ] } ,\"}\n]\n",
                &[("2", Ok("a")), ("3", Ok("y ] } ,"))],
                None,
            ),
            (
                r#"[{"text":"a"},{"text":"b"}, {"text": "c\"{"}]"#,
                &[("1", Ok("a")), ("1:15", Ok("b")), ("1:29", Ok("c\"{"))],
                None,
            ),
            (
                "[{\"text\":\"a\"}, {\"text\": }, 7, {\"text\":\"d\"},]",
                &[
                    ("1", Ok("a")),
                    ("1:16", Err("malformed JSON")),
                    ("1:28", Err("record is not")),
                    ("1:31", Ok("d")),
                ],
                None,
            ),
            ("{\"id\":\"one\",\"text\":\"x\"}", &[("1", Ok("one"))], None),
            (
                "{\"text\":\"a\"}\n{\"text\":\n\"b\"}{\"text\":\"c\"}",
                &[("1", Ok("a")), ("2", Ok("b")), ("3", Ok("c"))],
                None,
            ),
            (
                "{\"text\":\"a\"}\n{\"text\":\"b",
                &[("1", Ok("a")), ("2", Err("malformed JSON: EOF"))],
                None,
            ),
            (
                "[{\"text\":\"a\"},\n{\"text\":\"b",
                &[("1", Ok("a"))],
                Some("truncated JSON array (the record at line 2 is cut)"),
            ),
            (
                "[{\"text\":\"a\"}",
                &[("1", Ok("a"))],
                Some("truncated JSON array (no closing bracket)"),
            ),
            (
                "[{\"text\":\"a\"}] x",
                &[("1", Ok("a"))],
                Some("data after the end of the JSON array at line 1"),
            ),
            (
                "[{\"text\":\"012345678901234567890123456789\"}, {\"text\":\"b\"}]",
                &[("1", Err("record is 41 bytes")), ("1:45", Ok("b"))],
                None,
            ),
            ("[]", &[], None),
            ("  ", &[], None),
        ];
        for (input, want, damage) in cases {
            let (got, got_damage) = run(true, input.as_bytes(), 40);
            assert_eq!(got.len(), want.len(), "{input}: {got:?}");
            for ((pos, res), (want_pos, want_res)) in got.iter().zip(want.iter()) {
                assert_eq!(pos, want_pos, "{input}");
                match (res, want_res) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{input}"),
                    (Err(a), Err(b)) => assert!(a.starts_with(b), "{input}: {a}"),
                    _ => panic!("{input}: {res:?} vs {want_res:?}"),
                }
            }
            match (got_damage, damage) {
                (None, None) => {}
                (Some(a), Some(b)) => assert!(a.starts_with(b), "{input}: {a}"),
                (a, b) => panic!("{input}: damage {a:?}, want {b:?}"),
            }
        }
    }
}
