//! Byte tricks on 64-bit words, which let the reader and the key map handle
//! eight bytes per step. In the browser's wasm, where `usize` has 32 bits
//! and SIMD is off, they cost less than loops over single bytes.

pub const LOW_BITS: u64 = 0x0101_0101_0101_0101;
pub const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Reads eight bytes as a little-endian word; `chunk` has exactly eight.
pub fn read_word(chunk: &[u8]) -> u64 {
    u64::from_le_bytes(chunk.try_into().unwrap_or_default())
}

/// Packs up to eight bytes into a word, little-endian, zero-padded.
pub fn word_of(bytes: &[u8]) -> u64 {
    bytes.iter().rev().fold(0, |word, &byte| (word << 8) | u64::from(byte))
}

/// Lowercases the ASCII letters among eight ASCII bytes. With every byte
/// below 0x80, adding 0x3F sets a byte's high bit exactly when the byte is
/// `A` (0x41) or above, and adding 0x25 when it is above `Z` (0x5A), and no
/// sum carries into the next byte. The letters then gain 0x20.
pub fn ascii_lowercase(word: u64) -> u64 {
    let at_least_a = word + 0x3F * LOW_BITS;
    let above_z = word + 0x25 * LOW_BITS;
    let upper = at_least_a & !above_z & HIGH_BITS;
    word | (upper >> 2)
}

/// Sets the high bit of the lowest byte of `word` that equals the byte
/// repeated in `pattern`, or returns 0 when none does. Bytes above the
/// lowest match may be marked too, because a borrow runs upwards, so only
/// the lowest set bit is meaningful.
pub fn bytes_equal_to(word: u64, pattern: u64) -> u64 {
    let zero_where_equal = word ^ pattern;
    zero_where_equal.wrapping_sub(LOW_BITS) & !zero_where_equal & HIGH_BITS
}
