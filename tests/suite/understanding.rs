//! Understanding, measured on the project's held-out set (never used as examples), and the
//! language rules of the engine.

use sofia_bot::assistant::respond;
use sofia_bot::engine::{Incoming, Input, Session, epoch};
use sofia_bot::eval::eval_file;
use sofia_bot::lang::Lang;

use crate::support::{TempDb, assistant, flows, locales, root};

#[tokio::test]
async fn the_first_held_out_set_is_routed_well_enough() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let report = eval_file(&a, &root().join("tests/nlu/heldout.tsv")).await.unwrap();
    println!("{}", report.to_text());
    assert!(report.total >= 210, "the held-out set is too small: {}", report.total);
    assert!(report.routing.accuracy >= 0.90, "routing {:.3} is below 0.90", report.routing.accuracy);
}

fn say(session: Session, text: &str, channel_lang: Option<Lang>) -> Session {
    let incoming = Incoming { input: Input::from_text(text), channel_lang };
    respond(flows(), locales(), session, &incoming, epoch()).0.session
}

#[test]
fn cyrillic_is_answered_in_bulgarian_even_when_the_app_is_in_english() {
    let s = say(Session::new(Lang::En), "къде да си купя карта за метрото", Some(Lang::En));
    assert_eq!(s.lang, Lang::Bg);
}

#[test]
fn latin_typed_bulgarian_never_flips_the_conversation_to_english() {
    let s = say(Session::new(Lang::Bg), "kude moga da si kupq karta za avtobusa", None);
    assert_eq!(s.lang, Lang::Bg);
    let s = say(Session::new(Lang::En), "kak da si smenq li4niq lekar", Some(Lang::En));
    assert_eq!(s.lang, Lang::Bg);
}

#[test]
fn clear_english_is_answered_in_english() {
    let s = say(Session::new(Lang::Bg), "where can I buy a ticket for the metro", None);
    assert_eq!(s.lang, Lang::En);
}

#[test]
fn a_message_that_does_not_tell_keeps_the_language() {
    for text in ["ok", "12", "👍"] {
        assert_eq!(say(Session::new(Lang::En), text, None).lang, Lang::En, "{text}");
        assert_eq!(say(Session::new(Lang::Bg), text, None).lang, Lang::Bg, "{text}");
    }
}

#[test]
fn the_app_language_sets_the_first_answer_only_until_the_citizen_writes() {
    let s = say(Session::new(Lang::Bg), "/start", Some(Lang::En));
    assert_eq!(s.lang, Lang::En);
}
