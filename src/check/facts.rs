//! The facts lint, part of `sofia-bot check`: every phone number and web address written in
//! `locales/` (messages, comments, and the facts file's own values) is a HIGH fact, and a
//! message says it through its variable; no NOT CONFIRMED value is written anywhere,
//! `dialogs/` included; a message that states a fact gives that fact's official link and ends
//! with a link.
//!
//! It reads files as text, so nothing escapes it: not a comment, not a fact's value.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::engine::LoadError;
use crate::i18n::facts;
use crate::i18n::spot;
use crate::i18n::{Confidence, Fact, Facts, Kind, Locales};

/// Every facts problem in `dialogs/` and `locales/`.
pub(super) fn lint(dialogs: &Path, locales_dir: &Path, facts: &Facts, locales: Option<&Locales>) -> Vec<LoadError> {
    let index = Index::new(facts);
    let mut problems = Vec::new();
    for file in files(locales_dir, "ftl") {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        for found in index.find(&text, None) {
            let line = line_of(&text, found.start);
            // Fluent comments start in the first column; an indented `#` is message text.
            let place =
                if text[line_start(&text, found.start)..].starts_with('#') { Place::Comment } else { Place::Message };
            if let Some(p) = judge(&found, place, facts) {
                problems.push(LoadError::at(&file, line, p));
            }
        }
    }
    for fact in facts.facts.values() {
        for written in fact.written() {
            for found in index.find(written, Some(&fact.key)) {
                if let Some(p) = judge(&found, Place::Value(fact), facts) {
                    problems.push(LoadError::at(&facts.file, fact.line, p));
                }
            }
        }
    }
    for file in files(dialogs, "toml") {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        for found in index.find(&text, None) {
            if let Some(p) = judge(&found, Place::Dialog, facts) {
                problems.push(LoadError::at(&file, line_of(&text, found.start), p));
            }
        }
    }
    if let Some(locales) = locales {
        problems.extend(official_links(locales));
    }
    problems
}

/// A value of the facts file, as the lint looks it up.
#[derive(Clone, Copy)]
enum Known<'a> {
    Fact(&'a Fact),
    Own,
}

/// Something written that the lint judges: a number, a web address, or a fact's words.
struct Found<'a> {
    start: usize,
    text: String,
    what: &'static str,
    known: Option<Known<'a>>,
}

/// Where it is written.
#[derive(Clone, Copy)]
enum Place<'a> {
    /// The text of a message: said to citizens.
    Message,
    /// A comment in a `.ftl` file: never said, but read by the next editor.
    Comment,
    /// `dialogs/`: what citizens may type; only NOT CONFIRMED values are refused there.
    Dialog,
    /// The value of this fact in the facts file.
    Value(&'a Fact),
}

struct Index<'a> {
    numbers: HashMap<String, Known<'a>>,
    webs: HashMap<String, Known<'a>>,
    /// Dates and texts, in each way the file writes them.
    words: Vec<(&'a Fact, &'a str)>,
}

impl<'a> Index<'a> {
    fn new(facts: &'a Facts) -> Index<'a> {
        let mut index = Index { numbers: HashMap::new(), webs: HashMap::new(), words: Vec::new() };
        for fact in facts.facts.values() {
            match fact.kind {
                Kind::Number => drop(index.numbers.insert(spot::number_form(&fact.value), Known::Fact(fact))),
                Kind::Web => drop(index.webs.insert(spot::web_form(&fact.value), Known::Fact(fact))),
                Kind::Date | Kind::Text => index.words.extend(fact.written().into_iter().map(|w| (fact, w))),
            }
        }
        for own in &facts.own {
            index.numbers.insert(spot::number_form(&own.value), Known::Own);
            index.webs.insert(spot::web_form(&own.value), Known::Own);
        }
        index
    }

    /// Facts written out in `text` (the longest first: "от 1 до 30 юни" before "30 юни"), then
    /// the web addresses and numbers outside them. `except` is a fact not to look for (its
    /// own value is not a use of it).
    fn find(&self, text: &str, except: Option<&str>) -> Vec<Found<'a>> {
        let mut matches: Vec<(usize, usize, &Fact)> = self
            .words
            .iter()
            .filter(|(f, _)| Some(f.key.as_str()) != except)
            .flat_map(|&(f, w)| spot::find_written(text, w).into_iter().map(move |(s, e)| (s, e, f)))
            .collect();
        matches.sort_by_key(|&(s, e, _)| (Reverse(e - s), s));
        let mut claimed: Vec<(usize, usize)> = Vec::new();
        let free = |claimed: &[(usize, usize)], s: usize, e: usize| claimed.iter().all(|&(cs, ce)| e <= cs || s >= ce);
        let mut found = Vec::new();
        for (s, e, f) in matches {
            if free(&claimed, s, e) {
                claimed.push((s, e));
                found.push(Found {
                    start: s,
                    text: text[s..e].to_string(),
                    what: "value",
                    known: Some(Known::Fact(f)),
                });
            }
        }
        for w in spot::web_addresses(text) {
            if free(&claimed, w.start, w.end) {
                claimed.push((w.start, w.end));
                let known = self.webs.get(&spot::web_form(&w.text)).copied();
                found.push(Found { start: w.start, text: w.text, what: "web address", known });
            }
        }
        for n in spot::numbers(text) {
            if free(&claimed, n.start, n.end) {
                let known = self.numbers.get(&spot::number_form(&n.text)).copied();
                found.push(Found { start: n.start, text: n.text, what: "number", known });
            }
        }
        found.sort_by_key(|f| f.start);
        found
    }
}

/// What is wrong with `found` written at `place`, if anything.
fn judge(found: &Found, place: Place, facts: &Facts) -> Option<String> {
    let file = facts.file.display();
    let text = &found.text;
    let fact = match found.known {
        Some(Known::Fact(f)) => f,
        Some(Known::Own) => return None,
        None => {
            return match place {
                Place::Message | Place::Comment => Some(format!(
                    "the {} \"{text}\" is not a HIGH fact of {file}: add it there with its FACTS.md row, or leave it out",
                    found.what
                )),
                // What citizens type is theirs; a fact's shape is checked when the file loads.
                Place::Dialog | Place::Value(_) => None,
            };
        }
    };
    let key = &fact.key;
    match (fact.confidence, place) {
        (_, Place::Value(of)) if of.key == *key => None,
        (Confidence::NotConfirmed, _) => {
            Some(format!("\"{text}\" is NOT CONFIRMED (fact \"{key}\" in {file}): never say or write it"))
        }
        (_, Place::Dialog) => None,
        (Confidence::Med, Place::Value(of)) if of.confidence == Confidence::High => {
            Some(format!("fact \"{}\" holds \"{text}\", the MED fact \"{key}\": a HIGH fact cannot state it", of.key))
        }
        (_, Place::Value(_)) => None,
        (Confidence::Med, _) => Some(format!(
            "\"{text}\" is MED (fact \"{key}\" in {file}): do not state it; link {{ ${} }} instead",
            fact.link.as_deref().map(facts::variable).unwrap_or_default()
        )),
        (Confidence::High, Place::Message) => Some(format!(
            "\"{text}\" is the fact \"{key}\": write {{ ${} }}, so that one edit changes it",
            facts::variable(key)
        )),
        (Confidence::High, Place::Comment) => None,
    }
}

/// Every message that states a fact gives the fact's official link and ends with a link.
fn official_links(locales: &Locales) -> Vec<LoadError> {
    let mut problems = Vec::new();
    let fact_of = |var: &str| facts::key_of(var).and_then(|k| locales.facts.get(k));
    for messages in locales.catalog.values() {
        for (id, info) in messages {
            let stated: Vec<&Fact> =
                info.vars.iter().filter_map(|v| fact_of(v)).filter(|f| f.kind != Kind::Web).collect();
            let Some(first_link) = stated.iter().find_map(|f| f.link.as_deref()) else { continue };
            for fact in &stated {
                if let Some(link) = fact.link.as_deref().filter(|l| !info.vars.contains(&facts::variable(l))) {
                    problems.push(LoadError::at(
                        &info.file,
                        info.line,
                        format!(
                            "message \"{id}\" states ${} but not its official link {{ ${} }}",
                            facts::variable(&fact.key),
                            facts::variable(link)
                        ),
                    ));
                }
            }
            if !info.ends_with.as_deref().and_then(fact_of).is_some_and(|f| f.kind == Kind::Web) {
                problems.push(LoadError::at(
                    &info.file,
                    info.line,
                    format!(
                        "message \"{id}\" states a fact, so it ends with its official link (such as {{ ${} }})",
                        facts::variable(first_link)
                    ),
                ));
            }
        }
    }
    problems
}

/// The files with this extension in a folder and its subfolders, in order.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|x| x == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}
