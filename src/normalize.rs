//! TEMPORARY stand-in until the real normalizer lands.
/// Version.
pub const NORMALIZER_VERSION: u32 = 1;
/// Normalizes.
pub fn normalize(text: &str) -> String {
    text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}
/// Tokens.
pub fn for_each_token(normalized: &str, mut f: impl FnMut(&str)) {
    for w in normalized.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) { f(w) }
}
