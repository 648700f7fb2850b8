//! Compressed inputs: which compression a name or the first bytes show, a streaming decoder for
//! it, and what a decoder's error means for the user (a truncated or a corrupt file).

use std::io::{self, Read};

use super::{OsError, Reason};

/// The compressions reprint inflates around any input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// gzip (`.gz`); every member of a multi-member file is read, as WARC files need.
    Gzip,
    /// Zstandard (`.zst`); every frame is read.
    Zstd,
}

impl Compression {
    /// The compression a file name's last extension (without the dot, any case) says.
    pub fn from_extension(ext: &str) -> Option<Compression> {
        match ext.to_ascii_lowercase().as_str() {
            "gz" | "gzip" => Some(Compression::Gzip),
            "zst" | "zstd" => Some(Compression::Zstd),
            _ => None,
        }
    }

    /// The compression whose magic number the first bytes carry.
    pub fn sniff(head: &[u8]) -> Option<Compression> {
        if head.starts_with(&[0x1F, 0x8B]) {
            Some(Compression::Gzip)
        } else if head.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    /// The name users know it by.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// A reader that inflates `compressed` as it is read, never holding the whole stream.
    pub(super) fn decoder<'a>(
        self,
        compressed: impl Read + 'a,
    ) -> Result<Box<dyn Read + 'a>, Reason> {
        Ok(match self {
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(compressed)),
            Compression::Zstd => {
                Box::new(zstd::stream::read::Decoder::new(compressed).map_err(|e| self.damage(e))?)
            }
        })
    }

    /// What a read error of an inflating stream means: the operating system's error when the
    /// file could not be read, else damage of the compressed data, told apart by whether the
    /// data simply ran out.
    pub(super) fn damage(self, err: io::Error) -> Reason {
        if err.get_ref().is_some_and(|inner| inner.is::<OsError>()) {
            return Reason::Io(err);
        }
        let detail = err.to_string();
        if err.kind() == io::ErrorKind::UnexpectedEof {
            Reason::TruncatedStream {
                format: self.name(),
                detail,
            }
        } else {
            Reason::CorruptStream {
                format: self.name(),
                detail,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    /// Inflates `bytes` and returns what came out and the reason it stopped early, if it did.
    fn inflate(c: Compression, bytes: &[u8]) -> (Vec<u8>, Option<String>) {
        let mut out = Vec::new();
        let res = c
            .decoder(bytes)
            .map_err(|r| r.to_string())
            .and_then(|mut d| d.read_to_end(&mut out).map_err(|e| c.damage(e).to_string()));
        (out, res.err())
    }

    #[test]
    fn inflate_table() {
        let text = b"one line\nanother line\n".repeat(50);
        let gz = gzip(&text);
        let mut two_members = gzip(b"first\n");
        two_members.extend(gzip(b"second\n"));
        let zst = zstd::encode_all(&text[..], 3).unwrap();
        let mut two_frames = zstd::encode_all(&b"first\n"[..], 1).unwrap();
        two_frames.extend(zstd::encode_all(&b"second\n"[..], 1).unwrap());
        // (compression, input, expected output, expected reason prefix)
        type Case = (Compression, Vec<u8>, Vec<u8>, Option<&'static str>);
        let cases: Vec<Case> = vec![
            (Compression::Gzip, gz.clone(), text.clone(), None),
            (
                Compression::Gzip,
                two_members,
                b"first\nsecond\n".to_vec(),
                None,
            ),
            (
                Compression::Gzip,
                gz[..gz.len() - 4].to_vec(),
                text.clone(),
                Some("truncated gzip"),
            ),
            (
                Compression::Gzip,
                gz[..5].to_vec(),
                Vec::new(),
                Some("truncated gzip"),
            ),
            (Compression::Zstd, zst.clone(), text.clone(), None),
            (
                Compression::Zstd,
                two_frames,
                b"first\nsecond\n".to_vec(),
                None,
            ),
            (
                Compression::Zstd,
                zst[..zst.len() - 3].to_vec(),
                Vec::new(),
                Some("truncated zstd"),
            ),
            (
                Compression::Zstd,
                [zst.clone(), b"junk-junk".to_vec()].concat(),
                text.clone(),
                Some("corrupt zstd"),
            ),
        ];
        for (c, input, want, reason) in cases {
            let (got, err) = inflate(c, &input);
            match (err, reason) {
                (None, None) => assert_eq!(got, want),
                (Some(err), Some(prefix)) => {
                    assert!(err.starts_with(prefix), "{err}");
                    assert!(want.starts_with(&got), "kept bytes are a prefix");
                }
                (err, _) => panic!("{c:?}: unexpected {err:?}"),
            }
        }
    }

    #[test]
    fn sniff_and_extension_table() {
        let cases: &[(&[u8], Option<Compression>)] = &[
            (&[0x1F, 0x8B, 8, 0], Some(Compression::Gzip)),
            (&[0x28, 0xB5, 0x2F, 0xFD, 0], Some(Compression::Zstd)),
            (b"{\"a\":1}", None),
            (b"", None),
        ];
        for (head, want) in cases {
            assert_eq!(Compression::sniff(head), *want, "{head:?}");
        }
        assert_eq!(Compression::from_extension("GZ"), Some(Compression::Gzip));
        assert_eq!(Compression::from_extension("zst"), Some(Compression::Zstd));
        assert_eq!(Compression::from_extension("bz2"), None);
    }

    #[test]
    fn os_errors_are_not_called_damage() {
        let err = io::Error::new(
            io::ErrorKind::UnexpectedEof,
            OsError(io::Error::other("disk on fire")),
        );
        assert!(matches!(Compression::Gzip.damage(err), Reason::Io(_)));
    }
}
