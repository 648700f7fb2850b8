//! Fuzz target: the index reader (`index::store::parse_manifest` and `parse_segment`) on any
//! bytes gives a manifest, documents or an error, and never panics. The first byte picks the
//! file kind and whether the rest is taken as a whole file (magic, version, parameters and
//! checksum checked first) or as a body sealed here in a valid envelope, so that the fuzzer
//! reaches the decoders behind the checksum too.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use reprint::index::store::{self, FingerprintParams};

/// The parameters of a default run, as an index stores them.
fn params(method: &str) -> FingerprintParams {
    FingerprintParams {
        method: method.into(),
        seed: 1,
        num_perm: 128,
        shingle: "char:7".into(),
        normalizer_version: 1,
        hash_version: 4,
        boilerplate_removal: true,
        translations: true,
    }
}

/// A file of `magic`, format `version`, the parameters and `body`, with its checksum.
fn sealed(magic: &[u8; 8], version: u32, params: &FingerprintParams, body: &[u8]) -> Vec<u8> {
    let json = serde_json::to_string(params).unwrap_or_default();
    let mut out = magic.to_vec();
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(json.len() as u64).to_le_bytes());
    out.extend_from_slice(json.as_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
    let sum = xxhash_rust::xxh3::xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let path = Path::new("fuzz");
    let method = if pick & 4 == 0 { "minhash" } else { "simhash" };
    let p = params(method);
    // Every format version this reprint reads (1 to `FORMAT_VERSION`) and one past it: the
    // layout of a segment's records (sketches, date sources) goes by its version.
    let version = u32::from(pick >> 3) % (store::FORMAT_VERSION + 1) + 1;
    match pick & 3 {
        0 => {
            let _ = store::parse_manifest(path, rest);
        }
        1 => {
            let _ = store::parse_segment(path, rest, &p);
        }
        2 => {
            let _ = store::parse_manifest(path, &sealed(b"RPRINTMF", version, &p, rest));
        }
        _ => {
            let _ = store::parse_segment(path, &sealed(b"RPRINTSG", version, &p, rest), &p);
        }
    }
});
