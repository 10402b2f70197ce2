//! The facts file, `locales/facts.toml`: every number, link, address and date that content
//! may say (HIGH), may not state (MED: its official site is linked instead) or must never say
//! (NOT CONFIRMED), each once, with its source and the date it was checked.
//!
//! A message says a fact through the variable `$fact-<key>`, which `i18n` supplies. Loading
//! checks the file's shape, at file:line; it never reads `../shared` (a test compares this
//! file with FACTS.md there).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::spot::{self, numbers, web_addresses};
use crate::engine::LoadError;
use crate::lang::Lang;

/// How sure the project is of a fact (FACTS.md's column "conf.").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Content may state it.
    High,
    /// Content does not state it; it links the fact's `link` instead.
    Med,
    /// Never said, anywhere.
    NotConfirmed,
}

impl Confidence {
    pub fn name(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Med => "med",
            Confidence::NotConfirmed => "not-confirmed",
        }
    }
}

/// What a fact's value is, which decides how the lint finds it in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number of three digits or more: a phone, short or SMS number, a year.
    Number,
    /// A web address (HIGH ones in full, with `https://`) or an e-mail address.
    Web,
    /// A date or a span of dates; it may hold its year.
    Date,
    /// Anything else: an address, a name, a duration. It holds no number of three digits or
    /// more and no web address (those are facts of their own).
    Text,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Number => "number",
            Kind::Web => "web",
            Kind::Date => "date",
            Kind::Text => "text",
        }
    }
}

/// One checked fact.
#[derive(Debug, Clone)]
pub struct Fact {
    pub key: String,
    pub kind: Kind,
    /// The value as FACTS.md writes it.
    pub value: String,
    /// How each language says it, when that differs from `value` (dates, durations).
    pub words: BTreeMap<Lang, String>,
    pub confidence: Confidence,
    pub source: String,
    /// When it was last checked: `2026-12` or `2026-12-05`.
    pub checked: String,
    /// The key of the official site that confirms it: a message stating the fact ends with
    /// it, and for a MED fact it is what content links instead.
    pub link: Option<String>,
    /// The line of `[fact.<key>]`.
    pub line: usize,
}

impl Fact {
    /// The text a message in `lang` gets for `$fact-<key>`.
    pub fn says(&self, lang: Lang) -> &str {
        self.words.get(&lang).unwrap_or(&self.value)
    }

    /// Every way the file writes this fact: its value, then each language's words.
    pub fn written(&self) -> Vec<&str> {
        let mut all = vec![self.value.as_str()];
        for w in self.words.values() {
            if !all.contains(&w.as_str()) {
                all.push(w);
            }
        }
        all
    }
}

/// A value that is ours, not a fact about the city (the country code in an example phone
/// number, a form's length limit): written literally, never traced to FACTS.md.
#[derive(Debug, Clone)]
pub struct Own {
    pub key: String,
    pub value: String,
    pub why: String,
    pub line: usize,
}

/// The facts file, loaded and checked.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub file: PathBuf,
    pub facts: BTreeMap<String, Fact>,
    pub own: Vec<Own>,
}

impl Facts {
    /// The numbers content may state or link (HIGH and MED facts of kind number), as written:
    /// published for everyone to call, so never personal data (see `privacy::redact`).
    pub fn numbers(&self) -> impl Iterator<Item = &str> {
        self.facts
            .values()
            .filter(|f| f.kind == Kind::Number && f.confidence != Confidence::NotConfirmed)
            .map(|f| f.value.as_str())
    }
}

/// The Fluent variable that says a fact: `call-sofia-phone` is `$fact-call-sofia-phone`.
pub fn variable(key: &str) -> String {
    format!("{PREFIX}{key}")
}

/// The fact a Fluent variable names, if it is named like one.
pub fn key_of(variable: &str) -> Option<&str> {
    variable.strip_prefix(PREFIX)
}

const PREFIX: &str = "fact-";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    fact: BTreeMap<String, RawFact>,
    #[serde(default)]
    own: BTreeMap<String, RawOwn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    kind: Spanned<String>,
    value: Spanned<String>,
    bg: Option<Spanned<String>>,
    en: Option<Spanned<String>>,
    confidence: Spanned<String>,
    source: Spanned<String>,
    checked: Spanned<String>,
    link: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOwn {
    value: Spanned<String>,
    why: Spanned<String>,
}

impl Facts {
    /// Reads and checks the facts file, reporting every problem at its line.
    pub fn load(path: &Path) -> Result<Facts, Vec<LoadError>> {
        let source = std::fs::read_to_string(path)
            .map_err(|e| vec![LoadError::at(path, 0, format!("cannot read the facts file: {e}"))])?;
        let raw: RawFile = toml::from_str(&source).map_err(|e| {
            let line = e.span().map_or(1, |s| line_at(&source, s.start));
            vec![LoadError::at(path, line, e.message().trim().to_string())]
        })?;
        let mut errors = Vec::new();
        let mut facts = Facts { file: path.to_path_buf(), ..Facts::default() };
        for (key, raw) in raw.fact {
            let line = header_line(&source, "fact", &key);
            match parse_fact(&source, key, line, raw) {
                Ok(fact) => {
                    facts.facts.insert(fact.key.clone(), fact);
                }
                Err((line, message)) => errors.push(LoadError::at(path, line, message)),
            }
        }
        for (key, raw) in raw.own {
            let line = header_line(&source, "own", &key);
            let value = raw.value.get_ref().clone();
            if !is_one(&value, &numbers(&value)) && !is_one(&value, &web_addresses(&value)) {
                errors.push(LoadError::at(
                    path,
                    line,
                    format!("own \"{key}\": \"{value}\" is not a number or a web address"),
                ));
            }
            if raw.why.get_ref().trim().is_empty() {
                errors.push(LoadError::at(path, line, format!("own \"{key}\" needs a `why`")));
            }
            facts.own.push(Own { key, value, why: raw.why.into_inner(), line });
        }
        errors.extend(facts.cross_check());
        if errors.is_empty() { Ok(facts) } else { Err(errors) }
    }

    pub fn get(&self, key: &str) -> Option<&Fact> {
        self.facts.get(key)
    }

    /// Links that name a HIGH web fact; no two facts with one value; no own value that is a fact.
    fn cross_check(&self) -> Vec<LoadError> {
        let mut errors = Vec::new();
        let mut seen: BTreeMap<String, &Fact> = BTreeMap::new();
        for fact in self.facts.values() {
            let at = |message: String| LoadError::at(&self.file, fact.line, message);
            if let Some(link) = &fact.link {
                match self.facts.get(link) {
                    Some(l) if l.kind == Kind::Web && l.confidence == Confidence::High => {}
                    Some(_) => {
                        errors.push(at(format!("fact \"{}\": link \"{link}\" is not a HIGH web fact", fact.key)))
                    }
                    None => errors.push(at(format!("fact \"{}\": link \"{link}\" is not a fact", fact.key))),
                }
            }
            for written in fact.written() {
                let form = match fact.kind {
                    Kind::Number => spot::number_form(written),
                    Kind::Web => spot::web_form(written),
                    Kind::Date | Kind::Text => written.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" "),
                };
                if let Some(other) = seen.insert(form, fact).filter(|o| o.key != fact.key) {
                    errors.push(at(format!(
                        "fact \"{}\" has the value \"{written}\" of fact \"{}\" (line {}): one fact, one entry",
                        fact.key, other.key, other.line
                    )));
                }
            }
        }
        for own in &self.own {
            let same = |f: &&Fact| match f.kind {
                Kind::Number => spot::number_form(&f.value) == spot::number_form(&own.value),
                Kind::Web => spot::web_form(&f.value) == spot::web_form(&own.value),
                Kind::Date | Kind::Text => false,
            };
            if let Some(fact) = self.facts.values().find(same) {
                errors.push(LoadError::at(
                    &self.file,
                    own.line,
                    format!(
                        "own \"{}\" is the fact \"{}\" (line {}): a fact is not ours",
                        own.key, fact.key, fact.line
                    ),
                ));
            }
        }
        errors
    }
}

fn parse_fact(source: &str, key: String, line: usize, raw: RawFact) -> Result<Fact, (usize, String)> {
    let at = |s: &Spanned<String>| line_at(source, s.span().start);
    if !valid_key(&key) {
        return Err((line, format!("fact key \"{key}\" must be a-z and 0-9 words joined by single hyphens")));
    }
    let kind = match raw.kind.get_ref().as_str() {
        "number" => Kind::Number,
        "web" => Kind::Web,
        "date" => Kind::Date,
        "text" => Kind::Text,
        other => {
            return Err((at(&raw.kind), format!("fact \"{key}\": kind \"{other}\" is not number, web, date or text")));
        }
    };
    let confidence = match raw.confidence.get_ref().as_str() {
        "high" => Confidence::High,
        "med" => Confidence::Med,
        "not-confirmed" => Confidence::NotConfirmed,
        other => {
            return Err((
                at(&raw.confidence),
                format!("fact \"{key}\": confidence \"{other}\" is not high, med or not-confirmed"),
            ));
        }
    };
    if !valid_date(raw.checked.get_ref()) {
        return Err((
            at(&raw.checked),
            format!("fact \"{key}\": checked = \"{}\" is not YYYY-MM or YYYY-MM-DD", raw.checked.get_ref()),
        ));
    }
    if raw.source.get_ref().trim().is_empty() {
        return Err((at(&raw.source), format!("fact \"{key}\" needs a source")));
    }
    let mut words = BTreeMap::new();
    for (lang, w) in [(Lang::Bg, &raw.bg), (Lang::En, &raw.en)] {
        if let Some(w) = w {
            if matches!(kind, Kind::Number | Kind::Web) {
                return Err((
                    at(w),
                    format!("fact \"{key}\": a {} reads the same in every language; drop `{lang}`", kind.name()),
                ));
            }
            words.insert(lang, w.get_ref().clone());
        }
    }
    for written in std::iter::once(&raw.value).chain(raw.bg.iter()).chain(raw.en.iter()) {
        shape(&key, kind, confidence, written.get_ref()).map_err(|m| (at(written), m))?;
    }
    match (&raw.link, kind, confidence) {
        (Some(l), Kind::Web, Confidence::High) => {
            return Err((at(l), format!("fact \"{key}\" is a HIGH web address: it is its own link")));
        }
        (None, _, Confidence::Med) => {
            return Err((
                line,
                format!("fact \"{key}\" is MED: name the site content links instead (`link = \"<web fact>\"`)"),
            ));
        }
        _ => {}
    }
    Ok(Fact {
        key,
        kind,
        value: raw.value.into_inner(),
        words,
        confidence,
        source: raw.source.into_inner(),
        checked: raw.checked.into_inner(),
        link: raw.link.map(Spanned::into_inner),
        line,
    })
}

/// A value is what its kind says, and a text hides no number or link.
fn shape(key: &str, kind: Kind, confidence: Confidence, value: &str) -> Result<(), String> {
    if value.trim().is_empty() || value.trim() != value || value.contains('\n') {
        return Err(format!("fact \"{key}\": a value is one line, without spaces around it"));
    }
    let (nums, webs) = (numbers(value), web_addresses(value));
    match kind {
        Kind::Number if !(webs.is_empty() && is_one(value, &nums)) => {
            Err(format!("fact \"{key}\": \"{value}\" is not one number of three digits or more"))
        }
        Kind::Web if !is_one(value, &webs) => Err(format!("fact \"{key}\": \"{value}\" is not one web address")),
        Kind::Web if confidence == Confidence::High && !value.starts_with("https://") => {
            Err(format!("fact \"{key}\": a HIGH web address is written in full, starting https://"))
        }
        Kind::Date | Kind::Text => {
            let year = |s: &spot::Spot| kind == Kind::Date && s.text.len() == 4 && s.text.starts_with(['1', '2']);
            match webs.first().or(nums.iter().find(|s| !year(s))) {
                Some(hidden) => Err(format!(
                    "fact \"{key}\": \"{}\" hides in a {}: give it a fact of its own (kind number or web)",
                    hidden.text,
                    kind.name()
                )),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

fn is_one(value: &str, spots: &[spot::Spot]) -> bool {
    matches!(spots, [only] if only.text == value)
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize, range: std::ops::RangeInclusive<u32>| {
        p.len() == len && p.parse::<u32>().is_ok_and(|n| range.contains(&n))
    };
    match parts.as_slice() {
        [y, m] => num(y, 4, 2000..=2100) && num(m, 2, 1..=12),
        [y, m, d] => num(y, 4, 2000..=2100) && num(m, 2, 1..=12) && num(d, 2, 1..=31),
        _ => false,
    }
}

fn line_at(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// The line of `[table.key]`.
fn header_line(source: &str, table: &str, key: &str) -> usize {
    let header = format!("[{table}.{key}]");
    source.lines().position(|l| l.trim() == header).map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Facts, Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("facts.toml");
        std::fs::write(&path, text).unwrap();
        Facts::load(&path).map_err(|e| e.iter().map(|e| e.to_string()).collect())
    }

    const SITE: &str = "[fact.site-web]\nkind = \"web\"\nvalue = \"https://www.sofia.bg\"\nconfidence = \"high\"\nsource = \"sofia.bg\"\nchecked = \"2026-11\"\n";

    #[test]
    fn a_fact_with_words_per_language_says_each() {
        let text = format!(
            "{SITE}\n[fact.tax-first]\nkind = \"date\"\nvalue = \"30 June\"\nbg = \"30 юни\"\nconfidence = \"high\"\nsource = \"ЗМДТ\"\nchecked = \"2026-12\"\nlink = \"site-web\"\n"
        );
        let facts = load(&text).unwrap();
        let fact = facts.get("tax-first").unwrap();
        assert_eq!((fact.says(Lang::Bg), fact.says(Lang::En), fact.line), ("30 юни", "30 June", 8));
        assert_eq!(key_of(&variable("tax-first")), Some("tax-first"));
    }

    #[test]
    fn a_malformed_file_is_reported_at_its_line() {
        let e = load(&format!("{SITE}\n[fact.x]\nkind = \"web\"\nvalue = 42\n")).unwrap_err();
        assert!(e[0].contains("facts.toml:10:"), "{e:?}");
        let e = load(&SITE.replace("\"high\"", "\"HIGH\"")).unwrap_err();
        assert!(e[0].contains("facts.toml:4:") && e[0].contains("confidence \"HIGH\""), "{e:?}");
    }

    #[test]
    fn a_text_cannot_hide_a_number_and_a_med_fact_names_its_link() {
        let text = format!(
            "{SITE}\n[fact.office]\nkind = \"text\"\nvalue = \"ул. „Враня“ 20, 02 813 0400\"\nconfidence = \"med\"\nsource = \"x\"\nchecked = \"2026-12\"\n"
        );
        let e = load(&text).unwrap_err();
        assert!(e[0].contains("facts.toml:10:") && e[0].contains("\"02 813 0400\" hides"), "{e:?}");
        let e = load(&text.replace(", 02 813 0400", "")).unwrap_err();
        assert!(e[0].contains("facts.toml:8:") && e[0].contains("is MED"), "{e:?}");
    }

    #[test]
    fn an_own_value_cannot_be_a_fact() {
        let e = load(&format!("{SITE}\n[own.site]\nvalue = \"sofia.bg\"\nwhy = \"ours\"\n")).unwrap_err();
        assert!(e[0].contains("facts.toml:8:") && e[0].contains("is the fact \"site-web\""), "{e:?}");
    }

    #[test]
    fn two_facts_with_one_value_are_refused() {
        let e = load(&format!("{SITE}\n{}", SITE.replace("site-web", "portal-web").replace("www.", ""))).unwrap_err();
        assert!(e[0].contains("fact \"site-web\" has the value") && e[0].contains("of fact \"portal-web\""), "{e:?}");
    }
}
