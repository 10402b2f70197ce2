//! `sofia-bot check`: loads `dialogs/` and `locales/` and lists every problem a content editor
//! can fix alone, each at its file and line, the facts lint (`facts`) included.

mod facts;

use std::collections::BTreeSet;
use std::path::Path;

use crate::engine::{LoadError, Settings, load_flows};
use crate::i18n::{FACTS_FILE, Facts, Locales};
use crate::lang::Lang;

/// Every problem found; empty when all is well.
pub fn check(dialogs: &Path, locales_dir: &Path, settings: Settings) -> Vec<LoadError> {
    let mut problems = Vec::new();
    let locales = Locales::load(locales_dir).map_err(|e| problems.extend(e)).ok();
    let flows = load_flows(dialogs, settings).map_err(|e| problems.extend(e)).ok();

    if let Some(locales) = &locales {
        problems.extend(compare_locales(locales, locales_dir));
    }
    // The lint runs on the text even when a message does not load; a facts file that does not
    // load has been reported already.
    let loaded;
    let facts = match &locales {
        Some(l) => Some(&l.facts),
        None => {
            loaded = Facts::load(&locales_dir.join(FACTS_FILE)).ok();
            loaded.as_ref()
        }
    };
    if let Some(facts) = facts {
        problems.extend(facts::lint(dialogs, locales_dir, facts, locales.as_ref()));
    }
    if let Some(flows) = &flows {
        problems.extend(crate::engine::unreachable_steps(flows));
        for flow in &flows.flows {
            for intent in &flow.intents {
                for lang in Lang::ALL {
                    if intent.examples.get(&lang).is_none_or(|e| e.is_empty()) && !intent.guard {
                        problems.push(LoadError::at(
                            &flow.file,
                            intent.line,
                            format!("intent \"{}\" has no examples in {lang}", intent.id),
                        ));
                    }
                }
            }
        }
    }
    if let (Some(flows), Some(locales)) = (&flows, &locales) {
        for lang in Lang::ALL {
            let folder = locales_dir.join(lang.code());
            let mut reported = BTreeSet::new();
            for m in &flows.messages {
                if !locales.has(lang, &m.id) && reported.insert((m.file.clone(), m.line, m.id.clone())) {
                    problems.push(LoadError::at(
                        &m.file,
                        m.line,
                        format!("message \"{}\" is missing in {}", m.id, folder.display()),
                    ));
                }
            }
            for id in crate::engine::CORE_MESSAGES {
                if !locales.has(lang, id) {
                    problems.push(LoadError::at(
                        &folder.join("core.ftl"),
                        1,
                        format!("the engine's message \"{id}\" is missing in {}", folder.display()),
                    ));
                }
            }
            for id in crate::channels::SHELL_MESSAGES {
                if !locales.has(lang, id) {
                    problems.push(LoadError::at(
                        &folder.join("core.ftl"),
                        1,
                        format!("the shell's message \"{id}\" is missing in {}", folder.display()),
                    ));
                }
            }
        }
    }
    problems
}

/// Messages present in one language and not the other, and `$variables` that differ.
fn compare_locales(locales: &Locales, dir: &Path) -> Vec<LoadError> {
    let mut problems = Vec::new();
    let empty = Default::default();
    for (lang, other) in [(Lang::Bg, Lang::En), (Lang::En, Lang::Bg)] {
        let mine = locales.catalog.get(&lang).unwrap_or(&empty);
        let theirs = locales.catalog.get(&other).unwrap_or(&empty);
        for (id, info) in mine {
            match theirs.get(id) {
                None => problems.push(LoadError::at(
                    &info.file,
                    info.line,
                    format!("message \"{id}\" is missing in {}", dir.join(other.code()).display()),
                )),
                Some(o) if lang == Lang::Bg && o.vars != info.vars => problems.push(LoadError::at(
                    &info.file,
                    info.line,
                    format!(
                        "message \"{id}\" uses {} here but {} in {}:{}",
                        vars(&info.vars),
                        vars(&o.vars),
                        o.file.display(),
                        o.line
                    ),
                )),
                Some(_) => {}
            }
        }
    }
    problems
}

fn vars(v: &BTreeSet<String>) -> String {
    if v.is_empty() {
        "no variables".to_string()
    } else {
        v.iter().map(|s| format!("${s}")).collect::<Vec<_>>().join(", ")
    }
}
