//! Reading an uploaded file into bytes and text in the browser.

use gatehouse_core::csv::encoding::{self, Encoding};
use js_sys::Uint8Array;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, TextDecoder, TextDecoderOptions};

/// Reads all bytes of a chosen file.
pub async fn read_bytes(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|error| {
        format!("Reading {} failed: {error:?}. Choose the file again.", file.name())
    })?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Decodes CP932 bytes with the browser's `TextDecoder` ("shift_jis" is its
/// label for the WHATWG Shift_JIS decoder, which covers CP932). With
/// `fatal` set, invalid bytes make it return `None` instead of U+FFFD.
pub fn decode_shift_jis(bytes: &[u8]) -> Option<String> {
    let options = TextDecoderOptions::new();
    options.set_fatal(true);
    let decoder = TextDecoder::new_with_label_and_options("shift_jis", &options).ok()?;
    let array = Uint8Array::from(bytes);
    decoder.decode_with_buffer_source(&array).ok()
}

/// Decodes a file in any supported encoding to the UTF-8 text the server
/// accepts; `None` when the bytes fit no supported encoding.
pub fn decode_text(bytes: &[u8]) -> Option<String> {
    match encoding::detect(bytes).ok()? {
        Encoding::ShiftJis => decode_shift_jis(bytes),
        other => encoding::decode_unicode(bytes, other),
    }
}
