//! Cleaning up a citizen's message before anything tries to understand it.
//!
//! This module owns the text clean-up that every later step relies on: Unicode composition,
//! case, invisible and control characters, stress marks, Russian-keyboard letters, Latin
//! look-alike letters inside Cyrillic words, quotes, punctuation and spacing. It also tells
//! which script a token or a whole text is written in.
//!
//! It must not guess meaning: it does not read Latin-typed Bulgarian as Cyrillic (that is
//! `translit`), does not stem (that is `stem`), and drops no word, not even a stop word.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The script a token or a text is written in, judged by its letters alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// Cyrillic letters and no Latin ones.
    Cyrillic,
    /// Latin letters and no Cyrillic ones.
    Latin,
    /// Both Cyrillic and Latin letters.
    Mixed,
    /// No Cyrillic or Latin letter at all: numbers, emoji, other alphabets, or nothing.
    None,
}

/// Returns the message in the one form the rest of the classifier matches against.
///
/// The result is NFC and lowercase; control, zero-width and bidi characters are gone;
/// Cyrillic words lose their stress marks (й stays й), ѝ becomes и, the Russian-keyboard
/// letters ы, э, ё become и, е, йо, and Latin look-alike letters inside a Cyrillic word
/// become their Cyrillic twins. Quotes are removed, other punctuation and symbols separate
/// words, except a `.` or `,` between two digits ("2,50", "42.69") and an apostrophe
/// between two letters of a Latin word (`don't`, ``b`lgaria``), which stay. Words are
/// separated by single spaces, with none at either end.
pub(crate) fn normalize(text: &str) -> String {
    let chars: Vec<char> = text.to_lowercase().nfd().collect();
    let mut out = String::with_capacity(text.len());
    let mut word: Vec<char> = Vec::new();

    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            flush_word(&mut word, &mut out);
        } else if c.is_control() {
            // Whitespace controls (newline, tab) were handled above; the rest are noise.
        } else if is_combining_mark(c) {
            // A mark with nothing to sit on is dropped.
            if !word.is_empty() {
                word.push(c);
            }
        } else if c.is_alphanumeric() || is_decimal_separator(c, &word, next) {
            word.push(c);
        } else if let Some(apostrophe) = apostrophe(c) {
            let letter_follows = next.is_some_and(|n| n.is_alphanumeric() && !is_combining_mark(n));
            if ends_in_letter_or_digit(&word) && letter_follows {
                word.push(apostrophe);
            }
        } else if is_quote(c) {
            // Quotes are removed without splitting: «Младост» reads as младост.
        } else {
            flush_word(&mut word, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    out.nfc().collect()
}

/// Splits normalised text into its words.
pub(crate) fn tokens(normalized: &str) -> Vec<&str> {
    normalized.split_whitespace().collect()
}

/// Tells the script of one token from the letters in it.
pub(crate) fn script_of(token: &str) -> Script {
    let (cyrillic, latin) = count_letters(token);
    match (cyrillic > 0, latin > 0) {
        (true, false) => Script::Cyrillic,
        (false, true) => Script::Latin,
        (true, true) => Script::Mixed,
        (false, false) => Script::None,
    }
}

/// Tells the script of a whole text from its letter counts.
///
/// A script holding at least two letters in three is the text's script, so one brand name
/// in a Bulgarian sentence leaves it Cyrillic; anything more even is `Mixed`.
#[cfg(test)]
pub(crate) fn script_of_text(normalized: &str) -> Script {
    let (cyrillic, latin) = count_letters(normalized);
    if cyrillic == 0 && latin == 0 {
        Script::None
    } else if cyrillic >= latin.saturating_mul(2) {
        Script::Cyrillic
    } else if latin >= cyrillic.saturating_mul(2) {
        Script::Latin
    } else {
        Script::Mixed
    }
}

/// Tells whether a character is a Cyrillic letter.
fn is_cyrillic_letter(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c,
            '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}'
            | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}')
}

/// Tells whether a character is a Latin letter, with or without diacritics.
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic()
        && (c.is_ascii_alphabetic()
            || matches!(c,
                '\u{00C0}'..='\u{024F}' | '\u{0250}'..='\u{02AF}' | '\u{1D00}'..='\u{1D7F}'
                | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}'
                | '\u{AB30}'..='\u{AB6F}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}'))
}

fn count_letters(text: &str) -> (usize, usize) {
    let mut cyrillic = 0;
    let mut latin = 0;
    for c in text.chars() {
        if is_cyrillic_letter(c) {
            cyrillic += 1;
        } else if is_latin_letter(c) {
            latin += 1;
        }
    }
    (cyrillic, latin)
}

/// Tells whether a character is invisible formatting: zero-width characters, bidi marks
/// and isolates, the byte order mark, the soft hyphen, variation selectors and tags.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0000}'..='\u{E007F}'
        | '\u{E0100}'..='\u{E01EF}')
}

/// Returns the form an apostrophe-like character takes when it is kept inside a word.
fn apostrophe(c: char) -> Option<char> {
    match c {
        '\'' | '\u{2019}' | '\u{02BC}' => Some('\''),
        // The backtick stands for ъ in Latin-typed Bulgarian ("b`lgaria"): keep it apart.
        '`' => Some('`'),
        _ => None,
    }
}

fn is_quote(c: char) -> bool {
    const QUOTES: &[char] =
        &['"', '«', '»', '„', '“', '”', '‘', '‚', '‹', '›', '′', '″', '´', '〝', '〞', '〟', '＂', '＇'];
    QUOTES.contains(&c)
}

/// Tells whether a `.` or `,` sits between two digits, as in "2,50" or "42.69".
fn is_decimal_separator(c: char, word: &[char], next: Option<char>) -> bool {
    matches!(c, '.' | ',') && word.last().is_some_and(|p| p.is_numeric()) && next.is_some_and(char::is_numeric)
}

fn ends_in_letter_or_digit(word: &[char]) -> bool {
    word.last().is_some_and(|&c| c.is_alphanumeric() || is_combining_mark(c))
}

/// Appends the word gathered so far to the output, folded, and empties it.
fn flush_word(word: &mut Vec<char>, out: &mut String) {
    if word.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push(' ');
    }
    if word.iter().any(|&c| is_cyrillic_letter(c)) {
        push_cyrillic_word(word, out);
    } else {
        out.extend(word.iter());
    }
    word.clear();
}

/// Appends a word that has Cyrillic letters, in decomposed form, to the output, folded:
/// look-alikes and Russian letters replaced, stress marks dropped, й kept.
fn push_cyrillic_word(word: &[char], out: &mut String) {
    // The letter just written, while a combining mark may still attach to it.
    let mut base: Option<char> = None;
    // Whether an apostrophe has split the word, so the next letter starts a new one.
    let mut split = false;
    for &c in word {
        if c == '\'' || c == '`' {
            split = true;
            base = None;
        } else if is_combining_mark(c) {
            match (c, base) {
                // и + breve is й, a letter of its own.
                ('\u{0306}', Some('и')) => out.push(c),
                // е + diaeresis is the Russian ё, which Bulgarian spells йо.
                ('\u{0308}', Some('е')) => {
                    out.pop();
                    out.push_str("йо");
                }
                // Stress marks and other accents (the grave of ѝ too) are dropped.
                _ => {}
            }
            base = None;
        } else {
            if split && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            split = false;
            let folded = fold_letter(c);
            out.push(folded);
            base = Some(folded);
        }
    }
}

/// Returns the Cyrillic letter a character stands for inside a Cyrillic word.
fn fold_letter(c: char) -> char {
    match c {
        // Latin look-alikes, including those of capitals (H is Н, B is В).
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'x' => 'х',
        'y' => 'у',
        'k' => 'к',
        'm' => 'м',
        't' => 'т',
        'h' => 'н',
        'b' => 'в',
        // Russian-keyboard letters, as the nearest Bulgarian ones.
        'ы' => 'и',
        'э' => 'е',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_lowercased_and_spaces_collapse() {
        assert_eq!(normalize("  Къде   е\tКМЕТСТВОТО?\n"), "къде е кметството");
    }

    #[test]
    fn stress_marks_on_cyrillic_are_stripped() {
        assert_eq!(normalize("къ\u{301}де"), "къде");
        assert_eq!(normalize("ка\u{300}рта"), "карта");
    }

    #[test]
    fn short_i_survives_decomposition() {
        assert_eq!(normalize("Здравей, ЙОРДАНЕ"), "здравей йордане");
        assert_eq!(normalize("здрави\u{306}"), "здравй");
        assert!(normalize("ЙЙЙ").chars().all(|c| c == 'й'));
    }

    #[test]
    fn i_with_grave_reads_as_plain_i() {
        assert_eq!(normalize("ѝ казах"), "и казах");
        assert_eq!(normalize("Ѝ"), "и");
    }

    #[test]
    fn russian_keyboard_letters_become_bulgarian() {
        assert_eq!(normalize("мы это ёлка"), "ми ето йолка");
        assert_eq!(normalize("ЁЖ"), "йож");
    }

    #[test]
    fn latin_look_alikes_inside_cyrillic_words_become_cyrillic() {
        // Latin a, o, p, c, e, x, y, k, m, t, h, b hidden among Cyrillic letters.
        assert_eq!(normalize("кaртa"), "карта");
        assert_eq!(normalize("KАРТА"), "карта");
        assert_eq!(normalize("pectopaнт"), "ресторант");
        assert_eq!(normalize("Bход"), "вход");
        assert_eq!(normalize("Hяма"), "няма");
        assert_eq!(normalize("тoпла вoда"), "топла вода");
        assert_eq!(script_of(&normalize("кaртa")), Script::Cyrillic);
    }

    #[test]
    fn latin_words_keep_their_letters() {
        assert_eq!(normalize("Kude e metro"), "kude e metro");
        assert_eq!(normalize("Café"), "café");
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(normalize("при\u{200B}мер"), "пример");
        assert_eq!(normalize("\u{FEFF}здравей\u{200D}"), "здравей");
        assert_eq!(normalize("\u{202E}абв\u{202C} \u{2066}где\u{2069}"), "абв где");
        assert_eq!(normalize("a\u{0}b"), "ab");
    }

    #[test]
    fn decimal_numbers_keep_their_separator() {
        assert_eq!(normalize("Цена: 2,50 лв."), "цена 2,50 лв");
        assert_eq!(normalize("42.69, 23.32"), "42.69 23.32");
        assert_eq!(normalize("линия 4."), "линия 4");
    }

    #[test]
    fn punctuation_separates_words() {
        assert_eq!(normalize("ж.к.\"Младост-1\"!!"), "ж к младост 1");
        assert_eq!(normalize("по-добре"), "по добре");
        assert_eq!(normalize("здравей...как си?"), "здравей как си");
    }

    #[test]
    fn quotes_are_removed() {
        assert_eq!(normalize("«Младост» „Люлин“"), "младост люлин");
        assert_eq!(normalize("'hello'"), "hello");
    }

    #[test]
    fn apostrophes_inside_latin_words_stay() {
        assert_eq!(normalize("Don’t"), "don't");
        assert_eq!(normalize("b`lgaria"), "b`lgaria");
        assert_eq!(normalize("д'артанян"), "д артанян");
    }

    #[test]
    fn emoji_and_symbols_separate_words() {
        assert_eq!(normalize("автобус🚌👍🏽закъснява"), "автобус закъснява");
        assert_eq!(normalize("👍\u{FE0F}"), "");
    }

    #[test]
    fn awkward_input_does_not_panic() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("\u{301}\u{306}"), "");
        assert_eq!(normalize("\u{0}\u{1}\u{7F}"), "");
        assert_eq!(normalize("مرحبا بالعالم"), "مرحبا بالعالم");
        let huge = "Къде е спирката? 2,50 лв 🚌 ".repeat(4000);
        assert!(huge.len() > 100_000);
        assert!(normalize(&huge).starts_with("къде е спирката 2,50 лв къде"));
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for text in ["Къ\u{301}де е «ЦГМ»?", "ъ'\u{650}", "Don’t stop", "ж.к. 2,50 лв.", "ЁЖ кaртa"]
        {
            let once = normalize(text);
            assert_eq!(normalize(&once), once, "{text:?}");
        }
    }

    #[test]
    fn tokens_split_on_whitespace() {
        assert_eq!(tokens("къде е 2,50"), vec!["къде", "е", "2,50"]);
        assert!(tokens("").is_empty());
    }

    #[test]
    fn script_of_a_token_looks_at_letters_only() {
        assert_eq!(script_of("къде"), Script::Cyrillic);
        assert_eq!(script_of("kude"), Script::Latin);
        assert_eq!(script_of("zдраве"), Script::Mixed);
        assert_eq!(script_of("94"), Script::None);
        assert_eq!(script_of("м2"), Script::Cyrillic);
        assert_eq!(script_of(""), Script::None);
        assert_eq!(script_of("αβγ"), Script::None);
    }

    #[test]
    fn script_of_a_text_follows_the_clear_majority() {
        assert_eq!(script_of_text("къде мога да платя с revolut"), Script::Cyrillic);
        assert_eq!(script_of_text("kude moga da platq s карта"), Script::Latin);
        assert_eq!(script_of_text("bus stop спирка"), Script::Mixed);
        assert_eq!(script_of_text("12 34"), Script::None);
    }
}
