//! A Bloom filter over the table's forms, so that a form the table does not have is
//! usually refused without a walk. Reading a Latin-typed word tries up to hundreds of
//! Cyrillic spellings, nearly all of them unknown: each costs a hash and a few bit tests
//! instead of a binary search and a block walk.
//!
//! About 10 bits a form and 7 probes: about 1% of unknown forms still walk. Built from the
//! table at load (it is not stored in the cache file, which stays as it was).

/// Bits per form.
const BITS_PER_FORM: usize = 10;
/// Probes per form.
const PROBES: u64 = 7;

#[derive(Debug, Default)]
pub(super) struct Filter {
    words: Vec<u64>,
}

impl Filter {
    /// A filter for `forms` encoded forms, given by `each`.
    pub(super) fn build(forms: usize, each: impl FnOnce(&mut dyn FnMut(&[u8]))) -> Filter {
        let words = (forms * BITS_PER_FORM).div_ceil(64).max(1);
        let mut filter = Filter { words: vec![0; words] };
        each(&mut |form| {
            for bit in filter.probes(form) {
                filter.words[bit / 64] |= 1 << (bit % 64);
            }
        });
        filter
    }

    /// Whether the form may be in the table; an empty filter (none built) says yes.
    pub(super) fn may_contain(&self, form: &[u8]) -> bool {
        self.words.is_empty() || self.probes(form).all(|bit| self.words[bit / 64] & (1 << (bit % 64)) != 0)
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }

    /// The bits of a form: double hashing over one 64-bit FNV-1a hash.
    fn probes(&self, form: &[u8]) -> impl Iterator<Item = usize> + use<> {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in form {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // Mix the high bits down, so that the second hash differs from the first.
        let h1 = h ^ (h >> 29);
        let h2 = h.rotate_left(31).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let bits = (self.words.len() * 64) as u128;
        (0..PROBES).map(move |i| ((u128::from(h1.wrapping_add(i.wrapping_mul(h2))) * bits) >> 64) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_put_in_is_found_and_most_others_are_refused() {
        let forms: Vec<Vec<u8>> = (0..20_000u32).map(|i| format!("форма{i}").into_bytes()).collect();
        let filter = Filter::build(forms.len(), |put| forms.iter().for_each(|f| put(f)));
        assert!(forms.iter().all(|f| filter.may_contain(f)));
        let wrong = (0..20_000u32).filter(|i| filter.may_contain(format!("друга{i}").as_bytes())).count();
        assert!(wrong < 600, "{wrong} of 20000 unknown forms passed (about 1% expected)");
    }

    #[test]
    fn an_empty_filter_refuses_nothing() {
        assert!(Filter::default().may_contain(b"anything"));
    }
}
