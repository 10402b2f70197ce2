//! The content lint: everything loads, every step is reachable, every message exists in both
//! languages with the same variables, and no fact slips in that FACTS.md does not confirm
//! (`sofia-bot check` runs the facts lint; these tests break throwaway copies to see it fail).

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

/// A copy of `dialogs/` and `locales/` to break, and what `check` says about it.
struct Throwaway {
    dir: tempfile::TempDir,
}

impl Throwaway {
    fn new() -> Throwaway {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&root().join("dialogs"), &dir.path().join("dialogs"));
        copy_dir(&root().join("locales"), &dir.path().join("locales"));
        Throwaway { dir }
    }

    fn path(&self, file: &str) -> std::path::PathBuf {
        self.dir.path().join(file)
    }

    /// Replaces `from` by `to` in one file, which must contain it.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.path(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn problems(&self) -> Vec<String> {
        check(&self.path("dialogs"), &self.path("locales"), Settings::default()).iter().map(|p| p.to_string()).collect()
    }
}

/// The line of `file` in the throwaway copy that contains `text`, as `file:line:`.
fn at(t: &Throwaway, file: &str, text: &str) -> String {
    let path = t.path(file);
    let source = std::fs::read_to_string(&path).unwrap();
    let line = source.lines().position(|l| l.contains(text)).expect("the text is in the file") + 1;
    format!("{}:{line}:", path.display())
}

#[test]
fn a_calendar_that_does_not_read_is_reported_at_file_and_line() {
    let t = Throwaway::new();
    t.edit("locales/calendar.toml", "date = \"05-06\"", "date = \"05-32\"");
    t.edit("locales/calendar.toml", "time_zone = \"Europe/Sofia\"", "time_zone = \"Europe/Sofija\"");
    let problems = t.problems();
    let date = at(&t, "locales/calendar.toml", "05-32");
    let zone = at(&t, "locales/calendar.toml", "Europe/Sofija");
    assert!(problems.iter().any(|p| p.starts_with(&date) && p.contains("not a month and day")), "{problems:#?}");
    assert!(problems.iter().any(|p| p.starts_with(&zone) && p.contains("not an IANA time zone")), "{problems:#?}");
}

#[test]
fn a_not_confirmed_value_in_a_message_is_reported_at_file_and_line() {
    let t = Throwaway::new();
    t.edit(
        "locales/bg/housing.ftl",
        "    Ако някой е в опасност",
        "    Водата: 0700 121 21.\n    Ако някой е в опасност",
    );
    t.edit("locales/en/jobs.ftl", "Pick a topic.", "Pick a topic. Taxes: see sonet09.");
    let problems = t.problems();
    let water = at(&t, "locales/bg/housing.ftl", "0700 121 21");
    let portal = at(&t, "locales/en/jobs.ftl", "sonet09");
    for (place, value) in [(water, "\"0700 121 21\" is NOT CONFIRMED"), (portal, "\"sonet09\" is NOT CONFIRMED")] {
        assert!(
            problems.iter().any(|p| p.starts_with(&place) && p.contains(value)),
            "no {place} {value}: {problems:#?}"
        );
    }
}

#[test]
fn a_not_confirmed_value_in_a_comment_or_a_dialog_is_reported_too() {
    let t = Throwaway::new();
    t.edit("locales/en/core.ftl", "\n", "\n# the old number was 0700 1 0700\n");
    t.edit("dialogs/main.toml", "\n", "\n# call 0700-121-21\n");
    let problems = t.problems();
    let comment = at(&t, "locales/en/core.ftl", "0700 1 0700");
    let dialog = at(&t, "dialogs/main.toml", "0700-121-21");
    assert!(problems.iter().any(|p| p.starts_with(&comment) && p.contains("NOT CONFIRMED")), "{problems:#?}");
    assert!(problems.iter().any(|p| p.starts_with(&dialog) && p.contains("NOT CONFIRMED")), "{problems:#?}");
}

#[test]
fn an_untraced_number_or_link_is_reported_at_file_and_line() {
    let t = Throwaway::new();
    t.edit("locales/bg/mobility.ftl", "mobility-title = ", "mobility-title = Паяк: 02 123 4567, www.sofia.bg/payak ");
    let problems = t.problems();
    let place = at(&t, "locales/bg/mobility.ftl", "mobility-title");
    for found in
        ["the number \"02 123 4567\" is not a HIGH fact", "the web address \"www.sofia.bg/payak\" is not a HIGH fact"]
    {
        assert!(problems.iter().any(|p| p.starts_with(&place) && p.contains(found)), "no {found}: {problems:#?}");
    }
}

#[test]
fn a_fact_written_out_is_reported_with_its_variable() {
    let t = Throwaway::new();
    t.edit("locales/en/emergency.ftl", "on { $fact-call-sofia-phone }", "on 0700 17 310");
    let problems = t.problems();
    let place = at(&t, "locales/en/emergency.ftl", "on 0700 17 310");
    assert!(
        problems.iter().any(|p| p.starts_with(&place) && p.contains("write { $fact-call-sofia-phone }")),
        "{problems:#?}"
    );
}

#[test]
fn a_fact_variable_that_is_not_a_high_fact_is_reported_and_refused() {
    let t = Throwaway::new();
    t.edit("locales/bg/health.ftl", "{ $fact-nhif-phone }", "{ $fact-nhif-phon }");
    t.edit("locales/en/health.ftl", "{ $fact-nhif-phone }", "{ $fact-toplo-phone }");
    let problems = t.problems();
    let unknown = at(&t, "locales/bg/health.ftl", "health-nhif =");
    let med = at(&t, "locales/en/health.ftl", "health-nhif =");
    assert!(
        problems.iter().any(|p| p.starts_with(&unknown) && p.contains("has no fact \"nhif-phon\"")),
        "{problems:#?}"
    );
    assert!(problems.iter().any(|p| p.starts_with(&med) && p.contains("a MED fact")), "{problems:#?}");
    assert!(sofia_bot::i18n::Locales::load(&t.path("locales")).is_err(), "locales with them must not load");
}

#[test]
fn a_malformed_facts_file_is_reported_at_its_line() {
    let t = Throwaway::new();
    t.edit("locales/facts.toml", "sofia.bg\"\nconfidence = \"high\"", "sofia.bg\"\nconfidence = \"HIGH\"");
    let problems = t.problems();
    let place = at(&t, "locales/facts.toml", "\"HIGH\"");
    assert!(problems.iter().any(|p| p.starts_with(&place) && p.contains("confidence \"HIGH\"")), "{problems:#?}");
}

#[test]
fn a_factual_answer_without_its_official_link_is_reported() {
    let t = Throwaway::new();
    t.edit("locales/bg/mobility.ftl", "    { $fact-sofiatraffic-web }\n\nmobility-zones", "\nmobility-zones");
    let problems = t.problems();
    let place = at(&t, "locales/bg/mobility.ftl", "mobility-parking-pay =");
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(&place) && p.contains("not its official link { $fact-sofiatraffic-web }")),
        "{problems:#?}"
    );
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

pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
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

#[test]
fn the_command_menu_comes_whole_from_the_locales_in_both_languages() {
    use sofia_bot::channels::telegram::render::{COMMANDS, command_menu};
    let locales = crate::support::locales();
    for lang in sofia_bot::lang::Lang::ALL {
        let menu = command_menu(locales, lang);
        let names: Vec<&str> = menu.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, COMMANDS, "{lang:?}");
        for (name, text) in &menu {
            assert!((1..=256).contains(&text.chars().count()), "{lang:?} /{name}: {text:?}");
            assert!(!text.contains("cmd-"), "{lang:?} /{name} shows a message id: {text:?}");
        }
    }
}
