//! Reading Latin-typed Bulgarian ("shlyokavitsa") as Cyrillic.
//!
//! This module owns the table of how people type Bulgarian letters on a Latin keyboard
//! (BULGARIAN.md, section 1) and turns one Latin token into the Cyrillic spellings it may
//! stand for, most likely first. A token is read as a lattice: at each position, every
//! letter sequence that may start there (joined, like `zh` as ж, or split, like `z` + `h`
//! as з + х) and every option of an ambiguous letter (`u` as у or ъ) is one way on.
//!
//! It must not decide which spelling is meant, nor whether the token is English: that needs
//! the lexicons, which live elsewhere. It expects a lowercase token from `normalize::tokens`.

/// The longest token, in characters, read as a lattice; longer ones get the greedy reading.
const MAX_LATTICE_CHARS: usize = 24;

/// A letter sequence read as one Cyrillic letter (or as ия at the end of a word).
struct Sequence {
    latin: &'static str,
    cyrillic: &'static str,
    /// How unlikely this reading is: 0 for the reading taken first.
    cost: u8,
    /// Whether the sequence is an official digraph, read greedily: reading it any other way
    /// costs one more.
    official: bool,
    /// Whether the sequence is read this way only at the end of the token.
    at_end: bool,
}

const fn seq(latin: &'static str, cyrillic: &'static str, cost: u8, official: bool, at_end: bool) -> Sequence {
    Sequence { latin, cyrillic, cost, official, at_end }
}

/// The sequences of the table, longest first among those that start alike.
const SEQUENCES: &[Sequence] = &[
    seq("iya", "ия", 0, true, true),
    seq("ija", "ия", 0, true, true),
    seq("iq", "ия", 0, true, true),
    seq("ia", "ия", 0, true, true),
    seq("sht", "щ", 0, true, false),
    seq("6t", "щ", 0, true, false),
    seq("zh", "ж", 0, true, false),
    seq("ch", "ч", 0, true, false),
    seq("sh", "ш", 0, true, false),
    seq("ts", "ц", 0, true, false),
    seq("kh", "х", 0, true, false),
    seq("ya", "я", 0, true, false),
    seq("yu", "ю", 0, true, false),
    // Common but not official, and each also a frequent pair of letters (жа, иа, отзад).
    seq("ja", "я", 1, false, false),
    seq("ju", "ю", 1, false, false),
    seq("ia", "я", 1, false, false),
    seq("iu", "ю", 1, false, false),
    seq("tz", "ц", 1, false, false),
    seq("st", "щ", 3, false, false),
];

/// Returns the Cyrillic readings of one typed character, with their costs, most likely first.
/// `dj` and `dzh` need no sequence of their own: д + ж reads them already.
fn letter_options(c: char) -> &'static [(&'static str, u8)] {
    match c {
        'a' => &[("а", 0), ("ъ", 1)],
        'b' => &[("б", 0)],
        'c' => &[("ц", 0), ("к", 1), ("с", 2), ("ч", 2)],
        'd' => &[("д", 0)],
        'e' => &[("е", 0)],
        'f' => &[("ф", 0)],
        'g' => &[("г", 0)],
        'h' => &[("х", 0)],
        'i' => &[("и", 0), ("й", 1)],
        'j' => &[("ж", 0), ("й", 1), ("дж", 2), ("ь", 3)],
        'k' => &[("к", 0)],
        'l' => &[("л", 0)],
        'm' => &[("м", 0)],
        'n' => &[("н", 0)],
        'o' => &[("о", 0)],
        'p' => &[("п", 0)],
        'q' => &[("я", 0)],
        'r' => &[("р", 0)],
        's' => &[("с", 0), ("ш", 2)],
        't' => &[("т", 0)],
        'u' => &[("у", 0), ("ъ", 1)],
        'v' => &[("в", 0)],
        'w' => &[("в", 0), ("ш", 2)],
        'x' => &[("х", 0), ("кс", 1)],
        'y' => &[("ъ", 0), ("й", 1), ("и", 1), ("ь", 2)],
        'z' => &[("з", 0), ("ж", 2)],
        '4' => &[("ч", 0)],
        '6' => &[("ш", 0)],
        '1' => &[("ъ", 0)],
        '`' => &[("ъ", 0)],
        '\'' => &[("ь", 0), ("", 1)],
        'č' => &[("ч", 0)],
        'š' => &[("ш", 0)],
        'ž' => &[("ж", 0)],
        _ => &[],
    }
}

/// What one step through the lattice writes.
#[derive(Clone, Copy)]
enum Spelling {
    Cyrillic(&'static str),
    /// A character the table does not know, kept as typed.
    Kept(char),
}

/// One way to read the characters starting at a position.
#[derive(Clone, Copy)]
struct Reading {
    /// How many typed characters it consumes.
    len: usize,
    spelling: Spelling,
    cost: u8,
    official: bool,
}

/// Returns all plausible Cyrillic spellings of a Latin-typed token, most likely first, at
/// most `limit` of them, without duplicates.
///
/// The official digraph readings and the most common letter options come first, so the
/// first candidate is always `greedy(token)`. A token without letters ("94") is its own
/// only candidate: digits are read as letters only inside a word. A token longer than 24
/// characters gets only its greedy reading.
pub(crate) fn candidates(token: &str, limit: usize) -> Vec<String> {
    if limit == 0 {
        return Vec::new();
    }
    let chars = lowercase_chars(token);
    if !chars.iter().any(|c| c.is_alphabetic()) {
        return vec![token.to_owned()];
    }
    if chars.len() > MAX_LATTICE_CHARS {
        return vec![greedy(token)];
    }
    Lattice::build(&chars).spellings(limit)
}

/// Returns the single most likely Cyrillic reading of a Latin-typed token: official
/// digraphs read greedily, then a as а, u as у, y as ъ, j as ж, c as ц, q as я, 4 as ч,
/// 6 as ш, w as в and x as х. A token without letters comes back unchanged.
pub(crate) fn greedy(token: &str) -> String {
    let chars = lowercase_chars(token);
    if !chars.iter().any(|c| c.is_alphabetic()) {
        return token.to_owned();
    }
    let mut out = String::with_capacity(chars.len() * 2);
    let mut readings = Vec::new();
    let mut position = 0;
    while position < chars.len() {
        readings_at(&chars, position, &mut readings);
        // There is always a reading: a character the table lacks is kept as typed.
        let Some(best) = readings.first() else { break };
        best.spelling.write_to(&mut out);
        position += best.len.max(1);
    }
    out
}

fn lowercase_chars(token: &str) -> Vec<char> {
    token.chars().flat_map(char::to_lowercase).collect()
}

/// Fills `readings` with every way to read the characters from `position` on, cheapest
/// first (in table order among equals); only the first costs nothing.
fn readings_at(chars: &[char], position: usize, readings: &mut Vec<Reading>) {
    readings.clear();
    let rest = &chars[position..];
    let mut longest_official = 0;
    for sequence in SEQUENCES {
        let len = sequence.latin.chars().count();
        let matches = rest.len() >= len && sequence.latin.chars().zip(rest).all(|(a, &b)| a == b);
        if !matches || (sequence.at_end && len != rest.len()) {
            continue;
        }
        readings.push(Reading {
            len,
            spelling: Spelling::Cyrillic(sequence.cyrillic),
            cost: sequence.cost,
            official: sequence.official,
        });
        if sequence.official {
            longest_official = longest_official.max(len);
        }
    }
    let c = rest[0];
    let options = letter_options(c);
    if options.is_empty() {
        readings.push(Reading { len: 1, spelling: Spelling::Kept(c), cost: 0, official: false });
    }
    for &(cyrillic, cost) in options {
        readings.push(Reading { len: 1, spelling: Spelling::Cyrillic(cyrillic), cost, official: false });
    }
    // Where an official digraph starts, taking its letters apart is the less likely reading.
    if longest_official > 0 {
        for reading in readings.iter_mut() {
            if !(reading.official && reading.len == longest_official) {
                reading.cost += 1;
            }
        }
    }
    readings.sort_by_key(|reading| reading.cost);
    // Exactly one reading costs nothing, the greedy one: the lattice relies on it.
    for reading in readings.iter_mut().skip(1) {
        reading.cost = reading.cost.max(1);
    }
}

impl Spelling {
    fn write_to(self, out: &mut String) {
        match self {
            Spelling::Cyrillic(text) => out.push_str(text),
            Spelling::Kept(c) => out.push(c),
        }
    }
}

/// Every reading of every position of one token.
struct Lattice {
    readings: Vec<Reading>,
    /// Where each position's readings start in `readings`; one more entry closes the last.
    starts: Vec<usize>,
    /// For each position, bit `k` is set when the rest of the token can be read at cost `k`.
    reachable: Vec<u128>,
    /// For each position, the only reading of the rest of the token that costs nothing.
    free_tails: Vec<String>,
}

impl Lattice {
    fn build(chars: &[char]) -> Lattice {
        let mut readings = Vec::with_capacity(chars.len() * 4);
        let mut starts = Vec::with_capacity(chars.len() + 1);
        let mut scratch = Vec::new();
        for position in 0..chars.len() {
            starts.push(readings.len());
            readings_at(chars, position, &mut scratch);
            readings.extend_from_slice(&scratch);
        }
        starts.push(readings.len());

        let mut reachable = vec![0u128; chars.len() + 1];
        reachable[chars.len()] = 1;
        for position in (0..chars.len()).rev() {
            let mut costs = 0;
            for reading in &readings[starts[position]..starts[position + 1]] {
                // Costs are small and tokens short, so the sum stays well under 128 bits.
                costs |= reachable[position + reading.len] << u32::from(reading.cost);
            }
            reachable[position] = costs;
        }

        // Each position has exactly one reading of cost 0 (sorted first), so the free way to
        // the end is unique, and the walk can write it at once instead of step by step.
        let mut free_tails = vec![String::new(); chars.len() + 1];
        for position in (0..chars.len()).rev() {
            let first = readings[starts[position]];
            let mut tail = String::new();
            first.spelling.write_to(&mut tail);
            tail.push_str(&free_tails[position + first.len]);
            free_tails[position] = tail;
        }
        Lattice { readings, starts, reachable, free_tails }
    }

    fn at(&self, position: usize) -> &[Reading] {
        &self.readings[self.starts[position]..self.starts[position + 1]]
    }

    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Returns up to `limit` distinct spellings, cheapest first: all spellings of cost 0,
    /// then of cost 1, and so on.
    fn spellings(&self, limit: usize) -> Vec<String> {
        let mut found = Found::new(limit);
        let mut spelling = String::with_capacity(self.len() * 4);
        for cost in 0..u128::BITS {
            if (self.reachable[0] >> cost) & 1 == 1 && self.walk(0, cost, &mut spelling, &mut found) {
                break;
            }
        }
        found.spellings
    }

    /// Writes every spelling of the rest of the token from `position` that costs exactly
    /// `budget`; returns true once `found` is full.
    fn walk(&self, position: usize, budget: u32, spelling: &mut String, found: &mut Found) -> bool {
        if budget == 0 {
            let mark = spelling.len();
            spelling.push_str(&self.free_tails[position]);
            let full = found.offer(spelling);
            spelling.truncate(mark);
            return full;
        }
        if position >= self.len() {
            return false;
        }
        for reading in self.at(position) {
            let cost = u32::from(reading.cost);
            if cost > budget {
                break;
            }
            let rest = budget - cost;
            // Only go where the rest of the token can be read at exactly the cost left,
            // so no step is wasted on a path that ends nowhere.
            if (self.reachable[position + reading.len] >> rest) & 1 == 0 {
                continue;
            }
            let mark = spelling.len();
            reading.spelling.write_to(spelling);
            let full = self.walk(position + reading.len, rest, spelling, found);
            spelling.truncate(mark);
            if full {
                return true;
            }
        }
        false
    }
}

/// The spellings found so far, in order, without duplicates.
///
/// A small open-addressing table of indices into `spellings` stands in for a `HashSet`, so
/// each spelling is allocated once and hashed cheaply: this is the hot loop of the lattice.
struct Found {
    spellings: Vec<String>,
    /// Each slot holds 0 (empty) or one more than an index into `spellings`.
    slots: Vec<usize>,
    limit: usize,
}

impl Found {
    fn new(limit: usize) -> Found {
        Found { spellings: Vec::new(), slots: vec![0; 64], limit }
    }

    /// Keeps a spelling unless it is already there; returns true once the limit is reached.
    fn offer(&mut self, spelling: &str) -> bool {
        if self.spellings.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut slot = hash(spelling) as usize & mask;
        loop {
            match self.slots[slot] {
                0 => {
                    self.spellings.push(spelling.to_owned());
                    self.slots[slot] = self.spellings.len();
                    break;
                }
                index if self.spellings[index - 1] == spelling => break,
                _ => slot = (slot + 1) & mask,
            }
        }
        self.spellings.len() >= self.limit
    }

    /// Doubles the table, keeping it at most half full so that probes stay short.
    fn grow(&mut self) {
        self.slots = vec![0; self.slots.len() * 2];
        let mask = self.slots.len() - 1;
        for (index, spelling) in self.spellings.iter().enumerate() {
            let mut slot = hash(spelling) as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = index + 1;
        }
    }
}

/// A fast hash of a string (FxHash's mixing, eight bytes at a time), folded so that its
/// low bits, which pick the slot, depend on every byte.
fn hash(text: &str) -> u64 {
    const SEED: u64 = 0x517c_c1b7_2722_0a95;
    let mut hash: u64 = text.len() as u64;
    for chunk in text.as_bytes().chunks(8) {
        let word = chunk.iter().fold(0u64, |word, &byte| (word << 8) | u64::from(byte));
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
    hash ^ (hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn has(token: &str, expected: &str) -> bool {
        candidates(token, 2000).iter().any(|c| c == expected)
    }

    #[test]
    fn latin_typed_kude_reads_as_kade() {
        assert!(has("kude", "къде"));
    }

    #[test]
    fn registraciya_reads_as_registratsiya_first() {
        assert_eq!(candidates("registraciya", 2000)[0], "регистрация");
    }

    #[test]
    fn izhod_keeps_the_split_reading_of_zh() {
        assert!(has("izhod", "изход"));
        assert!(has("izhod", "ижод"));
    }

    #[test]
    fn otstapka_keeps_the_split_reading_of_ts() {
        assert!(has("otstapka", "отстъпка"));
    }

    #[test]
    fn digits_inside_words_read_as_letters() {
        assert_eq!(greedy("li4en"), "личен");
        assert_eq!(candidates("li4en", 10)[0], "личен");
        assert!(has("6ofyor", "шофьор"));
        assert_eq!(greedy("6tastie"), "щастие");
        assert!(has("b1lgariq", "българия"));
    }

    #[test]
    fn q_reads_as_ya() {
        assert_eq!(greedy("kupq"), "купя");
        assert_eq!(candidates("kupq", 5)[0], "купя");
    }

    #[test]
    fn sht_reads_as_one_letter() {
        assert!(has("obshtinsko", "общинско"));
        assert_eq!(greedy("obshtinsko"), "общинско");
    }

    #[test]
    fn bylgaria_reads_as_balgariya() {
        assert!(has("bylgaria", "българия"));
        assert_eq!(greedy("bylgaria"), "българия");
        assert_eq!(greedy("sofia"), "софия");
        assert!(has("b`lgaria", "българия"));
    }

    #[test]
    fn a_number_is_its_own_only_candidate() {
        assert_eq!(candidates("94", 2000), vec!["94"]);
        assert_eq!(candidates("4", 2000), vec!["4"]);
        assert_eq!(greedy("6"), "6");
    }

    #[test]
    fn candidates_are_distinct_and_within_the_limit() {
        let all = candidates("registraciya", 2000);
        let distinct: HashSet<&String> = all.iter().collect();
        assert_eq!(distinct.len(), all.len());
        assert_eq!(candidates("registraciya", 7).len(), 7);
        assert!(candidates("kude", 0).is_empty());
    }

    #[test]
    fn the_first_candidate_is_the_greedy_reading() {
        for token in ["kude", "izhod", "shema", "tzentar", "jena", "socialna", "iskam", "x"] {
            assert_eq!(candidates(token, 100)[0], greedy(token), "{token}");
        }
    }

    #[test]
    fn cheaper_readings_come_first() {
        let all = candidates("kushta", 2000);
        let position = |s: &str| all.iter().position(|c| c == s);
        assert_eq!(position("куща"), Some(0));
        assert!(position("къща").is_some());
        assert!(position("къща") < position("къшта"));
    }

    #[test]
    fn characters_outside_the_table_are_kept() {
        assert_eq!(greedy("ko2ka"), "ко2ка");
        assert_eq!(greedy("bъlgaria"), "българия");
        assert_eq!(greedy("KUPQ"), "купя");
    }

    #[test]
    fn huge_tokens_do_not_blow_up() {
        let long = "shtshtchyayuiaqcxwjy".repeat(5000);
        assert_eq!(candidates(&long, 2000).len(), 1);
        let worst = "cyjcyjcyjcyjcyjcyjcyjcyj";
        assert_eq!(worst.chars().count(), MAX_LATTICE_CHARS);
        assert_eq!(candidates(worst, 2000).len(), 2000);
        assert!(candidates("🚌🚌", 5).len() == 1);
    }
}
