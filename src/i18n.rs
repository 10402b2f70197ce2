//! Fluent text from `locales/<lang>/*.ftl`: loading with file:line errors, turning the
//! engine's message ids and arguments into text, and the catalogue that `check` compares.
//!
//! Isolation marks are off (chat text, URLs and tests want plain strings). A message missing
//! at run time never reaches a citizen as a key: the other language's text is used and a
//! warning is logged; `sofia-bot check` and the lint test make sure that never happens.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::engine::{Arg, LoadError, Msg};
use crate::lang::Lang;

/// Where a message is defined and which `$variables` it uses.
#[derive(Debug, Clone)]
pub struct MessageInfo {
    pub file: PathBuf,
    pub line: usize,
    pub vars: BTreeSet<String>,
}

pub struct Locales {
    bundles: BTreeMap<Lang, FluentBundle<FluentResource>>,
    /// Every message of every language, for `check`.
    pub catalog: BTreeMap<Lang, BTreeMap<String, MessageInfo>>,
}

impl std::fmt::Debug for Locales {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locales").field("languages", &self.bundles.keys().collect::<Vec<_>>()).finish()
    }
}

impl Locales {
    /// Loads `dir/bg/*.ftl` and `dir/en/*.ftl`, reporting every syntax error and duplicate.
    pub fn load(dir: &Path) -> Result<Locales, Vec<LoadError>> {
        let mut errors = Vec::new();
        let mut bundles = BTreeMap::new();
        let mut catalog = BTreeMap::new();
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
                    if let ast::Entry::Message(m) = entry {
                        let id = m.id.name.to_string();
                        let line = definition_line(&source, &id);
                        let mut vars = BTreeSet::new();
                        if let Some(p) = &m.value {
                            pattern_vars(p, &mut vars);
                        }
                        for a in &m.attributes {
                            pattern_vars(&a.value, &mut vars);
                        }
                        if let Some(prev) = messages.insert(id.clone(), MessageInfo { file: file.clone(), line, vars })
                        {
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
            bundles.insert(lang, bundle);
            catalog.insert(lang, messages);
        }
        if errors.is_empty() { Ok(Locales { bundles, catalog }) } else { Err(errors) }
    }

    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundles.get(&lang).is_some_and(|b| b.has_message(id))
    }

    /// The text of a message in a language; never the bare id unless no language has it.
    pub fn render(&self, lang: Lang, msg: &Msg) -> String {
        let mut args = FluentArgs::new();
        for (name, arg) in &msg.args {
            let value = match arg {
                Arg::Text(t) => FluentValue::from(t.clone()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Msg(id) => FluentValue::from(self.render(lang, &Msg::new(id))),
            };
            args.set(name.clone(), value);
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

    fn format(&self, lang: Lang, id: &str, args: &FluentArgs) -> Option<String> {
        let bundle = self.bundles.get(&lang)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
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

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
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

fn inline_vars(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
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

    fn locales_with(bg: &str, en: &str) -> (tempfile::TempDir, Locales) {
        let dir = tempfile::tempdir().unwrap();
        for (lang, text) in [("bg", bg), ("en", en)] {
            std::fs::create_dir_all(dir.path().join(lang)).unwrap();
            std::fs::write(dir.path().join(lang).join("test.ftl"), text).unwrap();
        }
        let locales = Locales::load(dir.path()).unwrap();
        (dir, locales)
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
