//! Fuzz target: JSON records, one line at a time (`corpus::jsonl::parse_line`) and through the
//! streaming JSON Lines and JSON readers, never panic; a record that parses has text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reprint::corpus::jsonl::{self, Fields};

fuzz_target!(|data: &[u8]| {
    let plain = Fields::default();
    let html = Fields {
        text_is_html: true,
        ..Fields::default()
    };
    for line in data.split(|&b| b == b'\n') {
        for fields in [&plain, &html] {
            if let Ok(Some(record)) = jsonl::parse_line(line, fields) {
                assert!(
                    !record.text.trim().is_empty(),
                    "a record without text was returned"
                );
            }
        }
    }
    // A small record limit runs the over-limit paths too.
    let _ = jsonl::read_lines(data, &plain, 256, |_, _| {});
    let _ = jsonl::read_json(data, &plain, 256, |_, _| {});
});
