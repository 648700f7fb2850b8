//! Fuzz target: `corpus::html::extract` on any bytes returns a page or a reason, never panics,
//! and a page it returns has text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reprint::corpus::html;

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = html::extract(data) {
        assert!(
            !page.text.trim().is_empty(),
            "a page without text was returned"
        );
        if let Some(title) = &page.title {
            assert!(!title.contains('\n'), "the title spans lines");
        }
    }
    // A transport charset takes another decoding path.
    let _ = html::extract_with_charset(data, Some("windows-1252"));
});
