//! Fluent text from `locales/<lang>/*.ftl`: loading with file:line errors, turning the
//! engine's message ids and arguments into text, and the catalogue that `check` compares.
//!
//! Isolation marks are off (chat text, URLs and tests want plain strings). A message missing
//! at run time never reaches a citizen as a key: the other language's text is used and a
//! warning is logged; `sofia-bot check` and the lint test make sure that never happens.
//!
//! Facts (`locales/facts.toml`) reach a message as the variables `$fact-<key>`. Which facts a
//! message says is worked out from the Fluent AST once, at load, so rendering adds only those.
//! Loading refuses a message that names a fact the file does not have (it would show the
//! variable to a citizen) or a fact that is not HIGH (it would state what FACTS.md does not
//! confirm), and a facts file that does not load.

pub mod facts;
pub mod spot;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::calendar::{CALENDAR_FILE, Calendar};
use crate::engine::{Arg, LoadError, Msg};
use crate::lang::Lang;
pub use facts::{Confidence, Fact, Facts, Kind};

/// The facts file, inside the locales folder.
pub const FACTS_FILE: &str = "facts.toml";

/// Where a message is defined and which `$variables` it uses.
#[derive(Debug, Clone)]
pub struct MessageInfo {
    pub file: PathBuf,
    pub line: usize,
    pub vars: BTreeSet<String>,
    /// The variable of the placeable that ends the message's text, if one does (the official
    /// link that every factual answer ends with).
    pub ends_with: Option<String>,
}

pub struct Locales {
    bundles: BTreeMap<Lang, FluentBundle<FluentResource>>,
    /// Every message of every language, for `check`.
    pub catalog: BTreeMap<Lang, BTreeMap<String, MessageInfo>>,
    /// The facts that messages may say.
    pub facts: Facts,
    /// The city's clock and days off (`calendar.toml`).
    pub calendar: Calendar,
    /// For each message that says facts: each fact's variable and its text in that language.
    said: BTreeMap<Lang, HashMap<String, Vec<(String, String)>>>,
    /// Who receives what citizens hand to staff, as `$team` in every message: set by the
    /// operator (`SOFIA_TEAM_BG`, `SOFIA_TEAM_EN`), else the `team-default` message.
    team: BTreeMap<Lang, String>,
}

impl std::fmt::Debug for Locales {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locales").field("languages", &self.bundles.keys().collect::<Vec<_>>()).finish()
    }
}

impl Locales {
    /// Loads `dir/facts.toml`, `dir/calendar.toml`, `dir/bg/*.ftl` and `dir/en/*.ftl`, reporting every syntax error,
    /// duplicate, and fact variable that names no fact or a fact that is not HIGH.
    pub fn load(dir: &Path) -> Result<Locales, Vec<LoadError>> {
        let mut errors = Vec::new();
        let facts = Facts::load(&dir.join(FACTS_FILE)).map_err(|e| errors.extend(e)).ok();
        let calendar = Calendar::load(&dir.join(CALENDAR_FILE)).map_err(|e| errors.extend(e)).ok();
        let mut bundles = BTreeMap::new();
        let mut catalog = BTreeMap::new();
        let mut said = BTreeMap::new();
        for lang in Lang::ALL {
            let langid: unic_langid::LanguageIdentifier =
                lang.code().parse().expect("bg and en are valid language ids");
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            bundle.set_use_isolating(false);
            if let Err(e) = bundle.add_builtins() {
                errors.push(LoadError::at(dir, 0, format!("fluent builtins: {e:?}")));
            }
            let folder = dir.join(lang.code());
            let mut files: Vec<PathBuf> = match std::fs::read_dir(&folder) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
                    .collect(),
                Err(e) => {
                    errors.push(LoadError::at(&folder, 0, format!("cannot read the folder: {e}")));
                    continue;
                }
            };
            files.sort();
            let mut messages = BTreeMap::new();
            let mut references = BTreeMap::new();
            for file in files {
                let source = match std::fs::read_to_string(&file) {
                    Ok(s) => s,
                    Err(e) => {
                        errors.push(LoadError::at(&file, 0, format!("cannot read: {e}")));
                        continue;
                    }
                };
                let resource = match FluentResource::try_new(source.clone()) {
                    Ok(r) => r,
                    Err((r, errs)) => {
                        for e in errs {
                            errors.push(LoadError::at(
                                &file,
                                line_at(&source, e.pos.start),
                                format!("fluent syntax: {:?}", e.kind),
                            ));
                        }
                        r
                    }
                };
                for entry in resource.entries() {
                    if let ast::Entry::Term(t) = entry {
                        let mut uses = Uses::default();
                        pattern_vars(&t.value, &mut uses);
                        for var in uses.vars.iter().filter(|v| facts::key_of(v).is_some()) {
                            errors.push(LoadError::at(
                                &file,
                                definition_line(&source, &format!("-{}", t.id.name)),
                                format!(
                                    "term \"-{}\" uses ${var}: a term sees only the arguments it is given; say the fact in the message",
                                    t.id.name
                                ),
                            ));
                        }
                    }
                    if let ast::Entry::Message(m) = entry {
                        let id = m.id.name.to_string();
                        let line = definition_line(&source, &id);
                        let mut uses = Uses::default();
                        if let Some(p) = &m.value {
                            pattern_vars(p, &mut uses);
                        }
                        for a in &m.attributes {
                            pattern_vars(&a.value, &mut uses);
                        }
                        let ends_with = m.value.as_ref().and_then(last_variable);
                        references.insert(id.clone(), uses.messages);
                        let info = MessageInfo { file: file.clone(), line, vars: uses.vars, ends_with };
                        if let Some(prev) = messages.insert(id.clone(), info) {
                            errors.push(LoadError::at(
                                &file,
                                line,
                                format!(
                                    "message \"{id}\" is defined twice (also {}:{})",
                                    prev.file.display(),
                                    prev.line
                                ),
                            ));
                        }
                    }
                }
                if let Err(errs) = bundle.add_resource(resource) {
                    for e in errs {
                        errors.push(LoadError::at(&file, 0, format!("fluent: {e:?}")));
                    }
                }
            }
            if let Some(facts) = &facts {
                errors.extend(check_fact_variables(&messages, facts));
                said.insert(lang, facts_said(lang, &messages, &references, facts));
            }
            bundles.insert(lang, bundle);
            catalog.insert(lang, messages);
        }
        match (facts, calendar) {
            (Some(facts), Some(calendar)) if errors.is_empty() => {
                let mut locales = Locales { bundles, catalog, facts, calendar, said, team: BTreeMap::new() };
                for lang in Lang::ALL {
                    if let Some(team) = locales.format(lang, "team-default", &[]) {
                        locales.team.insert(lang, team);
                    }
                }
                Ok(locales)
            }
            _ => Err(errors),
        }
    }

    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundles.get(&lang).is_some_and(|b| b.has_message(id))
    }

    /// The text of a message in a language; never the bare id unless no language has it.
    /// Names who receives what citizens hand to staff (`$team`), in a language.
    pub fn set_team(&mut self, lang: Lang, name: &str) {
        self.team.insert(lang, name.to_string());
    }

    pub fn render(&self, lang: Lang, msg: &Msg) -> String {
        let mut args: Vec<(&str, FluentValue)> = msg
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(t) => FluentValue::from(t.as_str()),
                    Arg::Number(n) => FluentValue::from(*n),
                    Arg::Msg(id) => FluentValue::from(self.render(lang, &Msg::new(id))),
                };
                (name.as_str(), value)
            })
            .collect();
        if let Some(team) = self.team.get(&lang) {
            args.push(("team", FluentValue::from(team.as_str())));
        }
        let order = if lang == Lang::Bg { [Lang::Bg, Lang::En] } else { [Lang::En, Lang::Bg] };
        for l in order {
            if let Some(text) = self.format(l, &msg.id, &args) {
                if l != lang {
                    tracing::warn!(id = %msg.id, lang = %lang, "message missing; used another language");
                }
                return text;
            }
        }
        tracing::warn!(id = %msg.id, "message missing in every language");
        msg.id.clone()
    }

    /// Formats one message with the engine's arguments and the facts it says.
    fn format(&self, lang: Lang, id: &str, given: &[(&str, FluentValue)]) -> Option<String> {
        let bundle = self.bundles.get(&lang)?;
        let pattern = bundle.get_message(id)?.value()?;
        let facts = self.said.get(&lang).and_then(|m| m.get(id)).map_or(&[][..], Vec::as_slice);
        let mut args = FluentArgs::with_capacity(given.len() + facts.len());
        for (name, value) in given {
            args.set(*name, value.clone());
        }
        // Set last, so that a fact always wins over an argument of the same name.
        for (name, text) in facts {
            args.set(name.as_str(), text.as_str());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, lang = %lang, "message formatted with errors: {errors:?}");
        }
        Some(text.into_owned())
    }
}

fn line_at(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// The line where `id = ...` starts.
fn definition_line(source: &str, id: &str) -> usize {
    source
        .lines()
        .position(|l| l.strip_prefix(id).is_some_and(|rest| rest.trim_start().starts_with('=')))
        .map_or(1, |i| i + 1)
}

/// Every fact variable names a HIGH fact of the facts file.
fn check_fact_variables(messages: &BTreeMap<String, MessageInfo>, facts: &Facts) -> Vec<LoadError> {
    let mut errors = Vec::new();
    for (id, info) in messages {
        for var in &info.vars {
            let Some(key) = facts::key_of(var) else { continue };
            let problem = match facts.get(key) {
                None => format!("message \"{id}\" uses ${var}, but {} has no fact \"{key}\"", facts.file.display()),
                Some(f) if f.confidence == Confidence::Med => format!(
                    "message \"{id}\" uses ${var}, a MED fact: do not state it; link {{ ${} }} instead",
                    f.link.as_deref().map(facts::variable).unwrap_or_default()
                ),
                Some(f) if f.confidence == Confidence::NotConfirmed => {
                    format!("message \"{id}\" uses ${var}, a NOT CONFIRMED fact: never say it")
                }
                Some(_) => continue,
            };
            errors.push(LoadError::at(&info.file, info.line, problem));
        }
    }
    errors
}

/// For each message that says facts (itself or through a message it references, which Fluent
/// formats with the same arguments): the variables and their text in `lang`.
fn facts_said(
    lang: Lang,
    messages: &BTreeMap<String, MessageInfo>,
    references: &BTreeMap<String, BTreeSet<String>>,
    facts: &Facts,
) -> HashMap<String, Vec<(String, String)>> {
    let mut said = HashMap::new();
    for id in messages.keys() {
        let mut seen = BTreeSet::new();
        let mut todo = vec![id.as_str()];
        let mut vars = BTreeSet::new();
        while let Some(m) = todo.pop() {
            if !seen.insert(m) {
                continue;
            }
            if let Some(info) = messages.get(m) {
                vars.extend(info.vars.iter().filter(|v| facts::key_of(v).is_some()));
            }
            todo.extend(references.get(m).into_iter().flatten().map(String::as_str));
        }
        let texts: Vec<(String, String)> = vars
            .into_iter()
            .filter_map(|v| facts.get(facts::key_of(v)?).map(|f| (v.clone(), f.says(lang).to_string())))
            .collect();
        if !texts.is_empty() {
            said.insert(id.clone(), texts);
        }
    }
    said
}

/// What a pattern uses: variables, and messages it references.
#[derive(Default)]
struct Uses {
    vars: BTreeSet<String>,
    messages: BTreeSet<String>,
}

/// The variable of the placeable that ends a pattern (after any trailing whitespace).
fn last_variable(p: &ast::Pattern<&str>) -> Option<String> {
    let last = p
        .elements
        .iter()
        .rev()
        .find(|e| !matches!(e, ast::PatternElement::TextElement { value } if value.trim().is_empty()))?;
    match last {
        ast::PatternElement::Placeable {
            expression: ast::Expression::Inline(ast::InlineExpression::VariableReference { id }),
        } => Some(id.name.to_string()),
        _ => None,
    }
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut Uses) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, out: &mut Uses) {
    match e {
        ast::Expression::Inline(i) => inline_vars(i, out),
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, out: &mut Uses) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.vars.insert(id.name.to_string());
        }
        ast::InlineExpression::MessageReference { id, .. } => {
            out.messages.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            arguments.positional.iter().for_each(|a| inline_vars(a, out));
            arguments.named.iter().for_each(|a| inline_vars(&a.value, out));
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FACTS: &str = r#"
[fact.call-web]
kind = "web"
value = "https://call.sofia.bg"
confidence = "high"
source = "call.sofia.bg"
checked = "2026-12"

[fact.call-phone]
kind = "number"
value = "0700 17 310"
confidence = "high"
source = "svc.sofia.bg"
checked = "2026-12"
link = "call-web"

[fact.tax-first]
kind = "date"
value = "30 June"
bg = "30 юни"
confidence = "high"
source = "ЗМДТ"
checked = "2026-12"
link = "call-web"

[fact.toplo-phone]
kind = "number"
value = "0700 11 111"
confidence = "med"
source = "one news report"
checked = "2026-12"
link = "call-web"
"#;

    fn try_locales(bg: &str, en: &str) -> (tempfile::TempDir, Result<Locales, Vec<String>>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FACTS_FILE), FACTS).unwrap();
        std::fs::write(dir.path().join(CALENDAR_FILE), "time_zone = \"UTC\"\neaster = \"none\"\n").unwrap();
        for (lang, text) in [("bg", bg), ("en", en)] {
            std::fs::create_dir_all(dir.path().join(lang)).unwrap();
            std::fs::write(dir.path().join(lang).join("test.ftl"), text).unwrap();
        }
        let locales = Locales::load(dir.path()).map_err(|e| e.iter().map(|e| e.to_string()).collect());
        (dir, locales)
    }

    fn locales_with(bg: &str, en: &str) -> (tempfile::TempDir, Locales) {
        let (dir, locales) = try_locales(bg, en);
        (dir, locales.unwrap())
    }

    #[test]
    fn a_message_says_its_facts_in_its_own_language() {
        let bg = "tax = До { $fact-tax-first }: { $fact-call-phone }\n    { $fact-call-web }\n";
        let en = "tax = By { $fact-tax-first }: { $fact-call-phone }\n    { $fact-call-web }\n";
        let (_dir, l) = locales_with(bg, en);
        assert_eq!(l.render(Lang::Bg, &Msg::new("tax")), "До 30 юни: 0700 17 310\nhttps://call.sofia.bg");
        assert_eq!(l.render(Lang::En, &Msg::new("tax")), "By 30 June: 0700 17 310\nhttps://call.sofia.bg");
        assert_eq!(l.catalog[&Lang::Bg]["tax"].ends_with.as_deref(), Some("fact-call-web"));
    }

    #[test]
    fn a_referenced_message_gets_its_facts_too() {
        let text = "call = { $fact-call-phone }\nhelp = Обадете се: { call }\n";
        let (_dir, l) = locales_with(text, text);
        assert_eq!(l.render(Lang::Bg, &Msg::new("help")), "Обадете се: 0700 17 310");
    }

    #[test]
    fn an_unknown_or_med_fact_is_refused_at_file_and_line() {
        let text = "ok = fine\ncall = { $fact-call-phon }\nheat = { $fact-toplo-phone }\n";
        let (_dir, l) = try_locales(text, text);
        let e = l.unwrap_err();
        assert!(e.iter().any(|e| e.contains("bg/test.ftl:2:") && e.contains("has no fact \"call-phon\"")), "{e:?}");
        assert!(e.iter().any(|e| e.contains("bg/test.ftl:3:") && e.contains("MED")), "{e:?}");
    }

    #[test]
    fn locales_without_a_facts_file_do_not_load() {
        let dir = tempfile::tempdir().unwrap();
        for lang in ["bg", "en"] {
            std::fs::create_dir_all(dir.path().join(lang)).unwrap();
        }
        let e = Locales::load(dir.path()).unwrap_err();
        assert!(e[0].to_string().contains("facts.toml:0: cannot read the facts file"), "{e:?}");
    }

    fn stops(n: f64) -> Msg {
        Msg { id: "stops".into(), args: vec![("n".into(), Arg::Number(n))] }
    }

    #[test]
    fn bulgarian_plurals_pick_one_only_for_exactly_one() {
        let bg = "stops = { $n ->\n    [one] { $n } спирка\n   *[other] { $n } спирки\n}\n";
        let en = "stops = { $n ->\n    [one] { $n } stop\n   *[other] { $n } stops\n}\n";
        let (_dir, l) = locales_with(bg, en);
        assert_eq!(l.render(Lang::Bg, &stops(1.0)), "1 спирка");
        assert_eq!(l.render(Lang::Bg, &stops(3.0)), "3 спирки");
        assert_eq!(l.render(Lang::Bg, &stops(0.0)), "0 спирки");
        assert_eq!(l.render(Lang::En, &stops(1.0)), "1 stop");
    }

    #[test]
    fn text_carries_no_isolation_marks() {
        let (_dir, l) = locales_with("hi = Здравейте, { $name }!\n", "hi = Hello, { $name }!\n");
        let msg = Msg { id: "hi".into(), args: vec![("name".into(), Arg::Text("Мария".into()))] };
        assert_eq!(l.render(Lang::Bg, &msg), "Здравейте, Мария!");
    }

    #[test]
    fn a_message_missing_in_one_language_falls_back_to_the_other() {
        let (_dir, l) = locales_with("only-bg = само български\n", "other = other\n");
        assert_eq!(l.render(Lang::En, &Msg::new("only-bg")), "само български");
        assert_eq!(l.render(Lang::Bg, &Msg::new("nowhere")), "nowhere");
    }
}
