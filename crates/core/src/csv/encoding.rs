//! Character encoding detection for uploaded CSV files.
//!
//! UTF-8 and UTF-16 are decoded here. Shift_JIS (as CP932, the code page
//! Japanese Excel writes) is only detected: decoding it needs mapping tables
//! that would bloat the console's wasm, so the caller decodes it with the
//! browser's `TextDecoder` or, on the server, with `encoding_rs`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    ShiftJis,
}

impl Encoding {
    /// The encoding's name as shown to people.
    pub fn title(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16 LE with BOM",
            Encoding::Utf16Be => "UTF-16 BE with BOM",
            Encoding::ShiftJis => "Shift_JIS (CP932)",
        }
    }
}

/// A file whose bytes fit none of the supported encodings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownEncoding {
    /// A byte that fits neither UTF-8 nor Shift_JIS.
    InvalidByte {
        offset: usize,
        byte: u8,
        /// 1-based line of that byte.
        line: u32,
    },
    /// Text with a NUL byte in every other position: UTF-16 saved without a
    /// byte-order mark, which cannot be distinguished safely from binary data.
    Utf16WithoutBom,
    /// A UTF-32 byte-order mark, an encoding the validators do not read.
    Utf32,
}

/// Detects the encoding of a file from its byte-order mark or, without one,
/// by checking whether the bytes are valid UTF-8 or valid CP932.
pub fn detect(bytes: &[u8]) -> Result<Encoding, UnknownEncoding> {
    detect_text(bytes).map(|(encoding, _)| encoding)
}

/// Detects the encoding like [`detect`] and also returns the text of a
/// valid UTF-8 file, without its byte-order mark, so the bytes are validated
/// only once.
pub fn detect_text(bytes: &[u8]) -> Result<(Encoding, Option<&str>), UnknownEncoding> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return Ok((Encoding::Utf8Bom, std::str::from_utf8(rest).ok()));
    }
    // The UTF-32 little-endian mark starts with the UTF-16 one, so it is
    // checked first.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(UnknownEncoding::Utf32);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Ok((Encoding::Utf16Le, None));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok((Encoding::Utf16Be, None));
    }
    if looks_like_utf16(bytes) {
        return Err(UnknownEncoding::Utf16WithoutBom);
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok((Encoding::Utf8, Some(text))),
        Err(error) => error,
    };
    match first_invalid_cp932_byte(bytes) {
        None => Ok((Encoding::ShiftJis, None)),
        // Report whichever decoder got further, since that is most likely
        // where the file really breaks.
        Some(offset) => {
            let offset = offset.max(utf8_error.valid_up_to());
            let byte = bytes.get(offset).copied().unwrap_or_default();
            let line = line_of_offset(bytes, offset);
            Err(UnknownEncoding::InvalidByte { offset, byte, line })
        }
    }
}

/// Whether NUL bytes fill at least a third of the even or of the odd
/// positions of the first KiB, as ASCII text in UTF-16 does.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    if head.len() < 4 {
        return false;
    }
    let nul_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    nul_at(0) * 3 >= half || nul_at(1) * 3 >= half
}

/// Decodes a file that is not Shift_JIS. Returns `None` for Shift_JIS, which
/// the caller decodes, and for invalid UTF-16.
pub fn decode_unicode(bytes: &[u8], encoding: Encoding) -> Option<String> {
    borrow_unicode(bytes, encoding).map(Cow::into_owned)
}

/// Decodes like [`decode_unicode`] but borrows UTF-8 text instead of copying
/// it, which halves the memory a large file needs while it is validated.
pub fn borrow_unicode(bytes: &[u8], encoding: Encoding) -> Option<Cow<'_, str>> {
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        Encoding::Utf8Bom => std::str::from_utf8(bytes.get(3..)?).ok().map(Cow::Borrowed),
        Encoding::Utf16Le => decode_utf16(bytes.get(2..)?, u16::from_le_bytes).map(Cow::Owned),
        Encoding::Utf16Be => decode_utf16(bytes.get(2..)?, u16::from_be_bytes).map(Cow::Owned),
        Encoding::ShiftJis => None,
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units).collect::<Result<String, _>>().ok()
}

/// Returns the offset of the first byte that cannot start or continue a CP932
/// character, or `None` when all bytes are valid CP932.
fn first_invalid_cp932_byte(bytes: &[u8]) -> Option<usize> {
    let mut index = 0;
    while index < bytes.len() {
        let lead = bytes[index];
        match lead {
            0x00..=0x7F | 0xA1..=0xDF => index += 1,
            0x81..=0x9F | 0xE0..=0xFC => {
                let trail = *bytes.get(index + 1)?;
                if !matches!(trail, 0x40..=0x7E | 0x80..=0xFC) {
                    return Some(index);
                }
                index += 2;
            }
            _ => return Some(index),
        }
    }
    None
}

/// The first byte that is not UTF-8 in a file that is otherwise UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrayByte {
    pub offset: usize,
    pub byte: u8,
    /// 1-based line of that byte.
    pub line: u32,
}

/// Finds the first invalid byte of a file that is mostly UTF-8: one with at
/// least four valid non-ASCII characters and four times as many of them as
/// invalid sequences. Such a file has a part saved in another encoding, as
/// when rows in Shift_JIS are pasted into a UTF-8 file. Shift_JIS text is
/// rarely valid UTF-8, because most of its lead bytes are UTF-8
/// continuation bytes.
pub fn stray_byte_in_utf8(bytes: &[u8]) -> Option<StrayByte> {
    let mut valid_non_ascii = 0usize;
    let mut invalid = 0usize;
    let mut first_invalid = None;
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        valid_non_ascii += valid.chars().filter(|c| !c.is_ascii()).count();
        offset += valid.len();
        if !chunk.invalid().is_empty() {
            invalid += 1;
            first_invalid.get_or_insert(offset);
            offset += chunk.invalid().len();
        }
    }
    let offset = first_invalid?;
    if valid_non_ascii < 4 || valid_non_ascii < 4 * invalid {
        return None;
    }
    let byte = bytes[offset];
    Some(StrayByte { offset, byte, line: line_of_offset(bytes, offset) })
}

fn line_of_offset(bytes: &[u8], offset: usize) -> u32 {
    let prefix = &bytes[..offset.min(bytes.len())];
    let breaks = prefix.iter().filter(|&&b| b == b'\n').count();
    u32::try_from(breaks + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_means_utf8_with_bom() {
        assert_eq!(detect(b"\xEF\xBB\xBFaction"), Ok(Encoding::Utf8Bom));
        assert_eq!(
            decode_unicode(b"\xEF\xBB\xBFaction", Encoding::Utf8Bom).as_deref(),
            Some("action")
        );
    }

    #[test]
    fn plain_ascii_is_utf8() {
        assert_eq!(detect(b"action,login_id\n"), Ok(Encoding::Utf8));
    }

    #[test]
    fn cp932_bytes_are_shift_jis() {
        // 髙橋 in CP932: 髙 is an IBM extension outside JIS X 0208.
        assert_eq!(detect(b"a,\xFB\xFC\x8B\xB4\r\n"), Ok(Encoding::ShiftJis));
    }

    #[test]
    fn utf16_le_is_decoded() {
        let bytes = [0xFF, 0xFE, b'a', 0, b',', 0, 0x42, 0x30];
        assert_eq!(detect(&bytes), Ok(Encoding::Utf16Le));
        assert_eq!(decode_unicode(&bytes, Encoding::Utf16Le).as_deref(), Some("a,あ"));
    }

    #[test]
    fn latin1_byte_is_unknown_encoding_with_position() {
        // 0x80 is neither a UTF-8 start byte nor a CP932 lead byte.
        let error = detect(b"action\nna\x80ve\n");
        assert_eq!(error, Err(UnknownEncoding::InvalidByte { offset: 9, byte: 0x80, line: 2 }));
    }

    #[test]
    fn shift_jis_row_in_utf8_file_is_a_stray_byte() {
        let utf8 = "action,family_name\ncreate,山田\ncreate,田中\ncreate,鈴木\ncreate,佐藤\n";
        let bytes: Vec<u8> = utf8.bytes().chain(*b"create,\xB1\xB2\n").collect();
        let stray = stray_byte_in_utf8(&bytes).unwrap();
        assert_eq!(stray.byte, 0xB1);
        assert_eq!(stray.line, 6);
        assert_eq!(&bytes[stray.offset..stray.offset + 2], b"\xB1\xB2");
    }

    #[test]
    fn shift_jis_file_has_no_stray_byte() {
        // 山田,田中,鈴木 in CP932.
        let bytes = b"action,family_name\ncreate,\x8E\x52\x93\x63\ncreate,\x93\x63\x92\x86\ncreate,\x97\xE9\x96\xD8\n";
        assert_eq!(stray_byte_in_utf8(bytes), None);
        assert_eq!(stray_byte_in_utf8(b"plain ASCII"), None);
    }

    #[test]
    fn utf32_with_bom_is_unknown_encoding() {
        let little: Vec<u8> = [0xFF, 0xFE, 0, 0, b'a', 0, 0, 0].to_vec();
        let big: Vec<u8> = [0, 0, 0xFE, 0xFF, 0, 0, 0, b'a'].to_vec();
        assert_eq!(detect(&little), Err(UnknownEncoding::Utf32));
        assert_eq!(detect(&big), Err(UnknownEncoding::Utf32));
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let bytes: Vec<u8> = "action,login_id\n".bytes().flat_map(|b| [b, 0]).collect();
        assert_eq!(detect(&bytes), Err(UnknownEncoding::Utf16WithoutBom));
    }
}
