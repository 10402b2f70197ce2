//! The content lint: everything loads, every step is reachable, every message exists in both
//! languages with the same variables, and no fact slips in that FACTS.md does not confirm.

use std::collections::BTreeSet;

use sofia_bot::check::check;
use sofia_bot::engine::Settings;
use sofia_bot::lang::Lang;

use crate::support::{locales, root};

#[test]
fn dialogs_and_locales_have_no_problems() {
    let problems = check(&root().join("dialogs"), &root().join("locales"), Settings::default());
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(shown.is_empty(), "sofia-bot check finds:\n{}", shown.join("\n"));
}

#[test]
fn a_message_removed_from_bulgarian_is_reported_at_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("locales"), tmp.path());
    let main = tmp.path().join("bg/main.ftl");
    let text = std::fs::read_to_string(&main).unwrap();
    let without: String = text.lines().filter(|l| !l.starts_with("main-menu =")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&main, without).unwrap();

    let problems: Vec<String> =
        check(&root().join("dialogs"), tmp.path(), Settings::default()).iter().map(|p| p.to_string()).collect();
    let at_use = problems.iter().find(|p| p.contains("dialogs/main.toml:") && p.contains("\"main-menu\" is missing"));
    assert!(at_use.is_some(), "no file:line problem for the removed message: {problems:#?}");
    let at_en = problems.iter().find(|p| p.contains("en/main.ftl:") && p.contains("\"main-menu\""));
    assert!(at_en.is_some(), "the English definition is not reported: {problems:#?}");
}

#[test]
fn a_step_going_nowhere_is_reported_at_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("dialogs"), tmp.path());
    let human = tmp.path().join("human.toml");
    let text = std::fs::read_to_string(&human).unwrap();
    std::fs::write(&human, format!("{text}\n[step.later]\nsay = \"human-handover\"\nnext = \"tikets\"\n")).unwrap();
    let problems: Vec<String> =
        check(tmp.path(), &root().join("locales"), Settings::default()).iter().map(|p| p.to_string()).collect();
    assert!(
        problems.iter().any(|p| p.contains("human.toml:") && p.contains("unknown step \"human:tikets\"")),
        "{problems:#?}"
    );
}

/// Every URL and every number of three digits or more (phones, SMS numbers) in the text must
/// be in `locales/allow-list.txt`, which is traced to FACTS.md.
#[test]
fn every_url_and_phone_number_in_the_text_is_on_the_allow_list() {
    let allow_text = std::fs::read_to_string(root().join("locales/allow-list.txt")).unwrap();
    let allowed: BTreeSet<&str> =
        allow_text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let mut unknown = Vec::new();
    for lang in Lang::ALL {
        let dir = root().join("locales").join(lang.code());
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with('#') {
                    continue;
                }
                for found in urls(line).into_iter().chain(numbers(line)) {
                    if !allowed.contains(found.as_str()) {
                        unknown.push(format!("{}:{}: {found}", entry.path().display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "not on the allow-list (add them only with their FACTS.md row):\n{}",
        unknown.join("\n")
    );
}

#[test]
fn the_allow_list_check_catches_an_invented_number_and_link() {
    assert_eq!(numbers("Обадете се на 0700 1 0700."), vec!["0700 1 0700"]);
    assert_eq!(numbers("SMS на 1302, до 25.12.2026, 2 часа"), vec!["1302"]);
    assert_eq!(urls("вижте https://www.sofia.bg/bg/tax, моля"), vec!["https://www.sofia.bg/bg/tax"]);
}

#[test]
fn every_message_is_short_enough_for_a_phone() {
    let locales = locales();
    for lang in Lang::ALL {
        for (id, info) in &locales.catalog[&lang] {
            let text = locales.render(lang, &sofia_bot::engine::Msg::new(id));
            let len = text.chars().count();
            assert!(
                len <= 700,
                "{}:{}: \"{id}\" is {len} characters; keep answers to about 600",
                info.file.display(),
                info.line
            );
        }
    }
}

fn urls(line: &str) -> Vec<String> {
    line.split_whitespace()
        .filter(|w| w.contains("://") || w.starts_with("www."))
        .map(|w| w.trim_end_matches(['.', ',', ';', ')', '»', '“', '"', '!', '?', ':']).to_string())
        .collect()
}

/// Runs of digits (with single spaces between groups, and an optional leading +) holding at
/// least three digits, that are not part of a date, a decimal or a word.
fn numbers(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts =
            chars[i].is_ascii_digit() || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        let glued = i > 0 && (chars[i - 1].is_alphanumeric() || ".,:/-".contains(chars[i - 1]));
        if !starts || glued {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len()
            && (chars[j].is_ascii_digit() || (chars[j] == ' ' && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
        {
            j += 1;
        }
        let run: String = chars[i..j].iter().collect();
        let glued_after = chars.get(j).is_some_and(|c| {
            c.is_alphanumeric() || (".,:/-".contains(*c) && chars.get(j + 1).is_some_and(char::is_ascii_digit))
        });
        if run.chars().filter(char::is_ascii_digit).count() >= 3 && !glued_after {
            out.push(run.trim().to_string());
        }
        i = j;
    }
    out
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Understanding learns from examples: every intent needs enough of them in each language.
#[test]
fn every_intent_has_at_least_25_examples_per_language() {
    let flows = crate::support::flows();
    let mut short = Vec::new();
    for flow in &flows.flows {
        for intent in &flow.intents {
            for lang in Lang::ALL {
                let n = intent.examples.get(&lang).map_or(0, Vec::len);
                if n < 25 {
                    short.push(format!(
                        "{}:{}: intent \"{}\" has {n} {lang} examples",
                        flow.file.display(),
                        intent.line,
                        intent.id
                    ));
                }
            }
        }
    }
    assert!(short.is_empty(), "{}", short.join("\n"));
}
