//! Keys seen earlier in a file, such as folded login ids, with the data
//! recorded for each. Every key is stored in one shared string rather than in an
//! allocation of its own, which on a million-row file saves about half the
//! memory of a map from `String`.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// Location of a piece of text in the shared string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRange {
    start: u32,
    len: u32,
}

struct Slot<T> {
    key: TextRange,
    data: T,
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
    /// Returns what was stored for `key`.
    pub fn get(&self, key: &str) -> Option<&T> {
        let hash = self.hasher.hash_one(key);
        let text = &self.text;
        self.table.find(hash, |slot| slice(text, slot.key) == key).map(|slot| &slot.data)
    }

    /// Stores `data` for a key that [`KeyMap::get`] did not find.
    pub fn insert_new(&mut self, key: &str, data: T) {
        let hash = self.hasher.hash_one(key);
        let range = self.push_text(key);
        let KeyMap { table, text, hasher } = self;
        table.insert_unique(hash, Slot { key: range, data }, |slot| {
            hasher.hash_one(slice(text, slot.key))
        });
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
        table.reserve(additional, |slot| hasher.hash_one(slice(text, slot.key)));
        let average = text.len() / table.len().max(1);
        text.reserve(additional * average);
    }

    /// Stores a piece of text, such as a value as typed, and returns where it is.
    pub fn push_text(&mut self, value: &str) -> TextRange {
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(value);
        TextRange { start, len: u32::try_from(value.len()).unwrap_or(0) }
    }

    /// Returns text stored by [`KeyMap::push_text`].
    pub fn text(&self, range: TextRange) -> &str {
        slice(&self.text, range)
    }
}

fn slice(text: &str, range: TextRange) -> &str {
    let start = range.start as usize;
    text.get(start..start + range.len as usize).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_map_finds_stored_keys_only() {
        let mut map = KeyMap::default();
        for index in 0..1000 {
            let key = format!("user{index}@example.com");
            assert!(map.get(&key).is_none());
            map.insert_new(&key, index);
        }
        assert_eq!(map.get("user999@example.com"), Some(&999));
        assert_eq!(map.get("user1000@example.com"), None);
    }

    #[test]
    fn key_map_keeps_pushed_text() {
        let mut map: KeyMap<()> = KeyMap::default();
        let range = map.push_text("Aiko.Tanaka");
        map.insert_new("aiko.tanaka", ());
        assert_eq!(map.text(range), "Aiko.Tanaka");
    }
}
