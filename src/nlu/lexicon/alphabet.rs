//! One byte per letter for the lexicon's forms: the alphabet of the characters they use.
//!
//! Bulgarian needs about thirty letters, so a form takes half the bytes of its UTF-8. The
//! codes follow the characters' order, so encoded forms sort as the words do. It must not
//! fail on a character it does not know: that one is written out in full behind `ESCAPE`.

/// The code that says a character outside the alphabet follows, as three bytes.
const ESCAPE: u8 = 255;
/// One byte per character: the characters that the forms use, by code point, numbered from
/// 1. A character beyond the 254th, or unknown to the alphabet, is `ESCAPE` and three bytes.
#[derive(Debug, Default, Clone)]
pub(super) struct Alphabet {
    chars: Vec<char>,
    /// Codes of U+0400..U+04FF (Cyrillic), 0 when not in the alphabet: the usual case, fast.
    cyrillic: Vec<u8>,
}

impl Alphabet {
    /// The alphabet of the given characters (any order, repeats allowed).
    pub(super) fn new(chars: impl IntoIterator<Item = char>) -> Alphabet {
        let mut chars: Vec<char> = chars.into_iter().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.truncate(usize::from(ESCAPE - 1));
        let mut cyrillic = vec![0u8; 256];
        for (i, &c) in chars.iter().enumerate() {
            if let Some(slot) = (c as usize).checked_sub(0x400).and_then(|i| cyrillic.get_mut(i)) {
                *slot = i as u8 + 1;
            }
        }
        Alphabet { chars, cyrillic }
    }

    pub(super) fn chars(&self) -> &[char] {
        &self.chars
    }

    /// Writes a word's codes into `out`; returns their number, or `None` if they do not fit.
    pub(super) fn encode(&self, word: &str, out: &mut [u8]) -> Option<usize> {
        let mut n = 0;
        for c in word.chars() {
            let code = match (c as usize).checked_sub(0x400).and_then(|i| self.cyrillic.get(i)) {
                Some(&code) if code != 0 => code,
                _ => match self.chars.binary_search(&c) {
                    Ok(i) => i as u8 + 1,
                    Err(_) => ESCAPE,
                },
            };
            *out.get_mut(n)? = code;
            n += 1;
            if code == ESCAPE {
                for byte in &(c as u32).to_be_bytes()[1..] {
                    *out.get_mut(n)? = *byte;
                    n += 1;
                }
            }
        }
        Some(n)
    }

    /// The word that codes stand for (codes it does not know become U+FFFD).
    pub(super) fn decode(&self, codes: &[u8]) -> String {
        let mut out = String::with_capacity(codes.len() * 2);
        let mut i = 0;
        while i < codes.len() {
            if codes[i] == ESCAPE {
                let bytes = codes.get(i + 1..i + 4).unwrap_or(&[0xff, 0xff, 0xff]);
                let c = u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]);
                out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                i += 4;
            } else {
                out.push(self.chars.get(usize::from(codes[i]).wrapping_sub(1)).copied().unwrap_or('\u{FFFD}'));
                i += 1;
            }
        }
        out
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.chars.capacity() * size_of::<char>() + self.cyrillic.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(alphabet: &Alphabet, word: &str) -> (usize, String) {
        let mut codes = [0u8; 64];
        let n = alphabet.encode(word, &mut codes).unwrap();
        (n, alphabet.decode(&codes[..n]))
    }

    #[test]
    fn known_letters_take_one_byte_and_keep_their_order() {
        let alphabet = Alphabet::new("жилищеа".chars());
        assert_eq!(round_trip(&alphabet, "жилища"), (6, "жилища".to_owned()));
        let (mut a, mut b) = ([0u8; 8], [0u8; 8]);
        alphabet.encode("жа", &mut a).unwrap();
        alphabet.encode("же", &mut b).unwrap();
        assert!(a < b);
    }

    #[test]
    fn other_characters_are_escaped_and_too_long_words_do_not_fit() {
        let alphabet = Alphabet::new("аб".chars());
        assert_eq!(round_trip(&alphabet, "аxб"), (6, "аxб".to_owned()));
        assert_eq!(alphabet.decode(&[ESCAPE, 0, 0x04, 0x36]), "ж");
        assert_eq!(alphabet.decode(&[ESCAPE, 0]), "\u{FFFD}");
        assert_eq!(alphabet.encode("ааа", &mut [0u8; 2]), None);
    }
}
