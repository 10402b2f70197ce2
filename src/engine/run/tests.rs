//! `step` on a small content of its own (a town with one form, not Sofia's): commands,
//! buttons, a form from its first question to its answer, cancelling, a hand-over with what
//! the form collected, the timeout, odd input, and purity.

use std::path::Path;
use std::sync::OnceLock;

use chrono::Duration;

use super::*;
use crate::engine::{Settings, epoch, load_flows};

const AREAS: &str = "none = {}\nhuman = {}\nparking = {}\n";

const MAIN: &str = r#"
[flow]
id = "main"
title = "main-title"
topic = "general"
start = "menu"

[step.welcome]
say = "main-welcome"
next = "menu"

[step.menu]
say = "main-menu"
buttons = [{ label = "parking-title", goto = "parking:" }]

[step.help]
say = "main-help"
"#;

const HUMAN: &str = r#"
[flow]
id = "human"
title = "human-title"
topic = "human"
start = "handover"

[[intent]]
id = "person"
bg = ["искам да говоря с човек", "дайте ми служител"]
en = ["i want to talk to a person", "give me a human"]

[step.handover]
escalate = true
say = "human-handover"
"#;

const PARKING: &str = r#"
[flow]
id = "parking"
title = "parking-title"
topic = "parking"
start = "zone"

[[intent]]
id = "pay"
bg = ["как да платя паркинг", "плащане на паркиране в зона", "паркинг такса"]
en = ["how do i pay for parking", "parking fee in a zone", "pay parking"]

[step.zone]
ask = "zone"
prompt = "parking-ask-zone"
expect = "choice"
choices = [
  { value = "blue", label = "parking-zone-blue", words = ["син", "blue"] },
  { value = "green", label = "parking-zone-green", words = ["зелен", "green"] },
]
next = "answer"

[step.answer]
say = "parking-answer"
"#;

fn flows() -> &'static Flows {
    static FLOWS: OnceLock<Flows> = OnceLock::new();
    FLOWS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a folder");
        for (name, text) in
            [("areas.toml", AREAS), ("main.toml", MAIN), ("human.toml", HUMAN), ("parking.toml", PARKING)]
        {
            std::fs::write(dir.path().join(name), text).expect("the fixture is written");
        }
        load_flows(Path::new(dir.path()), Settings::default()).unwrap_or_else(|e| panic!("the fixture loads: {e:?}"))
    })
}

/// One step at `now`, from `session`.
fn say(session: Session, input: Input, now: DateTime<Utc>) -> Turn {
    step(flows(), session, &Incoming { input, channel_lang: None }, now)
}

fn text(t: &str) -> Input {
    Input::from_text(t)
}

/// The ids the turn said, lead messages first.
fn ids(turn: &Turn) -> Vec<String> {
    turn.replies.iter().flat_map(|r| r.lead.iter().chain([&r.text]).map(|m| m.id.clone())).collect()
}

fn waiting_at(turn: &Turn) -> Option<String> {
    turn.session.at.as_ref().map(|t| format!("{}:{}", t.flow, t.step))
}

fn fresh() -> Session {
    Session::new(Lang::Bg)
}

#[test]
fn start_welcomes_and_shows_the_menu_in_one_bubble() {
    let turn = say(fresh(), text("/start"), epoch());
    assert_eq!(ids(&turn), ["main-welcome", "main-menu"]);
    assert_eq!(turn.replies.len(), 1, "welcome leads into the menu");
    assert!(turn.effects.is_empty());
}

#[test]
fn an_unknown_command_is_said_with_the_menu_and_a_person_at_hand() {
    let turn = say(fresh(), text("/parkirane"), epoch());
    assert_eq!(ids(&turn), ["unknown-command"]);
    let buttons: Vec<&str> = turn.replies[0].buttons.iter().flatten().map(|b| b.label.id.as_str()).collect();
    assert!(buttons.contains(&"btn-menu") && buttons.contains(&"btn-human"), "{buttons:?}");
}

#[test]
fn a_question_opens_the_form_and_a_word_of_a_choice_answers_it() {
    let asked = say(fresh(), text("как да платя паркинг"), epoch());
    assert_eq!(ids(&asked), ["parking-ask-zone"]);
    assert_eq!(waiting_at(&asked).as_deref(), Some("parking:zone"));
    let answered = say(asked.session, text("в синята"), epoch() + Duration::minutes(1));
    assert_eq!(ids(&answered), ["parking-answer"]);
    assert_eq!(answered.session.slots.get("zone").map(Slot::value).as_deref(), Some("blue"));
}

#[test]
fn a_choice_pressed_on_its_button_answers_the_question() {
    let asked = say(fresh(), text("/start parking"), epoch());
    let green = asked.replies[0].buttons.iter().flatten().find(|b| b.label.id == "parking-zone-green").cloned();
    let green = green.expect("the question offers its choices as buttons");
    let answered = say(asked.session, Input::Button { data: green.data }, epoch());
    assert_eq!(answered.session.slots.get("zone").map(Slot::value).as_deref(), Some("green"));
}

#[test]
fn a_button_that_no_longer_means_anything_is_called_stale() {
    let turn = say(fresh(), Input::Button { data: "nothing:we:know".into() }, epoch());
    assert_eq!(ids(&turn), ["stale-button"]);
}

#[test]
fn cancel_leaves_a_form_and_says_so_only_when_there_was_one() {
    let asked = say(fresh(), text("/start parking"), epoch());
    let cancelled = say(asked.session, text("/cancel"), epoch());
    assert_eq!(ids(&cancelled)[0], "cancelled");
    assert_eq!(waiting_at(&cancelled), None);
    assert_eq!(ids(&say(fresh(), text("/cancel"), epoch()))[0], "nothing-to-cancel");
}

#[test]
fn a_hand_over_from_a_form_tells_staff_its_topic() {
    let asked = say(fresh(), text("/start parking"), epoch());
    let turn = say(asked.session, text("/human"), epoch());
    assert!(ids(&turn).contains(&"human-handover".to_string()), "{:?}", ids(&turn));
    match turn.effects.as_slice() {
        [Effect::Escalate { topic, .. }] => assert_eq!(topic, "parking"),
        other => panic!("one hand-over, got {other:?}"),
    }
}

#[test]
fn after_the_timeout_a_citizen_in_a_form_is_asked_whether_to_go_on_or_start_over() {
    let asked = say(fresh(), text("/start parking"), epoch());
    let later = epoch() + Settings::default().session_timeout + Duration::minutes(1);
    let turn = say(asked.session, text("здравейте"), later);
    assert_eq!(ids(&turn), ["welcome-back"]);
    let buttons: Vec<&str> = turn.replies[0].buttons.iter().flatten().map(|b| b.label.id.as_str()).collect();
    assert!(buttons.contains(&"btn-continue") && buttons.contains(&"btn-restart"), "{buttons:?}");
    assert_eq!(turn.session.paused.as_ref().map(|t| t.step.as_str()), Some("zone"), "the form waits");
}

#[test]
fn empty_and_unsupported_input_get_a_clear_answer_and_keep_the_form() {
    let asked = say(fresh(), text("/start parking"), epoch());
    let empty = say(asked.session.clone(), text("   "), epoch());
    assert_eq!(ids(&empty)[0], "empty-input");
    let sticker = say(asked.session, Input::Unsupported { what: "sticker".into() }, epoch());
    assert_eq!(ids(&sticker), ["unsupported-input", "parking-ask-zone"], "the question is asked again");
    assert_eq!(waiting_at(&sticker).as_deref(), Some("parking:zone"));
}

#[test]
fn the_same_session_input_and_time_give_the_same_turn() {
    let asked = say(fresh(), text("/start parking"), epoch());
    let once = say(asked.session.clone(), text("зелена"), epoch());
    let again = say(asked.session, text("зелена"), epoch());
    assert_eq!(once.replies, again.replies);
    assert_eq!(once.effects, again.effects);
    assert_eq!(serde_json::to_string(&once.session).ok(), serde_json::to_string(&again.session).ok());
}
