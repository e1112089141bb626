//! Keys seen earlier in a file, such as folded login ids, with the value as
//! typed and the data recorded for each. Every key is stored in one shared
//! string rather than in an allocation of its own, and a slot of the table is
//! 8 bytes plus the data, so a million-row file needs about a quarter of the
//! memory of a map from `String`. The table stays small to keep the lookup
//! of each row within the processor's caches as long as possible.

use std::hash::BuildHasher;

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// Longest key or typed value stored, in bytes. Longer ones are cut at a
/// character boundary, which is safe for duplicate detection because every
/// validated key is far shorter (an email address has at most 254 characters,
/// so 1,016 bytes).
const MAX_TEXT_BYTES: usize = u16::MAX as usize;

struct Slot<T> {
    /// Offset of the key in the shared string; the value as typed follows
    /// it when it differs.
    start: u32,
    key_len: u16,
    /// Length of the value as typed, or 0 when it equals the key.
    typed_len: u16,
    data: T,
}

/// A key stored earlier, as [`KeyMap::get_or_insert`] returns it.
pub struct Earlier<'m, T> {
    pub data: &'m T,
    /// The value as the earlier row typed it.
    pub typed: &'m str,
}

pub struct KeyMap<T> {
    table: HashTable<Slot<T>>,
    text: String,
    hasher: FxBuildHasher,
}

impl<T> Default for KeyMap<T> {
    fn default() -> Self {
        KeyMap { table: HashTable::new(), text: String::new(), hasher: FxBuildHasher }
    }
}

impl<T> KeyMap<T> {
    /// Folds `typed` with `fold`, and returns what an earlier call stored for
    /// the folded key. Otherwise stores the folded key with `data` and the
    /// value as typed, and returns `None`. `fold` appends the folded value to
    /// the string it is given; the key is folded straight into the shared
    /// string, so a new key is copied once and a known one not at all.
    pub fn get_or_insert(
        &mut self,
        typed: &str,
        fold: impl FnOnce(&mut String, &str),
        data: T,
    ) -> Option<Earlier<'_, T>> {
        let KeyMap { table, text, hasher } = self;
        let start = text.len();
        fold(text, cut(typed));
        let key_end = start + cut(&text[start..]).len();
        let key = &text[start..key_end];
        let hash = hasher.hash_one(key);
        let entry = table.entry(
            hash,
            |slot| key_of(text, slot) == key,
            |slot| hasher.hash_one(key_of(text, slot)),
        );
        match entry {
            Entry::Occupied(entry) => {
                text.truncate(start);
                let slot = entry.into_mut();
                let typed =
                    if slot.typed_len == 0 { key_of(text, slot) } else { typed_of(text, slot) };
                Some(Earlier { data: &slot.data, typed })
            }
            Entry::Vacant(entry) => {
                text.truncate(key_end);
                let typed = cut(typed);
                let typed_len = if typed == &text[start..] {
                    0
                } else {
                    text.push_str(typed);
                    typed.len()
                };
                // `cut` keeps both lengths within u16.
                let key_len = u16::try_from(key_end - start).unwrap_or(u16::MAX);
                let typed_len = u16::try_from(typed_len).unwrap_or(u16::MAX);
                let start = u32::try_from(start).unwrap_or(u32::MAX);
                entry.insert(Slot { start, key_len, typed_len, data });
                None
            }
        }
    }

    /// Number of keys stored.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Makes room for `additional` more keys, and for their text at the
    /// average length of the text stored so far, so that a large file does
    /// not grow the table and the text step by step.
    pub fn reserve(&mut self, additional: usize) {
        let KeyMap { table, text, hasher } = self;
        table.reserve(additional, |slot| hasher.hash_one(key_of(text, slot)));
        let average = text.len() / table.len().max(1);
        text.reserve(additional * average);
    }
}

/// Cuts text to at most [`MAX_TEXT_BYTES`] at a character boundary.
fn cut(value: &str) -> &str {
    if value.len() <= MAX_TEXT_BYTES {
        return value;
    }
    let end = (0..=MAX_TEXT_BYTES).rev().find(|&end| value.is_char_boundary(end)).unwrap_or(0);
    &value[..end]
}

fn key_of<'t, T>(text: &'t str, slot: &Slot<T>) -> &'t str {
    let start = slot.start as usize;
    text.get(start..start + usize::from(slot.key_len)).unwrap_or_default()
}

fn typed_of<'t, T>(text: &'t str, slot: &Slot<T>) -> &'t str {
    let start = slot.start as usize + usize::from(slot.key_len);
    text.get(start..start + usize::from(slot.typed_len)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowercase(text: &mut String, value: &str) {
        text.push_str(&value.to_lowercase());
    }

    #[test]
    fn key_map_finds_stored_keys_only() {
        let mut map = KeyMap::default();
        for index in 0..1000 {
            let key = format!("user{index}@example.com");
            assert!(map.get_or_insert(&key, lowercase, index).is_none());
        }
        let earlier = map.get_or_insert("User999@example.com", lowercase, 0).map(|e| *e.data);
        assert_eq!(earlier, Some(999));
        assert!(map.get_or_insert("user1000@example.com", lowercase, 1000).is_none());
        assert_eq!(map.len(), 1001);
    }

    #[test]
    fn key_map_keeps_value_as_typed() {
        let mut map = KeyMap::default();
        assert!(map.get_or_insert("Aiko.Tanaka", lowercase, 2).is_none());
        assert!(map.get_or_insert("ben", lowercase, 3).is_none());
        let aiko = map.get_or_insert("AIKO.TANAKA", lowercase, 4).map(|e| e.typed);
        assert_eq!(aiko, Some("Aiko.Tanaka"));
        let ben = map.get_or_insert("Ben", lowercase, 5).map(|e| e.typed);
        assert_eq!(ben, Some("ben"));
    }

    #[test]
    fn known_key_leaves_no_text_behind() {
        let mut map = KeyMap::default();
        assert!(map.get_or_insert("Aiko", lowercase, 1).is_none());
        let stored = map.text.len();
        assert!(map.get_or_insert("AIKO", lowercase, 2).is_some());
        assert_eq!(map.text.len(), stored);
    }

    #[test]
    fn slot_is_sixteen_bytes_with_eight_bytes_of_data() {
        assert_eq!(std::mem::size_of::<Slot<(u32, u32)>>(), 16);
    }

    #[test]
    fn overlong_key_is_cut_at_char_boundary() {
        let long = "あ".repeat(30_000);
        let cut = cut(&long);
        assert!(cut.len() <= MAX_TEXT_BYTES);
        assert!(cut.chars().all(|c| c == 'あ'));
    }
}
