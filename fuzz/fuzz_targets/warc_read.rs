//! Fuzz target: `corpus::warc::read_records` on any bytes reports articles and damage, or
//! stops with a reason, and never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reprint::corpus::warc;

fuzz_target!(|data: &[u8]| {
    let _ = warc::read_records(data, 4096, |_| {});
});
