//! Keys seen earlier in a file, such as login ids folded to lowercase, with
//! the value as typed and the data recorded for each. Every key is stored in
//! one shared buffer rather than in an allocation of its own. A slot of the
//! table is 8 bytes plus the data, where a map from `String` would need 24
//! bytes plus a heap allocation per key.
//!
//! Folding and hashing work on eight bytes at a time, because in the
//! browser's WebAssembly, where `usize` has 32 bits, byte loops and
//! `FxHasher` cost a large share of the validation time.

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;

use super::words::{ascii_lowercase, read_word, word_of, HIGH_BITS};
use crate::rules::fold_key;

/// Maximum length of a key or typed value, in bytes, that the map records.
/// Longer values are not recorded, which loses nothing because every field
/// rejects them as too long: an email address has at most 254 characters,
/// so 1,016 bytes.
const MAX_TEXT_BYTES: usize = u16::MAX as usize;

struct Slot<T> {
    /// Offset of the key in the shared buffer; the value as typed follows
    /// it when it differs.
    start: u32,
    key_len: u16,
    /// Length of the value as typed, or 0 when it equals the key.
    typed_len: u16,
    data: T,
}

/// The first row that named a key, with its action, as the formats record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstUse<A> {
    pub row: u32,
    pub action: A,
}

/// A key stored earlier, as [`KeyMap::get_or_insert`] returns it.
pub struct Earlier<'m, T> {
    pub data: &'m T,
    /// The value as the earlier row typed it.
    pub typed: &'m str,
}

pub struct KeyMap<T> {
    table: HashTable<Slot<T>>,
    /// Keys and typed values, all of them UTF-8.
    text: Vec<u8>,
}

impl<T> Default for KeyMap<T> {
    fn default() -> Self {
        KeyMap { table: HashTable::new(), text: Vec::new() }
    }
}

impl<T> KeyMap<T> {
    /// Folds `typed` with [`fold_key`] and returns what an earlier call
    /// stored for the folded key. Otherwise stores the folded key with `data`
    /// and the value as typed, and returns `None`. The key is folded straight
    /// into the shared buffer, so a new key is copied once and a known one
    /// not at all. A value or key longer than [`MAX_TEXT_BYTES`] is neither
    /// looked up nor stored.
    pub fn get_or_insert(&mut self, typed: &str, data: T) -> Option<Earlier<'_, T>> {
        let KeyMap { table, text } = self;
        if typed.len() > MAX_TEXT_BYTES {
            return None;
        }
        let start = text.len();
        let changed = push_folded(text, typed);
        let key_end = text.len();
        if key_end - start > MAX_TEXT_BYTES {
            text.truncate(start);
            return None;
        }
        let key = &text[start..key_end];
        let entry = table.entry(
            hash_key(key),
            |slot| key_of(text, slot) == key,
            |slot| hash_key(key_of(text, slot)),
        );
        match entry {
            Entry::Occupied(entry) => {
                text.truncate(start);
                let slot = entry.into_mut();
                let typed =
                    if slot.typed_len == 0 { key_of(text, slot) } else { typed_of(text, slot) };
                Some(Earlier {
                    data: &slot.data,
                    typed: std::str::from_utf8(typed).unwrap_or_default(),
                })
            }
            Entry::Vacant(entry) => {
                let typed_len = if !changed {
                    0
                } else {
                    text.extend_from_slice(typed.as_bytes());
                    typed.len()
                };
                // The length checks above keep both lengths within u16.
                let key_len = u16::try_from(key_end - start).unwrap_or(u16::MAX);
                let typed_len = u16::try_from(typed_len).unwrap_or(u16::MAX);
                let start = u32::try_from(start).unwrap_or(u32::MAX);
                entry.insert(Slot { start, key_len, typed_len, data });
                None
            }
        }
    }

    /// Makes room for the keys of `additional_rows` more rows, at the rate
    /// at which the `rows_read` rows so far added keys, and for their text at
    /// the average length so far. A large file then does not grow the table
    /// and the buffer step by step. When the memory is not available the map
    /// grows as it goes instead.
    pub fn reserve_for_rows(&mut self, rows_read: usize, additional_rows: usize) {
        let KeyMap { table, text } = self;
        let keys_so_far = table.len().min(rows_read) as u64;
        let rate_per_row = |total: u64| total / (rows_read.max(1) as u64);
        let additional_keys = rate_per_row(additional_rows as u64 * keys_so_far);
        let additional_text =
            additional_keys.saturating_mul(text.len() as u64) / keys_so_far.max(1);
        let (Ok(additional_keys), Ok(additional_text)) =
            (usize::try_from(additional_keys), usize::try_from(additional_text))
        else {
            return;
        };
        // A failed reservation only means the map grows step by step.
        let _ = table.try_reserve(additional_keys, |slot| hash_key(key_of(text, slot)));
        let _ = text.try_reserve(additional_text);
    }
}

/// Appends the folded form of `value` to `text` and returns whether it
/// differs from `value`. ASCII values are lowercased eight bytes at a time,
/// and others go through [`fold_key`].
fn push_folded(text: &mut Vec<u8>, value: &str) -> bool {
    let start = text.len();
    let mut changed_bits = 0;
    let mut chunks = value.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let word = read_word(chunk);
        if word & HIGH_BITS != 0 {
            return push_folded_unicode(text, start, value);
        }
        let lower = ascii_lowercase(word);
        changed_bits |= lower ^ word;
        text.extend_from_slice(&lower.to_le_bytes());
    }
    let tail = word_of(chunks.remainder());
    if tail & HIGH_BITS != 0 {
        return push_folded_unicode(text, start, value);
    }
    let lower = ascii_lowercase(tail);
    changed_bits |= lower ^ tail;
    text.extend_from_slice(&lower.to_le_bytes()[..chunks.remainder().len()]);
    changed_bits != 0
}

/// Replaces what [`push_folded`] wrote after `start` with `value` folded by
/// [`fold_key`], for a value that is not ASCII.
fn push_folded_unicode(text: &mut Vec<u8>, start: usize, value: &str) -> bool {
    text.truncate(start);
    let folded = fold_key(value);
    text.extend_from_slice(folded.as_bytes());
    folded != value
}

/// Hashes a key eight bytes at a time, multiplying as FxHash does. The final
/// mix makes every bit depend on the whole key, because the table takes its
/// bucket from the low bits and a tag from the high bits of the hash's
/// pointer-sized part.
fn hash_key(key: &[u8]) -> u64 {
    // The multiplier of rustc-hash 2.
    const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;
    let mut hash = key.len() as u64;
    let mut chunks = key.chunks_exact(8);
    for chunk in &mut chunks {
        let word = read_word(chunk);
        hash = (hash ^ word).wrapping_mul(MULTIPLIER);
    }
    hash = (hash ^ word_of(chunks.remainder())).wrapping_mul(MULTIPLIER);
    hash ^= hash >> 32;
    hash = hash.wrapping_mul(MULTIPLIER);
    hash ^ (hash >> 29)
}

fn key_of<'t, T>(text: &'t [u8], slot: &Slot<T>) -> &'t [u8] {
    let start = slot.start as usize;
    text.get(start..start + usize::from(slot.key_len)).unwrap_or_default()
}

fn typed_of<'t, T>(text: &'t [u8], slot: &Slot<T>) -> &'t [u8] {
    let start = slot.start as usize + usize::from(slot.key_len);
    text.get(start..start + usize::from(slot.typed_len)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn key_map_finds_stored_keys_only() {
        let mut map = KeyMap::default();
        for index in 0..1000 {
            let key = format!("user{index}@example.com");
            assert!(map.get_or_insert(&key, index).is_none());
        }
        let earlier = map.get_or_insert("User999@Example.com", 0).map(|e| *e.data);
        assert_eq!(earlier, Some(999));
        assert!(map.get_or_insert("user1000@example.com", 1000).is_none());
        assert_eq!(map.table.len(), 1001);
    }

    #[test]
    fn key_map_keeps_value_as_typed() {
        let mut map = KeyMap::default();
        assert!(map.get_or_insert("Aiko.Tanaka", 2).is_none());
        assert!(map.get_or_insert("ben", 3).is_none());
        let aiko = map.get_or_insert("AIKO.TANAKA", 4).map(|e| e.typed);
        assert_eq!(aiko, Some("Aiko.Tanaka"));
        let ben = map.get_or_insert("Ben", 5).map(|e| e.typed);
        assert_eq!(ben, Some("ben"));
    }

    #[test]
    fn known_key_leaves_no_text_behind() {
        let mut map = KeyMap::default();
        assert!(map.get_or_insert("Aiko", 1).is_none());
        let stored = map.text.len();
        assert!(map.get_or_insert("AIKO", 2).is_some());
        assert_eq!(map.text.len(), stored);
    }

    #[test]
    fn non_ascii_keys_fold_to_lowercase() {
        let mut map = KeyMap::default();
        assert!(map.get_or_insert("ÉLODIE@example.com", 1).is_none());
        let earlier = map.get_or_insert("élodie@EXAMPLE.com", 2).map(|e| e.typed);
        assert_eq!(earlier, Some("ÉLODIE@example.com"));
    }

    #[test]
    fn slot_is_sixteen_bytes_with_eight_bytes_of_data() {
        assert_eq!(std::mem::size_of::<Slot<(u32, u32)>>(), 16);
    }

    #[test]
    fn reserve_follows_rate_of_new_keys() {
        let mut empty: KeyMap<u32> = KeyMap::default();
        empty.reserve_for_rows(1_000, 1_000_000);
        assert_eq!(empty.table.capacity(), 0);
        assert_eq!(empty.text.capacity(), 0);

        let mut half: KeyMap<u32> = KeyMap::default();
        for index in 0..500 {
            assert!(half.get_or_insert(&format!("user{index:04}"), index).is_none());
        }
        half.reserve_for_rows(1_000, 1_000_000);
        assert!(half.table.capacity() >= 500 + 500_000);
        assert!(half.table.capacity() < 1_100_000);
        assert!(half.text.capacity() >= 8 * 500_500);
    }

    #[test]
    fn overlong_values_are_not_recorded() {
        let mut map = KeyMap::default();
        let long = format!("{}x", "a".repeat(MAX_TEXT_BYTES));
        assert!(map.get_or_insert(&long, 1).is_none());
        assert!(map.get_or_insert(&long, 2).is_none());
        // U+0130 is two bytes and folds to three, so this key grows past the limit.
        let growing = "\u{130}".repeat(MAX_TEXT_BYTES / 2);
        assert!(map.get_or_insert(&growing, 3).is_none());
        assert!(map.get_or_insert(&growing, 4).is_none());
        assert_eq!(map.table.len(), 0);
        assert!(map.text.is_empty());
    }

    proptest! {
        #[test]
        fn push_folded_matches_fold_key(value in "[ -~]{0,40}|[a-zA-Zé@.]{0,20}") {
            let mut text = b"prefix".to_vec();
            let changed = push_folded(&mut text, &value);
            let folded = fold_key(&value);
            prop_assert_eq!(&text[6..], folded.as_bytes());
            prop_assert_eq!(changed, folded != value);
        }
    }
}
