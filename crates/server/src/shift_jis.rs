//! Shift_JIS (CP932) decoding of CSV files. The core detects the encoding but
//! leaves decoding to its caller, so that `encoding_rs` stays out of the wasm
//! console.

/// Decodes CP932 bytes with `encoding_rs`; returns `None` when any byte
/// sequence is invalid. It is `pub` because the binary's `check-csv` command,
/// a separate crate, decodes files the same way as the import endpoints.
pub fn decode_cp932(bytes: &[u8]) -> Option<String> {
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    (!had_errors).then(|| text.into_owned())
}
