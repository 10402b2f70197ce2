//! The facts file: one edit changes every message that says a fact; every entry is a row of
//! the project's FACTS.md with the same confidence (`../shared/content/FACTS.md`, beside the
//! clone in CI; the product itself never reads it); and the binary refuses a broken file.

use std::path::PathBuf;
use std::process::Command;

use sofia_bot::engine::{Arg, Msg};
use sofia_bot::i18n::facts::{key_of, variable};
use sofia_bot::i18n::spot::{number_form, numbers, web_addresses, web_form};
use sofia_bot::i18n::{Confidence, FACTS_FILE, Facts, Locales};
use sofia_bot::lang::Lang;

use crate::support::{locales, root};

/// Every message (both languages) that says `$fact-<key>`, rendered, with any other variable
/// given a placeholder.
fn rendered(locales: &Locales, key: &str) -> Vec<(Lang, String, String)> {
    let mut out = Vec::new();
    for (lang, messages) in &locales.catalog {
        for (id, info) in messages.iter().filter(|(_, i)| i.vars.contains(&variable(key))) {
            let args = info
                .vars
                .iter()
                .filter(|v| key_of(v).is_none())
                .map(|v| (v.clone(), Arg::Text(format!("<{v}>"))))
                .collect();
            out.push((*lang, id.clone(), locales.render(*lang, &Msg { id: id.clone(), args })));
        }
    }
    out
}

#[test]
fn changing_one_number_in_the_facts_file_changes_every_message_that_says_it() {
    let tmp = tempfile::tempdir().unwrap();
    crate::lint::copy_dir(&root().join("locales"), tmp.path());
    let facts = tmp.path().join(FACTS_FILE);
    let text = std::fs::read_to_string(&facts).unwrap();
    let (old, new) = ("value = \"0700 17 310\"", "value = \"0700 17 999\"");
    assert_eq!(text.matches(old).count(), 1, "Call Sofia's number is written once");
    std::fs::write(&facts, text.replace(old, new)).unwrap();
    let changed = Locales::load(tmp.path()).expect("the edited copy loads");

    let before = rendered(locales(), "call-sofia-phone");
    let after = rendered(&changed, "call-sofia-phone");
    assert!(before.len() >= 10, "Call Sofia's number should be in many messages: {before:#?}");
    assert_eq!(before.len(), after.len());
    for ((lang, id, was), (_, _, now)) in before.iter().zip(&after) {
        assert!(was.contains("0700 17 310"), "{lang} {id} did not say the number: {was}");
        assert_eq!(now, &was.replace("0700 17 310", "0700 17 999"), "{lang} {id} did not change with one edit");
    }
    // Nothing else moved.
    for lang in Lang::ALL {
        for id in locales().catalog[&lang].keys().filter(|id| !before.iter().any(|(_, b, _)| b == *id)) {
            assert_eq!(locales().render(lang, &Msg::new(id)), changed.render(lang, &Msg::new(id)), "{lang} {id}");
        }
    }
}

/// One row of a FACTS.md table: what it says, its confidence, and its line.
struct Row {
    fact: String,
    confidence: Option<Confidence>,
    line: usize,
}

fn facts_md() -> (PathBuf, Vec<Row>) {
    let path = root().join("../shared/content/FACTS.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): the checked facts live beside the clone, in shared/content/FACTS.md; \
             this test compares locales/facts.toml with them",
            path.display()
        )
    });
    let rows = text
        .lines()
        .enumerate()
        .filter_map(|(n, line)| {
            let cells: Vec<&str> = line.trim().strip_prefix('|')?.split('|').map(str::trim).collect();
            let (fact, conf) = (*cells.first()?, *cells.get(1)?);
            let confidence = if conf.starts_with("HIGH") {
                Some(Confidence::High)
            } else if conf.starts_with("MED") {
                Some(Confidence::Med)
            } else if conf.starts_with("NOT CONFIRMED") {
                Some(Confidence::NotConfirmed)
            } else {
                None
            };
            Some(Row { fact: fact.to_string(), confidence, line: n + 1 })
        })
        .collect();
    (path, rows)
}

fn shipped_facts() -> Facts {
    Facts::load(&root().join("locales").join(FACTS_FILE)).expect("the facts file loads")
}

#[test]
fn every_fact_is_a_row_of_facts_md_with_the_same_confidence() {
    let (md, rows) = facts_md();
    let facts = shipped_facts();
    let mut wrong = Vec::new();
    for fact in facts.facts.values() {
        let holding: Vec<&Row> = rows.iter().filter(|r| r.fact.contains(&fact.value)).collect();
        if holding.is_empty() {
            wrong.push(format!("fact \"{}\" (line {}): \"{}\" is in no row", fact.key, fact.line, fact.value));
        } else if !holding.iter().any(|r| r.confidence == Some(fact.confidence)) {
            let seen: Vec<String> = holding
                .iter()
                .map(|r| format!("line {}: {}", r.line, r.confidence.map_or("no confidence", Confidence::name)))
                .collect();
            wrong.push(format!(
                "fact \"{}\" (line {}) is {}, but FACTS.md has \"{}\" as {}",
                fact.key,
                fact.line,
                fact.confidence.name(),
                fact.value,
                seen.join(", ")
            ));
        }
    }
    assert!(wrong.is_empty(), "locales/facts.toml disagrees with {}:\n{}", md.display(), wrong.join("\n"));
}

/// The other way round: a content editor finds every checked link and phone number here.
#[test]
fn every_link_and_phone_number_of_facts_md_is_in_the_facts_file() {
    let (md, rows) = facts_md();
    let facts = shipped_facts();
    let has_web = |w: &str| facts.facts.values().any(|f| web_form(&f.value) == web_form(w));
    let has_number = |n: &str| facts.facts.values().any(|f| number_form(&f.value) == number_form(n));
    let mut missing = Vec::new();
    for row in rows.iter().filter(|r| r.confidence.is_some()) {
        for w in web_addresses(&row.fact).iter().filter(|w| !has_web(&w.text)) {
            missing.push(format!("line {}: {}", row.line, w.text));
        }
        // Phone and short numbers start with 0 or 1; years and decision numbers need no entry.
        for n in numbers(&row.fact).iter().filter(|n| n.text.starts_with(['0', '1', '+']) && !has_number(&n.text)) {
            missing.push(format!("line {}: {}", row.line, n.text));
        }
    }
    assert!(missing.is_empty(), "in {} but not in locales/facts.toml:\n{}", md.display(), missing.join("\n"));
}

#[test]
fn the_binary_refuses_to_start_with_a_broken_facts_file() {
    let tmp = tempfile::tempdir().unwrap();
    crate::lint::copy_dir(&root().join("locales"), tmp.path());
    let facts = tmp.path().join(FACTS_FILE);
    let text = std::fs::read_to_string(&facts).unwrap();
    std::fs::write(&facts, text.replacen("kind = \"web\"", "kind = \"site\"", 1)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sofia-bot"))
        .current_dir(root())
        .args(["--locales"])
        .arg(tmp.path())
        .args(["chat", "--json", "--db"])
        .arg(tmp.path().join("t.db"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "sofia-bot started with a broken facts file");
    assert!(said.contains(&format!("{}:", facts.display())) && said.contains("kind \"site\""), "{said}");
}

#[test]
fn redaction_leaves_the_public_numbers_of_the_facts_file_and_masks_a_citizens() {
    use sofia_bot::privacy::redact::{PublicNumbers, redact};
    let facts = shipped_facts();
    let public = PublicNumbers::new(facts.numbers());
    let stated: Vec<&str> = facts.numbers().collect();
    assert!(stated.contains(&"0700 17 310") && stated.contains(&"112"), "{stated:?}");
    for number in &stated {
        let text = format!("Обадих се на {number} вчера");
        assert_eq!(redact(&text, &public), text);
    }
    // A number FACTS.md does not confirm is nobody's public number here.
    let unconfirmed = &facts.facts["sofiyska-voda-old-phone"].value;
    assert_eq!(redact(&format!("тел. {unconfirmed}"), &public), "тел. [PHONE]");
    assert_eq!(redact("моят е 0888 123 456", &public), "моят е [PHONE]");
}
