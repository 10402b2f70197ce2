//! Bad input gets a clear, polite answer, never a panic, and loses nothing: the citizen's
//! place in a form is the same afterwards.

use sofia_bot::channels::console::{CHANNEL, parse_line};
use sofia_bot::engine::{Input, Session};

use crate::support::{TempDb, assistant};

fn nasty_inputs() -> Vec<(&'static str, Input)> {
    vec![
        ("empty", Input::from_text("")),
        ("spaces", Input::from_text("   \t ")),
        ("100 KB", Input::from_text(&"а".repeat(100 * 1024))),
        ("control and NUL", Input::from_text("\u{0}\u{1}\u{7}\u{1b}[31m")),
        ("emoji only", Input::from_text("😀🙏🏽👍")),
        ("zero-width", Input::from_text("\u{200b}\u{200c}\u{200d}\u{feff}")),
        ("right-to-left", Input::from_text("\u{202e}مرحبا كيف حالك")),
        ("unknown command", Input::from_text("/frobnicate now")),
        ("mixed scripts", Input::from_text("Kъдe мoгa da купя karta")),
        ("sticker", parse_line("@sticker")),
        ("voice", parse_line("@voice")),
        ("stale button", Input::Button { data: "c:housing:nowhere:9".into() }),
        ("garbage button", Input::Button { data: "\u{0}💥".into() }),
        ("huge number", Input::from_text("99999999999999999999999999999999")),
    ]
}

#[tokio::test]
async fn bad_input_gets_a_polite_answer_and_keeps_the_form() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let now = chrono::Utc::now();
    a.handle(CHANNEL, "1", Input::from_text("/start housing"), None, now).await.unwrap();
    a.handle(CHANNEL, "1", Input::from_text("искам да подам сигнал за проблем в квартала"), None, now).await.unwrap();
    let before = Session::restore(&a.store.load_session(CHANNEL, "1").await.unwrap().unwrap());
    assert!(before.at.is_some(), "the citizen should be in a form");

    for (name, input) in nasty_inputs() {
        let out = a.handle(CHANNEL, "1", input, None, now).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!out.is_empty(), "{name}: no answer");
        for o in &out {
            assert!(!o.text.trim().is_empty(), "{name}: an empty message");
            assert!(!o.text.contains("Unknown localization"), "{name}: {}", o.text);
            assert!(o.text.chars().count() < 4096, "{name}: too long for Telegram");
        }
        assert!(out.iter().flat_map(|o| o.buttons.iter().flatten()).next().is_some(), "{name}: no way on");
        let after = Session::restore(&a.store.load_session(CHANNEL, "1").await.unwrap().unwrap());
        // A clear question in between ("mixed scripts" asks for a travel card) is answered and
        // the form waits for it, paused with its answers.
        if name != "unknown command" {
            let kept = after.at == before.at || after.paused == before.at;
            assert!(kept, "{name}: the form was lost: at {:?}, paused {:?}", after.at, after.paused);
        }
    }
}

#[tokio::test]
async fn emoji_only_and_empty_messages_are_asked_for_words() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let now = chrono::Utc::now();
    for input in ["😀😀", "", "\u{200b}"] {
        let out = a.handle(CHANNEL, "2", Input::from_text(input), None, now).await.unwrap();
        assert!(out[0].text.contains("думи"), "{input:?}: {}", out[0].text);
    }
}
