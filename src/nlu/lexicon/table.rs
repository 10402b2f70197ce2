//! The form-to-lemma table, stored compactly: forms sorted and front-coded in blocks, one
//! byte per letter, with the lemma numbers beside each form.
//!
//! A block holds up to `BLOCK` forms. Its first form is written whole, each next one as the
//! length it shares with the one before, then the rest. A lookup binary-searches the blocks'
//! first forms, then walks one block. Each form is followed by its lemma numbers, written as
//! differences from the number before (neighbouring forms mostly share a lemma, so the
//! difference is 0 and takes one byte).
//!
//! Entry layout: a byte whose high half is the shared length and low half the rest's length
//! (15 in a half means a full byte with the length follows, shared first), the rest's bytes,
//! then one LEB128 number per lemma: `zigzag(difference) << 1 | another-lemma-follows`.
//!
//! This module must not know Hunspell: it takes (form, lemma) pairs, however they were made.
//! It never panics on its own bytes, even read back from a damaged cache: a lookup that
//! meets a byte it cannot read finds nothing.

use std::cmp::Ordering;

pub(super) use super::alphabet::Alphabet;
use super::filter::Filter;

/// Forms per block: a walk reads at most this many entries.
const BLOCK: usize = 16;
/// The longest encoded form kept (the shared and rest lengths fit a byte).
pub(super) const MAX_FORM_BYTES: usize = 255;

/// The lemmas, numbered in alphabetical order, as one string and where each one ends.
#[derive(Debug, Default)]
pub(super) struct LemmaStore {
    pub(super) text: String,
    pub(super) ends: Vec<u32>,
}

impl LemmaStore {
    /// Builds the store from lemmas sorted and without repeats.
    pub(super) fn from_sorted<'a>(lemmas: impl IntoIterator<Item = &'a str>) -> LemmaStore {
        let mut store = LemmaStore::default();
        for lemma in lemmas {
            store.text.push_str(lemma);
            store.ends.push(store.text.len() as u32);
        }
        store.text.shrink_to_fit();
        store.ends.shrink_to_fit();
        store
    }

    pub(super) fn get(&self, id: u32) -> Option<&str> {
        let id = id as usize;
        let end = *self.ends.get(id)? as usize;
        let start = if id == 0 { 0 } else { *self.ends.get(id - 1)? as usize };
        self.text.get(start..end)
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }
}

/// Forms and their lemma numbers, front-coded in sorted blocks.
#[derive(Debug, Default)]
pub(super) struct FormTable {
    pub(super) alphabet: Alphabet,
    pub(super) bytes: Vec<u8>,
    /// Where each block starts in `bytes`.
    pub(super) blocks: Vec<u32>,
    pub(super) forms: u32,
    /// Refuses most unknown forms before the search (see `filter`); built by `with_filter`.
    pub(super) filter: Filter,
}

impl FormTable {
    /// The lemma numbers of a form, or `None` if the table does not have it.
    pub(super) fn find(&self, form: &str) -> Option<LemmaIds<'_>> {
        let mut key = [0u8; MAX_FORM_BYTES + 4];
        let n = self.alphabet.encode(form, &mut key)?;
        let key = key.get(..n).filter(|k| k.len() <= MAX_FORM_BYTES)?;
        if !self.filter.may_contain(key) {
            return None;
        }
        // The last block whose first form is not after the key.
        let after = self.blocks.partition_point(|&start| self.first_form(start as usize).is_some_and(|f| f <= key));
        let block = after.checked_sub(1)?;
        let mut entries = Entries::new(self, block);
        while let Some(entry) = entries.next() {
            match entries.form().cmp(key) {
                Ordering::Less => {}
                Ordering::Equal => return Some(entry),
                Ordering::Greater => return None,
            }
        }
        None
    }

    /// Calls `visit` with every form, in the table's order, and its lemma numbers.
    pub(super) fn for_each(&self, mut visit: impl FnMut(&[u8], LemmaIds<'_>)) {
        for block in 0..self.blocks.len() {
            let mut entries = Entries::new(self, block);
            while let Some(ids) = entries.next() {
                visit(entries.form(), ids);
            }
        }
    }

    fn first_form(&self, start: usize) -> Option<&[u8]> {
        let (_, rest, at) = read_lengths(&self.bytes, start)?;
        self.bytes.get(at..at + rest)
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.alphabet.heap_bytes() + self.bytes.capacity() + self.blocks.capacity() * 4 + self.filter.heap_bytes()
    }

    /// The table with its filter built over every form.
    pub(super) fn with_filter(mut self) -> FormTable {
        let filter = Filter::build(self.forms as usize, |put| self.for_each(|form, _| put(form)));
        self.filter = filter;
        self
    }

    /// Checks what a lookup relies on, for a table read back from a file: blocks in order,
    /// inside the bytes.
    pub(super) fn is_sound(&self) -> bool {
        self.blocks.windows(2).all(|w| w[0] < w[1])
            && self.blocks.last().is_none_or(|&last| (last as usize) < self.bytes.len())
            && self.blocks.first().is_none_or(|&first| first == 0)
    }
}

/// Walks the entries of one block, rebuilding each form from the one before.
struct Entries<'t> {
    bytes: &'t [u8],
    at: usize,
    end: usize,
    form: [u8; MAX_FORM_BYTES],
    len: usize,
    last_id: u32,
}

impl<'t> Entries<'t> {
    fn new(table: &'t FormTable, block: usize) -> Entries<'t> {
        let start = table.blocks.get(block).map_or(usize::MAX, |&s| s as usize);
        let end = table.blocks.get(block + 1).map_or(table.bytes.len(), |&e| e as usize);
        Entries { bytes: &table.bytes, at: start, end, form: [0; MAX_FORM_BYTES], len: 0, last_id: 0 }
    }

    /// Reads the next entry; its form is then `form()`, and it returns its lemma numbers.
    fn next(&mut self) -> Option<LemmaIds<'t>> {
        if self.at >= self.end {
            return None;
        }
        let (shared, rest, at) = read_lengths(self.bytes, self.at)?;
        let suffix = self.bytes.get(at..at + rest)?;
        if shared > self.len || shared + rest > MAX_FORM_BYTES {
            return None;
        }
        self.form[shared..shared + rest].copy_from_slice(suffix);
        self.len = shared + rest;
        let ids = LemmaIds { bytes: self.bytes.get(at + rest..self.end)?, last: self.last_id, done: false };
        // Skip the lemma numbers, keeping the last one: the next entry counts from it.
        let mut skip = ids.clone();
        for id in skip.by_ref() {
            self.last_id = id;
        }
        self.at = self.end - skip.bytes.len();
        Some(ids)
    }

    fn form(&self) -> &[u8] {
        &self.form[..self.len]
    }
}

fn read_lengths(bytes: &[u8], at: usize) -> Option<(usize, usize, usize)> {
    let head = *bytes.get(at)?;
    let mut at = at + 1;
    let mut half = |nibble: u8| {
        if nibble < 15 {
            Some(usize::from(nibble))
        } else {
            at += 1;
            bytes.get(at - 1).map(|&b| usize::from(b))
        }
    };
    let shared = half(head >> 4)?;
    let rest = half(head & 15)?;
    Some((shared, rest, at))
}

/// The lemma numbers of one form, read as they are iterated.
#[derive(Debug, Clone)]
pub(super) struct LemmaIds<'t> {
    bytes: &'t [u8],
    last: u32,
    done: bool,
}

impl Iterator for LemmaIds<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.done {
            return None;
        }
        let mut value: u64 = 0;
        let mut shift = 0;
        loop {
            let Some((&byte, rest)) = self.bytes.split_first() else {
                self.done = true;
                return None;
            };
            self.bytes = rest;
            value |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
            if shift > 56 {
                self.done = true;
                return None;
            }
        }
        self.done = value & 1 == 0;
        let zigzag = value >> 1;
        let difference = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
        self.last = (i64::from(self.last) + difference) as u32;
        Some(self.last)
    }
}

/// Gathers (form, lemma) pairs, then sorts them into a `FormTable`.
pub(super) struct TableBuilder {
    alphabet: Alphabet,
    /// The encoded forms, one after the other.
    arena: Vec<u8>,
    pairs: Vec<Pair>,
    /// Forms left out for being longer than `MAX_FORM_BYTES` once encoded.
    pub(super) too_long: usize,
}

#[derive(Clone, Copy)]
struct Pair {
    start: u32,
    len: u8,
    lemma: u32,
}

impl TableBuilder {
    pub(super) fn new(alphabet: Alphabet) -> TableBuilder {
        TableBuilder { alphabet, arena: Vec::new(), pairs: Vec::new(), too_long: 0 }
    }

    pub(super) fn add(&mut self, form: &str, lemma: u32) {
        let mut codes = [0u8; MAX_FORM_BYTES + 4];
        match self.alphabet.encode(form, &mut codes) {
            Some(len) if len <= MAX_FORM_BYTES => {
                self.pairs.push(Pair { start: self.arena.len() as u32, len: len as u8, lemma });
                self.arena.extend_from_slice(&codes[..len]);
            }
            _ => self.too_long += 1,
        }
    }

    /// Sorts the pairs and writes the table. `order` puts the lemmas of a form that has
    /// several in the order that lookups give them.
    pub(super) fn finish(mut self, mut order: impl FnMut(&str, &mut [u32])) -> FormTable {
        let arena = &self.arena;
        let codes = |p: &Pair| &arena[p.start as usize..p.start as usize + usize::from(p.len)];
        self.pairs.sort_unstable_by(|a, b| codes(a).cmp(codes(b)).then(a.lemma.cmp(&b.lemma)));
        let mut table = FormTable { alphabet: self.alphabet.clone(), ..FormTable::default() };
        table.bytes.reserve(self.pairs.len() * 6);
        let mut previous: &[u8] = &[];
        let mut last_id = 0u32;
        let mut lemmas: Vec<u32> = Vec::new();
        let mut i = 0;
        while i < self.pairs.len() {
            let form = codes(&self.pairs[i]);
            lemmas.clear();
            while i < self.pairs.len() && codes(&self.pairs[i]) == form {
                if lemmas.last() != Some(&self.pairs[i].lemma) {
                    lemmas.push(self.pairs[i].lemma);
                }
                i += 1;
            }
            if lemmas.len() > 1 {
                order(&self.alphabet.decode(form), &mut lemmas);
            }
            let shared = if (table.forms as usize).is_multiple_of(BLOCK) {
                table.blocks.push(table.bytes.len() as u32);
                last_id = 0;
                0
            } else {
                previous.iter().zip(form).take_while(|(a, b)| a == b).count()
            };
            write_entry(&mut table.bytes, shared, &form[shared..], &lemmas, &mut last_id);
            table.forms += 1;
            previous = form;
        }
        table.bytes.shrink_to_fit();
        table.blocks.shrink_to_fit();
        table.with_filter()
    }
}

fn write_entry(out: &mut Vec<u8>, shared: usize, rest: &[u8], lemmas: &[u32], last_id: &mut u32) {
    let nibble = |n: usize| n.min(15) as u8;
    out.push((nibble(shared) << 4) | nibble(rest.len()));
    for n in [shared, rest.len()] {
        if n >= 15 {
            out.push(n as u8);
        }
    }
    out.extend_from_slice(rest);
    for (k, &id) in lemmas.iter().enumerate() {
        let difference = i64::from(id) - i64::from(*last_id);
        let zigzag = ((difference << 1) ^ (difference >> 63)) as u64;
        let mut value = (zigzag << 1) | u64::from(k + 1 < lemmas.len());
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
        *last_id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(pairs: &[(&str, u32)]) -> FormTable {
        let alphabet = Alphabet::new(pairs.iter().flat_map(|(f, _)| f.chars()).filter(|&c| c != 'ж'));
        let mut builder = TableBuilder::new(alphabet);
        for &(form, lemma) in pairs {
            builder.add(form, lemma);
        }
        builder.finish(|_, lemmas| lemmas.reverse())
    }

    fn ids(table: &FormTable, form: &str) -> Option<Vec<u32>> {
        table.find(form).map(Iterator::collect)
    }

    #[test]
    fn every_form_is_found_across_blocks_and_others_are_not() {
        let words: Vec<String> = (0..200).map(|i| format!("дума{i:03}")).collect();
        let pairs: Vec<(&str, u32)> =
            words.iter().enumerate().map(|(i, w)| (w.as_str(), (i * 37 % 101) as u32)).collect();
        let table = table(&pairs);
        assert_eq!(table.forms, 200);
        assert!(table.blocks.len() > 10);
        for &(form, lemma) in &pairs {
            assert_eq!(ids(&table, form), Some(vec![lemma]), "{form}");
        }
        for missing in ["", "д", "дума", "дума0", "дума2000", "дума199а", "а", "яяя", "word"] {
            assert_eq!(ids(&table, missing), None, "{missing}");
        }
    }

    #[test]
    fn a_form_keeps_all_its_lemmas_once_each_in_the_given_order() {
        let table = table(&[("вили", 3), ("вили", 1), ("вили", 3), ("вила", 1), ("вили", 2)]);
        assert_eq!(table.forms, 2);
        assert_eq!(ids(&table, "вили"), Some(vec![3, 2, 1]));
        assert_eq!(ids(&table, "вила"), Some(vec![1]));
    }

    #[test]
    fn characters_outside_the_alphabet_and_long_forms_are_kept() {
        let long = "я".repeat(40);
        let table = table(&[("жена", 7), ("x-ray", 8), (long.as_str(), 9)]);
        assert_eq!(ids(&table, "жена"), Some(vec![7]));
        assert_eq!(ids(&table, "x-ray"), Some(vec![8]));
        assert_eq!(ids(&table, &long), Some(vec![9]));
    }

    #[test]
    fn damaged_bytes_find_nothing_instead_of_panicking() {
        let words: Vec<String> = (0..100).map(|i| format!("форма{i}")).collect();
        let pairs: Vec<(&str, u32)> = words.iter().map(|w| (w.as_str(), 1)).collect();
        let mut table = table(&pairs);
        for b in table.bytes.iter_mut().skip(3).step_by(7) {
            *b = b.wrapping_mul(31).wrapping_add(200);
        }
        for word in &words {
            let _ = ids(&table, word);
        }
        table.bytes.truncate(10);
        let _ = ids(&table, "форма99");
    }
}
