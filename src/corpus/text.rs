//! Plain text and Markdown: bytes to a `String`, repairing what can be repaired.

use super::{encoding, RawDoc, Reason};

/// Decodes a text file: UTF-16 with a BOM is decoded, a UTF-8 BOM is stripped, invalid UTF-8 is
/// replaced (and flagged), and a NUL byte near the start marks the file as binary.
pub(super) fn decode(bytes: &[u8]) -> Result<RawDoc, Reason> {
    if bytes.is_empty() {
        return Err(Reason::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if encoding::is_binary(bytes) {
        return Err(Reason::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(RawDoc {
            text: text.to_owned(),
            repaired: false,
        }),
        Err(_) => Ok(RawDoc {
            text: String::from_utf8_lossy(bytes).into_owned(),
            repaired: true,
        }),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<RawDoc, Reason> {
    let units = bytes.chunks(2).map(|c| match c {
        [a, b] => unit([*a, *b]),
        // An odd trailing byte cannot be a code unit: it becomes U+FFFD below.
        _ => 0xD800,
    });
    let mut repaired = !bytes.len().is_multiple_of(2);
    let text: String = char::decode_utf16(units)
        .map(|r| {
            r.unwrap_or_else(|_| {
                repaired = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    Ok(RawDoc { text, repaired })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_table() {
        // (input bytes, expected text or error prefix, repaired)
        let cases: &[(&[u8], Result<&str, &str>, bool)] = &[
            (b"hello", Ok("hello"), false),
            (b"\xEF\xBB\xBFhello", Ok("hello"), false),
            (b"caf\xE9", Ok("caf\u{FFFD}"), true),
            (b"\xFF\xFEh\x00i\x00", Ok("hi"), false),
            (b"\xFE\xFF\x00h\x00i", Ok("hi"), false),
            (b"ab\x00cd", Err("binary"), false),
            (b"", Err("empty"), false),
        ];
        for (input, want, repaired) in cases {
            match (decode(input), want) {
                (Ok(doc), Ok(text)) => {
                    assert_eq!(doc.text, *text, "input {input:?}");
                    assert_eq!(doc.repaired, *repaired, "input {input:?}");
                }
                (Err(e), Err(prefix)) => {
                    assert!(e.to_string().starts_with(prefix), "{e} for {input:?}")
                }
                (got, _) => panic!("input {input:?}: unexpected {got:?}"),
            }
        }
    }
}
