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

/// Finds the first invalid byte of a UTF-8 file with lines pasted from
/// another encoding, such as rows from a Shift_JIS file.
///
/// Such a file has lines that are valid UTF-8 with Japanese characters and
/// lines that are not UTF-8. It counts as mixed when the valid lines hold at
/// least two Japanese characters (kana, CJK ideographs and full-width forms)
/// and are at least as many as the invalid ones. A Shift_JIS file rarely has
/// a line that happens to be valid UTF-8 with such characters, so it would
/// need more such lines than lines that are not UTF-8. Half-width katakana
/// read as UTF-8 give Latin, Greek or Armenian letters, which do not count.
pub fn stray_byte_in_utf8(bytes: &[u8]) -> Option<StrayByte> {
    let mut japanese_lines = 0usize;
    let mut japanese_characters = 0usize;
    let mut invalid_lines = 0usize;
    let mut first_invalid = None;
    let mut line_start = 0;
    for line in bytes.split(|&byte| byte == b'\n' || byte == b'\r') {
        match std::str::from_utf8(line) {
            Ok(text) => {
                let count = text.chars().filter(|&c| is_japanese(c)).count();
                if count > 0 {
                    japanese_lines += 1;
                    japanese_characters += count;
                }
            }
            Err(error) => {
                invalid_lines += 1;
                first_invalid.get_or_insert(line_start + error.valid_up_to());
            }
        }
        line_start += line.len() + 1;
    }
    let offset = first_invalid?;
    if japanese_characters < 2 || japanese_lines < invalid_lines {
        return None;
    }
    Some(StrayByte { offset, byte: bytes[offset], line: line_of_offset(bytes, offset) })
}

/// Returns whether `c` is a kana, a CJK ideograph or a full-width form.
fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// Returns whether an ASCII letter, read as Shift_JIS, comes right before a
/// byte from 0xE0 to 0xFC. Windows-1252 writes the lower-case accented
/// letters there (`í` is 0xED), inside words such as `García`. Shift_JIS
/// starts rare kanji there, which seldom follow a Latin letter, so a file
/// read as Shift_JIS with this pattern is most likely Windows-1252. The
/// second byte of a Shift_JIS kanji may be an ASCII letter, as `n` in `渡`
/// (0x93 0x6E), and does not count.
///
/// NOTE: a Shift_JIS file with a rare kanji right after a Latin letter, as
/// in `AI濱田`, is reported too, and a Windows-1252 file whose only accents
/// are capitals is not.
pub fn has_accent_after_latin_letter(bytes: &[u8]) -> bool {
    let mut after_letter = false;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte < 0x80 {
            after_letter = byte.is_ascii_alphabetic();
            index += 1;
            continue;
        }
        let high_lead = (0xE0..=0xFC).contains(&byte);
        if high_lead && after_letter {
            return true;
        }
        after_letter = false;
        let double_byte = high_lead || (0x81..=0x9F).contains(&byte);
        index += if double_byte { 2 } else { 1 };
    }
    false
}

/// Returns the 1-based line of `offset`, counting CRLF, LF and a lone CR as
/// line ends, as the record reader does.
fn line_of_offset(bytes: &[u8], offset: usize) -> u32 {
    let prefix = &bytes[..offset.min(bytes.len())];
    let feeds = prefix.iter().filter(|&&b| b == b'\n').count();
    let lone_returns = prefix
        .iter()
        .enumerate()
        .filter(|&(index, &b)| b == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
        .count();
    u32::try_from(feeds + lone_returns + 1).unwrap_or(u32::MAX)
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
    fn stray_shift_jis_row_is_found() {
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
    fn single_utf8_row_counts_as_mixed() {
        // 山田 in UTF-8 on line 2, then 山田 in CP932 on line 3.
        let mut bytes = "action,family_name\rcreate,山田\r".as_bytes().to_vec();
        bytes.extend_from_slice(b"create,\x8E\x52\x93\x63\r");
        let stray = stray_byte_in_utf8(&bytes).unwrap();
        assert_eq!(stray.byte, 0x8E);
        assert_eq!(stray.line, 3);
    }

    #[test]
    fn half_width_katakana_is_not_mixed() {
        // ﾕｷ (D5 B7) is valid UTF-8 for an Armenian letter, not Japanese.
        let bytes = b"action,given_name\ncreate,\xD5\xB7\ncreate,\x93\x63\x92\x86\n";
        assert_eq!(stray_byte_in_utf8(bytes), None);
    }

    #[test]
    fn accent_after_latin_letter_is_found() {
        assert!(has_accent_after_latin_letter(b"Garc\xEDa"));
        assert!(has_accent_after_latin_letter(b"L\xE9a"));
        // AI推進PJ and 渡邉, whose 渡 ends in the byte of `n`, in CP932.
        assert!(!has_accent_after_latin_letter(b"AI\x90\x84\x90\x69PJ"));
        assert!(!has_accent_after_latin_letter(b"\x93\x6E\xE7\xB3"));
    }

    #[test]
    fn invalid_byte_line_counts_lone_carriage_returns() {
        let error = detect(b"action\rcreate\rna\x80ve\r");
        assert_eq!(error, Err(UnknownEncoding::InvalidByte { offset: 16, byte: 0x80, line: 3 }));
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
