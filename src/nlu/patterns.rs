//! The intents' patterns, matched against a message. Content writes them for `regex-lite`
//! (which the flow loader checks them with); here they run through `regex`, whose lazy DFA
//! and literal prefilters make them cheap: running hundreds of them through `regex-lite`'s
//! PikeVM took most of the time of understanding a message. One expression per intent (a
//! single set of all of them outgrows the lazy DFA's cache and falls back to the slow
//! engine). `regex-lite`'s `\b`, `\w` and `\d` know only ASCII: they are rewritten to the
//! ASCII forms so that they mean the same here. A pattern `regex` cannot take runs through
//! `regex-lite`.

/// Patterns per intent, ready to match.
#[derive(Debug, Default)]
pub(crate) struct Patterns {
    fast: Vec<(usize, regex::Regex)>,
    /// What `regex` could not take.
    slow: Vec<(usize, regex_lite::Regex)>,
}

impl Patterns {
    /// `each`: an intent and its patterns (one joined expression per intent).
    pub(crate) fn build(each: Vec<(usize, Vec<regex_lite::Regex>)>) -> Patterns {
        let mut fast = Vec::new();
        let mut slow = Vec::new();
        for (intent, patterns) in each {
            if patterns.is_empty() {
                continue;
            }
            let joined = patterns.iter().map(|p| format!("(?:{})", ascii_classes(p.as_str()))).collect::<Vec<_>>();
            let joined = joined.join("|");
            match regex::Regex::new(&joined) {
                Ok(re) => fast.push((intent, re)),
                Err(_) => slow.extend(patterns.into_iter().map(|p| (intent, p))),
            }
        }
        Patterns { fast, slow }
    }

    /// The intents with a pattern that matches `text`, in intent order, each once.
    pub(crate) fn matching(&self, text: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self.fast.iter().filter(|(_, p)| p.is_match(text)).map(|(i, _)| *i).collect();
        out.extend(self.slow.iter().filter(|(_, p)| p.is_match(text)).map(|(i, _)| *i));
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// `\b`, `\w` and `\d` as `regex-lite` reads them (ASCII), written so that `regex` without
/// its Unicode tables reads them the same.
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if !in_class => out.push_str("(?-u:\\b)"),
                Some('B') if !in_class => out.push_str("(?-u:\\B)"),
                Some('w') => out.push_str(if in_class { "0-9A-Za-z_" } else { "[0-9A-Za-z_]" }),
                Some('d') => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right after the opening is a literal, not the end.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().unwrap_or(']'));
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(list: &[(usize, &[&str])]) -> Patterns {
        Patterns::build(
            list.iter().map(|(i, ps)| (*i, ps.iter().map(|p| regex_lite::Regex::new(p).unwrap()).collect())).collect(),
        )
    }

    #[test]
    fn cyrillic_classes_and_ascii_word_boundaries_match_as_in_regex_lite() {
        let p = patterns(&[(0, &["(^| )гор[а-я]* "]), (1, &[r"\bfire\b"]), (2, &[r"[\w-]+@x"]), (3, &[r"\d{3}"])]);
        assert_eq!(p.matching("гори къщата "), [0]);
        assert_eq!(p.matching("a fire here"), [1]);
        assert_eq!(p.matching("a-b_c@x"), [2]);
        assert_eq!(p.matching("tel 112"), [3]);
        // ASCII \b: a Cyrillic letter is not a word character, as in regex-lite.
        assert_eq!(p.matching("пfireя"), [1]);
        assert!(regex_lite::Regex::new(r"\bfire\b").unwrap().is_match("пfireя"));
        assert!(p.matching("нищо").is_empty());
    }

    #[test]
    fn each_intent_once_in_intent_order() {
        let p = patterns(&[(4, &["б", "а"]), (2, &["а"])]);
        assert_eq!(p.matching("аб"), [2, 4]);
    }
}
