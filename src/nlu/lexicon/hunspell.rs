//! Reading Hunspell's two files, the affix rules (`.aff`) and the word list (`.dic`); `expand`
//! turns each word of the list into its forms.
//!
//! This module owns the part of Hunspell's syntax that says which forms a word has: `SET`,
//! `FLAG` (single characters, `long`, `num`, `UTF-8`), `AF` flag aliases, `PFX`/`SFX` classes
//! with their strip, add and condition, cross products, one level of continuation classes
//! for suffixes, `NEEDAFFIX`, `FORBIDDENWORD` and `FULLSTRIP`. Everything else in an `.aff`
//! (TRY, MAP, REP, KEY, compounding) is about checking and suggesting and is skipped.
//!
//! It must not store forms (that is `table`) nor change their case: it hands out each form
//! as the rules spell it.

use std::collections::HashMap;
use std::path::Path;

use super::LexiconError;

mod expand;

/// A flag as written in the files, whatever its syntax (one character, two, or a number).
pub(super) type Flag = u64;

/// How flags are written, from the `.aff`'s `FLAG` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlagType {
    /// One character per flag (Hunspell's default and `FLAG UTF-8`).
    Char,
    /// Two characters per flag (`FLAG long`).
    Long,
    /// Decimal numbers separated by commas (`FLAG num`).
    Num,
}

/// The affix rules of one `.aff` file.
#[derive(Debug)]
pub(super) struct Affixes {
    flag_type: FlagType,
    /// `AF` lines: flag sets that a `.dic` entry or an affix names by their number, from 1.
    aliases: Vec<Vec<Flag>>,
    prefixes: HashMap<Flag, Class>,
    suffixes: HashMap<Flag, Class>,
    /// A word with this flag is not a form by itself, only with an affix.
    need_affix: Option<Flag>,
    /// A word with this flag is not a word at all.
    forbidden: Option<Flag>,
    /// An affix may strip the whole word.
    full_strip: bool,
}

/// All the rules of one affix flag.
#[derive(Debug, Default)]
struct Class {
    /// Whether a prefix and a suffix of this class combine on one word.
    cross: bool,
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    strip: String,
    add: String,
    /// Continuation flags: affixes that may follow this one.
    continuation: Vec<Flag>,
    /// What the word must look like at the affix's end, one element per character.
    condition: Vec<Element>,
}

/// One character position of a condition.
#[derive(Debug, PartialEq)]
enum Element {
    Any,
    Char(char),
    Class { negated: bool, chars: Vec<char> },
}

/// A line of a file, with its number from 1, for error messages.
struct Line<'a> {
    number: usize,
    fields: Vec<&'a str>,
}

impl Affixes {
    /// Parses the text of an `.aff` file; `path` only names it in errors.
    pub(super) fn parse(text: &str, path: &Path) -> Result<Affixes, LexiconError> {
        let mut affixes = Affixes {
            flag_type: FlagType::Char,
            aliases: Vec::new(),
            prefixes: HashMap::new(),
            suffixes: HashMap::new(),
            need_affix: None,
            forbidden: None,
            full_strip: false,
        };
        let malformed = |number: usize, message: String| LexiconError::malformed(path, number, message);
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, line)| Line { number: i + 1, fields: line.split_whitespace().collect() })
            .filter(|line| line.fields.first().is_some_and(|f| !f.starts_with('#')));
        let mut aliases_left: Option<usize> = None;
        while let Some(line) = lines.next() {
            let fields = &line.fields;
            let value = fields.get(1).copied();
            match fields[0] {
                "SET" => {
                    let encoding = value.unwrap_or("");
                    if !encoding.eq_ignore_ascii_case("UTF-8") && !encoding.eq_ignore_ascii_case("UTF8") {
                        return Err(malformed(line.number, format!("encoding {encoding:?} is not read, only UTF-8")));
                    }
                }
                "FLAG" => {
                    affixes.flag_type = match value {
                        Some("long") => FlagType::Long,
                        Some("num") => FlagType::Num,
                        Some("UTF-8" | "char") => FlagType::Char,
                        other => return Err(malformed(line.number, format!("unknown flag type {other:?}"))),
                    }
                }
                "AF" => {
                    let value = value.ok_or_else(|| malformed(line.number, "AF without a value".into()))?;
                    match aliases_left {
                        None => {
                            let count = value.parse().map_err(|_| {
                                malformed(line.number, format!("expected the number of AF lines, found {value:?}"))
                            })?;
                            aliases_left = Some(count);
                        }
                        Some(0) => return Err(malformed(line.number, "more AF lines than announced".into())),
                        Some(left) => {
                            let flags = affixes.flags(value).map_err(|m| malformed(line.number, m))?;
                            affixes.aliases.push(flags);
                            aliases_left = Some(left - 1);
                        }
                    }
                }
                "NEEDAFFIX" | "PSEUDOROOT" => affixes.need_affix = affixes.one_flag(value, line.number, path)?,
                "FORBIDDENWORD" => affixes.forbidden = affixes.one_flag(value, line.number, path)?,
                "FULLSTRIP" => affixes.full_strip = true,
                kind @ ("PFX" | "SFX") => affixes.parse_class(kind, &line, &mut lines, path)?,
                _ => {}
            }
        }
        Ok(affixes)
    }

    /// Parses a class header (`SFX A Y 3`) and the rule lines it announces.
    fn parse_class<'a>(
        &mut self,
        kind: &str,
        header: &Line<'a>,
        lines: &mut impl Iterator<Item = Line<'a>>,
        path: &Path,
    ) -> Result<(), LexiconError> {
        let malformed = |number: usize, message: String| LexiconError::malformed(path, number, message);
        let (flag, cross, count) = match header.fields[..] {
            [_, flag, cross @ ("Y" | "N"), count] if count.parse::<usize>().is_ok() => {
                (flag, cross == "Y", count.parse::<usize>().unwrap_or(0))
            }
            _ => {
                return Err(malformed(
                    header.number,
                    format!("expected `{kind} <flag> <Y|N> <number of rules>`, found `{}`", header.fields.join(" ")),
                ));
            }
        };
        let class_flag = self.one_flag(Some(flag), header.number, path)?.unwrap_or_default();
        let mut rules = Vec::with_capacity(count);
        for _ in 0..count {
            let Some(line) = lines.next() else {
                return Err(malformed(
                    header.number,
                    format!("{kind} {flag} announces {count} rules but only {} follow", rules.len()),
                ));
            };
            let [k, f, strip, add, rest @ ..] = &line.fields[..] else {
                return Err(malformed(line.number, format!("expected `{kind} {flag} <strip> <add> <condition>`")));
            };
            if *k != kind || *f != flag {
                return Err(malformed(line.number, format!("expected a rule of {kind} {flag}, found `{k} {f}`")));
            }
            let (add, continuation) = match add.split_once('/') {
                Some((add, flags)) => (add, self.flags(flags).map_err(|m| malformed(line.number, m))?),
                None => (*add, Vec::new()),
            };
            let condition =
                parse_condition(rest.first().copied().unwrap_or(".")).map_err(|m| malformed(line.number, m))?;
            let zero = |s: &str| if s == "0" { String::new() } else { s.to_owned() };
            rules.push(Rule { strip: zero(strip), add: zero(add), continuation, condition });
        }
        let classes = if kind == "PFX" { &mut self.prefixes } else { &mut self.suffixes };
        let class = classes.entry(class_flag).or_insert_with(|| Class { cross, rules: Vec::new() });
        class.cross &= cross;
        class.rules.extend(rules);
        Ok(())
    }

    fn one_flag(&self, value: Option<&str>, number: usize, path: &Path) -> Result<Option<Flag>, LexiconError> {
        let value = value.ok_or_else(|| LexiconError::malformed(path, number, "a flag is missing".into()))?;
        match self.flags(value).map_err(|m| LexiconError::malformed(path, number, m))?[..] {
            [flag] => Ok(Some(flag)),
            _ => Err(LexiconError::malformed(path, number, format!("expected one flag, found {value:?}"))),
        }
    }

    /// Reads a set of flags as the `FLAG` line says they are written, or as an `AF` alias.
    fn flags(&self, text: &str) -> Result<Vec<Flag>, String> {
        if !self.aliases.is_empty() && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            let alias = text.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(|i| self.aliases.get(i));
            return alias.cloned().ok_or_else(|| format!("no AF alias number {text}"));
        }
        match self.flag_type {
            FlagType::Char => Ok(text.chars().map(Flag::from).collect()),
            FlagType::Long => {
                let chars: Vec<char> = text.chars().collect();
                if !chars.len().is_multiple_of(2) {
                    return Err(format!("long flags come in pairs of characters, found {text:?}"));
                }
                Ok(chars.chunks(2).map(|pair| (Flag::from(pair[0]) << 21) | Flag::from(pair[1])).collect())
            }
            FlagType::Num => {
                text.split(',').map(|n| n.parse::<Flag>().map_err(|_| format!("{n:?} is not a numeric flag"))).collect()
            }
        }
    }

    /// Every character that some affix adds to a word.
    pub(super) fn added_text(&self) -> impl Iterator<Item = char> + '_ {
        self.prefixes.values().chain(self.suffixes.values()).flat_map(|c| &c.rules).flat_map(|r| r.add.chars())
    }
}

/// Parses a condition such as `.`, `ен`, `[^аеи]я` or `[ая]`.
fn parse_condition(text: &str) -> Result<Vec<Element>, String> {
    // A lone `.` is the usual "any word": no position to check.
    if text == "." {
        return Ok(Vec::new());
    }
    let mut elements = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        elements.push(match c {
            '.' => Element::Any,
            '[' => {
                let mut class: Vec<char> = Vec::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    class.push(c);
                }
                if !closed {
                    return Err(format!("condition {text:?} opens a [ that it does not close"));
                }
                let negated = class.first() == Some(&'^');
                if negated {
                    class.remove(0);
                }
                Element::Class { negated, chars: class }
            }
            ']' => return Err(format!("condition {text:?} closes a ] that it did not open")),
            c => Element::Char(c),
        });
    }
    Ok(elements)
}

/// One line of a `.dic` file: a word and its flags.
pub(super) struct Entry<'a> {
    pub(super) word: &'a str,
    pub(super) flags: Vec<Flag>,
}

/// Parses the text of a `.dic` file: a first line with the number of words (which Hunspell
/// takes only as a hint), then one `word/FLAGS` per line, maybe followed by morphological
/// fields after a space or tab, which are skipped.
pub(super) fn parse_dic<'a>(text: &'a str, affixes: &Affixes, path: &Path) -> Result<Vec<Entry<'a>>, LexiconError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let count = match lines.next() {
        Some((_, first)) => first.trim().parse::<usize>().map_err(|_| {
            LexiconError::malformed(path, 1, format!("expected the number of words, found {:?}", first.trim()))
        })?,
        None => return Err(LexiconError::malformed(path, 1, "the file is empty".into())),
    };
    let mut entries = Vec::with_capacity(count.min(10_000_000));
    for (i, line) in lines {
        let entry = line.split(['\t', ' ']).next().unwrap_or("");
        let (word, flags) = split_flags(entry);
        if word.is_empty() {
            continue;
        }
        let flags = match flags {
            Some(flags) => affixes.flags(flags).map_err(|m| LexiconError::malformed(path, i + 1, m))?,
            None => Vec::new(),
        };
        entries.push(Entry { word, flags });
    }
    Ok(entries)
}

/// Splits `word/FLAGS` at its first slash that is not escaped as `\/`.
fn split_flags(entry: &str) -> (&str, Option<&str>) {
    let bytes = entry.as_bytes();
    let slash = (0..bytes.len()).find(|&i| bytes[i] == b'/' && (i == 0 || bytes[i - 1] != b'\\'));
    match slash {
        // A slash first would be an empty word with flags: read it as a word instead.
        Some(i) if i > 0 => (&entry[..i], Some(&entry[i + 1..])),
        _ => (entry, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_rules_are_reported_at_their_line() {
        let error = |aff: &str| Affixes::parse(aff, Path::new("bg.aff")).unwrap_err().to_string();
        assert_eq!(
            error("SET UTF-8\n\nSFX A Y 2\nSFX A 0 и .\n"),
            "bg.aff:3: SFX A announces 2 rules but only 1 follow"
        );
        assert_eq!(error("SFX A Y 1\nSFX B 0 и .\n"), "bg.aff:2: expected a rule of SFX A, found `SFX B`");
        assert_eq!(error("SFX A Y 1\nSFX A 0 и [ая\n"), "bg.aff:2: condition \"[ая\" opens a [ that it does not close");
        assert_eq!(
            error("SFX A Y many\n"),
            "bg.aff:1: expected `SFX <flag> <Y|N> <number of rules>`, found `SFX A Y many`"
        );
        assert_eq!(error("SET microsoft-cp1251\n"), "bg.aff:1: encoding \"microsoft-cp1251\" is not read, only UTF-8");
    }

    #[test]
    fn dictionary_lines_split_at_the_first_unescaped_slash() {
        assert_eq!(split_flags("жена/K"), ("жена", Some("K")));
        assert_eq!(split_flags("1\\/2/A"), ("1\\/2", Some("A")));
        assert_eq!(split_flags("жена"), ("жена", None));
        let affixes = Affixes::parse("FLAG long\n", Path::new("t.aff")).unwrap();
        let error = parse_dic("2\nстол/Aa\nжена/K\n", &affixes, Path::new("t.dic")).err().unwrap();
        assert_eq!(error.to_string(), "t.dic:3: long flags come in pairs of characters, found \"K\"");
    }
}
