//! Reducing words to stems, so that inflected forms of one word can meet.
//!
//! This module owns two light stemmers: a port of Jacques Savoy's Bulgarian stemmer (the
//! algorithm of Lucene's `BulgarianStemmer`, BULGARIAN.md section 2) and a very light
//! English one. Both are made for recall and are inconsistent on some words (работа becomes
//! "раб" but работи "работ"), so they must not be the only way a word is routed: stem the
//! lexicon and the input with the same function, and list important forms explicitly.

/// Returns the Savoy light stem of a lowercase Bulgarian word.
///
/// A word of fewer than four letters, or one with any character that is not a Cyrillic
/// letter, comes back unchanged.
pub(crate) fn stem(word: &str) -> String {
    if !word.chars().all(is_cyrillic_letter) {
        return word.to_owned();
    }
    let mut w: Vec<char> = word.chars().collect();
    if w.len() < 4 {
        return word.to_owned();
    }
    if w.len() > 5 && ends_with(&w, "ища") {
        w.truncate(w.len() - 3);
        return w.into_iter().collect();
    }
    remove_article(&mut w);
    remove_plural(&mut w);
    if w.len() > 3 {
        if ends_with(&w, "я") {
            w.pop();
        }
        if ends_with(&w, "а") || ends_with(&w, "о") || ends_with(&w, "е") {
            w.pop();
        }
    }
    if w.len() > 4 && ends_with(&w, "ен") {
        let at = w.len() - 2;
        w.remove(at);
    }
    if w.len() > 5 && w[w.len() - 2] == 'ъ' {
        let at = w.len() - 2;
        w.remove(at);
    }
    w.into_iter().collect()
}

/// Drops a definite article; the first rule that matches wins.
fn remove_article(w: &mut Vec<char>) {
    let len = w.len();
    let long_article = len > 6 && ends_with(w, "ият");
    let short_article =
        (len > 5 && ["ът", "то", "те", "та", "ия"].iter().any(|s| ends_with(w, s))) || (len > 4 && ends_with(w, "ят"));
    if long_article {
        w.truncate(len - 3);
    } else if short_article {
        w.truncate(len - 2);
    }
}

/// Drops a plural ending, restoring the consonant it changed; the first rule that matches
/// wins.
fn remove_plural(w: &mut Vec<char>) {
    let len = w.len();
    if len > 6 {
        if ends_with(w, "овци") {
            w.truncate(len - 3);
            return;
        }
        if ends_with(w, "ове") {
            w.truncate(len - 3);
            return;
        }
        if ends_with(w, "еве") {
            w[len - 3] = 'й';
            w.truncate(len - 2);
            return;
        }
    }
    if len > 5 {
        if ends_with(w, "ища") {
            w.truncate(len - 3);
            return;
        }
        if ends_with(w, "та") {
            w.truncate(len - 2);
            return;
        }
        if ends_with(w, "ци") {
            w[len - 2] = 'к';
            w.truncate(len - 1);
            return;
        }
        if ends_with(w, "зи") {
            w[len - 2] = 'г';
            w.truncate(len - 1);
            return;
        }
        if w[len - 3] == 'е' && w[len - 1] == 'и' {
            w[len - 3] = 'я';
            w.truncate(len - 1);
            return;
        }
    }
    if len > 4 {
        if ends_with(w, "си") {
            w[len - 2] = 'х';
            w.truncate(len - 1);
        } else if ends_with(w, "и") {
            w.truncate(len - 1);
        }
    }
}

/// Returns the light stem of a lowercase English word.
///
/// It strips a final "'s", then one plural ending ("ies" becomes "y", "sses" "ss", a final
/// "s" goes from words longer than three letters unless they end "ss", "us" or "is"), then
/// "ing" or "ed" when at least three letters remain. A word with any non-ASCII character
/// comes back unchanged.
pub(crate) fn stem_en(word: &str) -> String {
    if !word.is_ascii() {
        return word.to_owned();
    }
    let mut w: Vec<char> = word.chars().collect();
    if ends_with(&w, "'s") {
        w.truncate(w.len() - 2);
    }
    if w.len() > 3 && ends_with(&w, "ies") {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if ends_with(&w, "sses") {
        w.truncate(w.len() - 2);
    } else if w.len() > 3 && ends_with(&w, "s") && !["ss", "us", "is"].iter().any(|s| ends_with(&w, s)) {
        w.pop();
    }
    if ends_with(&w, "ing") && w.len() - 3 >= 3 {
        w.truncate(w.len() - 3);
    } else if ends_with(&w, "ed") && w.len() - 2 >= 3 {
        w.truncate(w.len() - 2);
    }
    w.into_iter().collect()
}

fn ends_with(w: &[char], suffix: &str) -> bool {
    let mut rest = w.iter().rev();
    suffix.chars().rev().all(|c| rest.next() == Some(&c))
}

fn is_cyrillic_letter(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c,
            '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}'
            | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_examples_stem_as_documented() {
        assert_eq!(stem("автобуси"), "автобух");
        assert_eq!(stem("автобус"), "автобус");
        assert_eq!(stem("работа"), "раб");
        assert_eq!(stem("работи"), "работ");
        assert_eq!(stem("билети"), "билят");
    }

    #[test]
    fn articles_and_plurals_are_removed() {
        assert_eq!(stem("градът"), "град");
        assert_eq!(stem("лекарят"), "лекар");
        assert_eq!(stem("социалната"), "социалн");
        assert_eq!(stem("лекари"), "лекар");
        assert_eq!(stem("учители"), "учитял");
        assert_eq!(stem("жилища"), "жил");
        assert_eq!(stem("ученици"), "ученик");
        assert_eq!(stem("пътят"), "път");
    }

    #[test]
    fn en_loses_its_e_and_a_late_schwa_is_dropped() {
        assert_eq!(stem("социален"), "социалн");
        assert_eq!(stem("театър"), "театр");
        assert_eq!(stem("вятър"), "вятър");
    }

    #[test]
    fn short_words_are_unchanged() {
        for word in ["а", "да", "къд", "ще", ""] {
            assert_eq!(stem(word), word);
        }
    }

    #[test]
    fn non_cyrillic_words_are_unchanged() {
        for word in ["buses", "кaрта", "2,50", "автобус1", "🚌🚌🚌🚌"] {
            assert_eq!(stem(word), word);
        }
    }

    #[test]
    fn english_plurals_and_endings_are_stripped() {
        assert_eq!(stem_en("city's"), "city");
        assert_eq!(stem_en("cities"), "city");
        assert_eq!(stem_en("addresses"), "address");
        assert_eq!(stem_en("tickets"), "ticket");
        assert_eq!(stem_en("parking"), "park");
        assert_eq!(stem_en("delayed"), "delay");
        assert_eq!(stem_en("buildings"), "build");
    }

    #[test]
    fn english_words_that_only_look_inflected_are_kept() {
        for word in ["bus", "gas", "address", "status", "analysis", "sing", "bed", "ies", ""] {
            assert_eq!(stem_en(word), word);
        }
        assert_eq!(stem_en("café"), "café");
    }
}
