//! Expanding one dictionary word into its forms by the affix rules its flags name.
//!
//! It follows Hunspell's rules for generating forms: an affix applies where the word ends (or
//! starts) with its strip, keeps at least one letter (unless `FULLSTRIP`) and meets its
//! condition; a prefix and a suffix combine when both classes say `Y`; a suffix's
//! continuation flags apply once more to the suffixed form. Continuation flags of prefixes,
//! compounding and morphology are not followed.

use super::{Affixes, Element, Flag, Rule};

impl Affixes {
    /// Calls `emit` with every form of a dictionary word, the word itself first (unless it
    /// needs an affix); a form may come more than once.
    pub(in crate::nlu::lexicon) fn expand(&self, word: &str, flags: &[Flag], emit: &mut impl FnMut(&str)) {
        let has = |f: Option<Flag>| f.is_some_and(|f| flags.contains(&f));
        if has(self.forbidden) {
            return;
        }
        if !has(self.need_affix) {
            emit(word);
        }
        let cross_prefixes = flags.iter().any(|f| self.prefixes.get(f).is_some_and(|c| c.cross));
        let mut crossing: Vec<String> = Vec::new();
        let mut form = String::new();
        let mut outer = String::new();
        for class in flags.iter().filter_map(|f| self.suffixes.get(f)) {
            for rule in class.rules.iter().filter(|r| self.suffix_applies(r, word)) {
                rule.suffix(word, &mut form);
                emit(&form);
                if cross_prefixes && class.cross {
                    crossing.push(form.clone());
                }
                // Twofold suffixes: the continuation's rules apply to the suffixed form.
                for inner in rule.continuation.iter().filter_map(|f| self.suffixes.get(f)) {
                    for second in inner.rules.iter().filter(|r| self.suffix_applies(r, &form)) {
                        second.suffix(&form, &mut outer);
                        emit(&outer);
                    }
                }
            }
        }
        for class in flags.iter().filter_map(|f| self.prefixes.get(f)) {
            for rule in class.rules.iter().filter(|r| self.prefix_applies(r, word)) {
                rule.prefix(word, &mut form);
                emit(&form);
                if class.cross {
                    // The condition is the root's; the suffixed form only needs the strip.
                    for suffixed in crossing.iter().filter(|s| s.starts_with(&rule.strip)) {
                        rule.prefix(suffixed, &mut form);
                        emit(&form);
                    }
                }
            }
        }
    }

    fn suffix_applies(&self, rule: &Rule, word: &str) -> bool {
        word.ends_with(&rule.strip)
            && (word.len() > rule.strip.len() || self.full_strip)
            && matches(&rule.condition, word.chars().rev(), true)
    }

    fn prefix_applies(&self, rule: &Rule, word: &str) -> bool {
        word.starts_with(&rule.strip)
            && (word.len() > rule.strip.len() || self.full_strip)
            && matches(&rule.condition, word.chars(), false)
    }
}

impl Rule {
    fn suffix(&self, word: &str, out: &mut String) {
        out.clear();
        out.push_str(&word[..word.len() - self.strip.len()]);
        out.push_str(&self.add);
    }

    fn prefix(&self, word: &str, out: &mut String) {
        out.clear();
        out.push_str(&self.add);
        out.push_str(&word[self.strip.len()..]);
    }
}

/// Whether the characters of a word, from the affix's end inwards, meet a condition.
fn matches(condition: &[Element], mut chars: impl Iterator<Item = char>, from_end: bool) -> bool {
    let mut check = |element: &Element| {
        chars.next().is_some_and(|c| match element {
            Element::Any => true,
            Element::Char(e) => *e == c,
            Element::Class { negated, chars } => chars.contains(&c) != *negated,
        })
    };
    if from_end { condition.iter().rev().all(&mut check) } else { condition.iter().all(&mut check) }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_condition, split_flags};
    use super::*;
    use std::path::Path;

    fn forms(aff: &str, word: &str) -> Vec<String> {
        let affixes = Affixes::parse(aff, Path::new("t.aff")).unwrap();
        let (word, flags) = split_flags(word);
        let flags = affixes.flags(flags.unwrap_or("")).unwrap();
        let mut out = Vec::new();
        affixes.expand(word, &flags, &mut |f| out.push(f.to_owned()));
        out
    }

    #[test]
    fn a_suffix_strips_and_adds_where_its_condition_holds() {
        let aff = "SET UTF-8\nSFX K Y 3\nSFX K а и а\nSFX K ен на ен\nSFX K 0 ът [^аеи]\n";
        assert_eq!(forms(aff, "жена/K"), ["жена", "жени"]);
        assert_eq!(forms(aff, "стъклен/K"), ["стъклен", "стъклна", "стъкленът"]);
    }

    #[test]
    fn classes_in_conditions_match_one_character() {
        let aff = "SFX A Y 3\nSFX A 0 та [ая]\nSFX A 0 то [^ая]\nSFX A а и [кг]а\n";
        assert_eq!(forms(aff, "вода/A"), ["вода", "водата"]);
        assert_eq!(forms(aff, "море/A"), ["море", "морето"]);
        assert_eq!(forms(aff, "книга/A"), ["книга", "книгата", "книги"]);
        assert_eq!(
            parse_condition("[^ая]."),
            Ok(vec![Element::Class { negated: true, chars: vec!['а', 'я'] }, Element::Any])
        );
    }

    #[test]
    fn a_strip_longer_than_the_word_does_not_apply() {
        let aff = "SFX A Y 1\nSFX A ина ини .\n";
        assert_eq!(forms(aff, "ина/A"), ["ина"]);
        assert_eq!(forms(&format!("FULLSTRIP\n{aff}"), "ина/A"), ["ина", "ини"]);
    }

    #[test]
    fn prefixes_cross_with_suffixes_only_when_both_say_so() {
        let aff = "PFX P Y 1\nPFX P 0 не .\nSFX S Y 1\nSFX S 0 и .\nSFX T N 1\nSFX T 0 ът .\n";
        assert_eq!(forms(aff, "град/PST"), ["град", "гради", "градът", "неград", "негради"]);
    }

    #[test]
    fn continuation_flags_add_a_second_suffix() {
        let aff = "SFX A Y 1\nSFX A 0 ен/B .\nSFX B Y 1\nSFX B ен ни ен\n";
        assert_eq!(forms(aff, "камък/A"), ["камък", "камъкен", "камъкни"]);
    }

    #[test]
    fn long_numeric_and_aliased_flags_are_read() {
        assert_eq!(forms("FLAG long\nSFX Aa Y 1\nSFX Aa 0 и .\n", "стол/AaBb"), ["стол", "столи"]);
        assert_eq!(forms("FLAG num\nSFX 12 Y 1\nSFX 12 0 и .\n", "стол/7,12"), ["стол", "столи"]);
        assert_eq!(forms("AF 1\nAF XY\nSFX Y Y 1\nSFX Y 0 и .\n", "стол/1"), ["стол", "столи"]);
    }

    #[test]
    fn needaffix_and_forbidden_words_lose_their_bare_form() {
        let aff = "NEEDAFFIX !\nFORBIDDENWORD *\nSFX S Y 1\nSFX S 0 и .\n";
        assert_eq!(forms(aff, "стол/S!"), ["столи"]);
        assert!(forms(aff, "стол/S*").is_empty());
    }
}
