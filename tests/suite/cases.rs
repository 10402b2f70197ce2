//! Cases through the assistant, on a real database, with the clock set by the test: opening
//! with a reference and a due time in working hours, the relay to staff and the way back to
//! the assistant, staff answers, closing, rating, reopening within and after the window, the
//! sweep, and /cases.

use chrono::{DateTime, Duration, Utc};
use sofia_bot::assistant::Assistant;
use sofia_bot::channels::console::CHANNEL;
use sofia_bot::engine::Input;
use sofia_bot::staff::cases::{Actor, Case, EventKind, Source, Staffer, Status};
use sofia_bot::staff::desk::{StaffAct, StaffPost};
use sofia_bot::store::Finish;

use sofia_bot::i18n::Locales;

use crate::support::{TempDb, assistant, root};

/// An instant written with its Sofia offset.
fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z").expect("a test instant").to_utc()
}

async fn say(a: &Assistant, chat: &str, text: &str, now: DateTime<Utc>) -> Vec<String> {
    let out = a.handle(CHANNEL, chat, Input::from_text(text), None, now).await.expect("a turn");
    out.into_iter().map(|o| o.text).collect()
}

async fn only_case(a: &Assistant, chat: &str) -> Case {
    let cases = a.store.chat_cases(CHANNEL, chat).await.unwrap();
    assert_eq!(cases.len(), 1, "{cases:?}");
    cases.into_iter().next().unwrap()
}

fn maria() -> Staffer {
    Staffer { id: "501".into(), name: "Мария Петрова".into() }
}

/// A staff action, committed as the staff group or the command line would.
async fn staff(a: &Assistant, case: &Case, act: StaffAct, now: DateTime<Utc>) -> Vec<String> {
    let handled = a.staff_act(case, &maria(), Source::Cli, act, now).await.unwrap();
    let mut finish = Finish { at_ms: now.timestamp_millis(), ..Finish::default() };
    let (record, to_citizen) = a.staff_turn(case, handled, &mut finish, now);
    a.store.finish(Some(record), finish).await.unwrap();
    to_citizen.into_iter().map(|o| o.text).collect()
}

async fn reload(a: &Assistant, case: &Case) -> Case {
    a.store.case(case.reference).await.unwrap().unwrap()
}

fn kinds(events: &[sofia_bot::staff::cases::Event]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind).collect()
}

#[tokio::test]
async fn a_case_opened_on_saturday_says_when_staff_are_back_and_when_to_expect_an_answer() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let said = say(&a, "1", "/human", at("2026-11-28T12:00+02:00")).await.join("\n");
    let case = only_case(&a, "1").await;
    assert_eq!(case.reference.year, 2026);
    assert!(said.contains(&a.cases.show(case.reference)), "{said}");
    assert!(said.contains("понеделник, 30.11, 09:00"), "{said}");
    assert!(said.contains("понеделник, 30.11, 17:30"), "{said}");
    assert_eq!(case.due_ms, at("2026-11-30T17:30+02:00").timestamp_millis());
}

#[tokio::test]
async fn a_case_opened_in_working_hours_is_due_one_working_day_later() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let said = say(&a, "1", "/human", at("2026-12-01T10:00+02:00")).await.join("\n");
    assert!(said.contains("сряда, 02.12, 10:00"), "{said}");
    assert!(!said.contains("извън работното време"), "{said}");
}

#[tokio::test]
async fn on_christmas_eve_staff_are_back_after_the_moved_holiday() {
    // 24-26 December are holidays; the 26th is a Saturday, so Monday the 28th is off too.
    let db = TempDb::new();
    let a = assistant(&db).await;
    let said = say(&a, "1", "/human", at("2026-12-24T10:00+02:00")).await.join("\n");
    assert!(said.contains("вторник, 29.12, 09:00"), "{said}");
}

#[tokio::test]
async fn a_day_off_decreed_in_the_calendar_file_moves_a_cases_due_time() {
    // Saturday 28 November 2026: due Monday 30 November at 17:30, unless that Monday is off.
    let saturday = at("2026-11-28T12:00+02:00");
    let db = TempDb::new();
    let a = assistant(&db).await;
    say(&a, "1", "/human", saturday).await;
    assert_eq!(only_case(&a, "1").await.due_ms, at("2026-11-30T17:30+02:00").timestamp_millis());

    let content = tempfile::tempdir().unwrap();
    crate::lint::copy_dir(&root().join("locales"), content.path());
    let calendar = content.path().join(sofia_bot::calendar::CALENDAR_FILE);
    let text = std::fs::read_to_string(&calendar).unwrap();
    let decree = "[[day_off]]\ndate = \"2026-11-30\"\nname = \"A decreed day off\"\nsource = \"a test decree\"\n";
    std::fs::write(&calendar, format!("{text}\n{decree}")).unwrap();
    let db = TempDb::new();
    let mut a = assistant(&db).await;
    a.locales = Locales::load(content.path()).expect("the content with the decree loads");
    let said = say(&a, "1", "/human", saturday).await.join("\n");
    assert!(said.contains("вторник, 01.12, 09:00"), "staff are back on Tuesday: {said}");
    assert_eq!(only_case(&a, "1").await.due_ms, at("2026-12-01T17:30+02:00").timestamp_millis());
}

#[tokio::test]
async fn references_are_sequential_per_year() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    for (chat, when) in
        [("1", "2026-12-30T10:00+02:00"), ("2", "2026-12-31T10:00+02:00"), ("3", "2027-01-04T10:00+02:00")]
    {
        say(&a, chat, "/human", at(when)).await;
    }
    let mut refs = Vec::new();
    for chat in ["1", "2", "3"] {
        refs.push(a.cases.show(only_case(&a, chat).await.reference));
    }
    assert_eq!(refs, ["SOF-2026-000001", "SOF-2026-000002", "SOF-2027-000001"]);
}

#[tokio::test]
async fn before_staff_answer_the_assistant_answers_what_it_can_and_passes_on_the_rest() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let t0 = at("2026-12-01T10:00+02:00");
    say(&a, "1", "/human", t0).await;
    // What the assistant cannot answer goes to staff, acknowledged every time; the first
    // time, the citizen is also told what happens now.
    let first = say(&a, "1", "Вход Б, етаж 4", t0).await;
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(first[0].contains("✍") && first[0].contains("SOF-2026-000001"), "{first:?}");
    let second = say(&a, "1", "Вход Б, етаж 4, ап. 12", t0).await;
    assert_eq!(second.len(), 1, "{second:?}");
    assert!(second[0].contains("✍"), "{second:?}");
    // A question it can answer is answered, and the case stays open.
    let ticket = say(&a, "1", "къде да си купя карта за градския транспорт", t0).await;
    assert!(ticket.len() >= 2, "{ticket:?}");
    assert!(ticket[0].contains("sofiatraffic.bg") && !ticket[0].contains("SOF-2026"), "{ticket:?}");
    assert!(ticket.last().unwrap().contains("SOF-2026-000001 остава отворено"), "{ticket:?}");
    let case = only_case(&a, "1").await;
    assert!(case.relay && case.status == Status::New);
    assert_eq!(case.summary, "Вход Б, етаж 4");
    // Staff see the question and the answer in the history.
    let events = a.store.case_events(case.reference).await.unwrap();
    assert_eq!(
        kinds(&events),
        [EventKind::Opened, EventKind::Message, EventKind::Message, EventKind::Message, EventKind::Answered]
    );
    assert_eq!(events[3].body.as_deref(), Some("къде да си купя карта за градския транспорт"));
    assert!(events[4].body.as_deref().is_some_and(|b| b.contains("sofiatraffic.bg")) && events[4].actor == Actor::Bot);
}

#[tokio::test]
async fn while_a_staff_member_talks_with_the_citizen_everything_goes_to_them_each_message_acknowledged() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let t0 = at("2026-12-01T10:00+02:00");
    say(&a, "1", "/human", t0).await;
    say(&a, "1", "Парното в блока не работи от три дни", t0).await;
    let case = only_case(&a, "1").await;
    // Staff answer: the citizen gets it with the reference.
    let answer = staff(&a, &case, StaffAct::Reply("Ще изпратим техник утре.".into()), t0).await;
    assert!(answer[0].contains("Ще изпратим техник утре.") && answer[0].contains("SOF-2026-000001"));
    assert_eq!(reload(&a, &case).await.status, Status::Waiting);
    // Within the window a question goes to them too, acknowledged.
    let t1 = t0 + Duration::minutes(10);
    for text in ["Благодаря, ще съм вкъщи", "къде да си купя карта за градския транспорт"]
    {
        let said = say(&a, "1", text, t1).await;
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].contains("✍"), "{said:?}");
    }
    assert_eq!(reload(&a, &case).await.status, Status::Assigned);
    // Once the talk has gone quiet (30 minutes by default), the assistant answers again.
    let later = say(&a, "1", "къде да си купя карта за градския транспорт", t0 + Duration::minutes(31)).await;
    assert!(later[0].contains("sofiatraffic.bg"), "{later:?}");
    // A menu word gives the assistant back; the case stays open.
    let menu = say(&a, "1", "Меню", t0 + Duration::minutes(32)).await;
    assert!(menu.iter().any(|m| m.contains("С какво да помогна")), "{menu:?}");
    let case = reload(&a, &case).await;
    assert!(case.status.is_open() && !case.relay);
    assert_eq!(kinds(&a.store.case_events(case.reference).await.unwrap()).last(), Some(&EventKind::BackToBot));
}

#[tokio::test]
async fn menu_words_reach_the_assistant_while_a_case_passes_messages_on() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let t0 = at("2026-12-01T10:00+02:00");
    for word in ["меню", "menu", "Начало", "обратно"] {
        say(&a, "1", "/human", t0).await;
        let said = say(&a, "1", word, t0).await.join("\n");
        assert!(said.contains("С какво да помогна"), "{word}: {said}");
        assert!(!only_case(&a, "1").await.relay, "{word}");
    }
}

#[tokio::test]
async fn an_emergency_is_answered_even_while_staff_hold_the_conversation() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let t0 = at("2026-12-01T10:00+02:00");
    say(&a, "1", "/human", t0).await;
    let said = say(&a, "1", "пожар в блока", t0).await.join("\n");
    assert!(said.contains("112"), "{said}");
}

#[tokio::test]
async fn close_asks_for_a_rating_and_a_digit_is_the_rating() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let t0 = at("2026-12-01T10:00+02:00");
    say(&a, "1", "/human", t0).await;
    let case = only_case(&a, "1").await;
    let closed = staff(&a, &case, StaffAct::Close(Some("Подменихме крушката.".into())), t0).await;
    assert!(closed[0].contains("Подменихме крушката.") && closed[0].contains("SOF-2026-000001"), "{closed:?}");
    assert_eq!(reload(&a, &case).await.status, Status::Resolved);
    let thanks = say(&a, "1", "4", t0 + Duration::minutes(5)).await.join("\n");
    assert!(thanks.contains('4'), "{thanks}");
    let case = reload(&a, &case).await;
    assert_eq!((case.status, case.rating), (Status::Closed, Some(4)));
    // A second rating is not taken.
    let late = a.handle(CHANNEL, "1", Input::Button { data: format!("v:{}:1", case.id()) }, None, t0).await.unwrap();
    assert_eq!(reload(&a, &case).await.rating, Some(4));
    assert!(!late.is_empty());
}

#[tokio::test]
async fn a_message_within_the_window_reopens_the_case_and_after_it_opens_a_follow_up() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let t0 = at("2026-12-01T10:00+02:00");
    say(&a, "1", "/human", t0).await;
    let case = only_case(&a, "1").await;
    staff(&a, &case, StaffAct::Close(None), t0).await;
    // Thanks is small talk: it does not reopen the case.
    say(&a, "1", "благодаря", t0 + Duration::hours(1)).await;
    assert_eq!(reload(&a, &case).await.status, Status::Resolved);
    let reopened = say(&a, "1", "Пак не работи", t0 + Duration::days(3)).await.join("\n");
    assert!(reopened.contains("SOF-2026-000001"), "{reopened}");
    let case = reload(&a, &case).await;
    assert_eq!(case.status, Status::Reopened);
    // Closed again; eight days later a message opens a new case that follows it.
    staff(&a, &case, StaffAct::Close(None), t0 + Duration::days(3)).await;
    let later = say(&a, "1", "Отново същото", t0 + Duration::days(11)).await.join("\n");
    assert!(later.contains("SOF-2026-000002") && later.contains("SOF-2026-000001"), "{later}");
    let cases = a.store.chat_cases(CHANNEL, "1").await.unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].follows, Some(case.reference));
    assert_eq!(cases[1].status, Status::Closed);
    let old = kinds(&a.store.case_events(case.reference).await.unwrap());
    assert_eq!(
        old,
        [
            EventKind::Opened,
            EventKind::Taken,
            EventKind::Closed,
            EventKind::Reopened,
            EventKind::Message,
            EventKind::Closed,
            EventKind::Closed
        ]
    );
}

#[tokio::test]
async fn the_sweep_flags_overdue_cases_once_and_closes_resolved_ones_after_the_window() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let t0 = at("2026-12-01T10:00+02:00");
    say(&a, "1", "/human", t0).await;
    say(&a, "2", "/human", t0).await;
    let (late, answered) = (only_case(&a, "1").await, only_case(&a, "2").await);
    staff(&a, &answered, StaffAct::Close(None), t0).await;
    let a = &a;
    let sweep = |now: DateTime<Utc>| async move {
        let h = a.sweep(now).await.unwrap();
        let posts = h.staff.clone();
        let record =
            sofia_bot::store::TurnRecord { at_ms: now.timestamp_millis(), cases: h.cases, ..Default::default() };
        a.store.commit_turn(record).await.unwrap();
        posts
    };
    assert!(sweep(t0 + Duration::hours(1)).await.is_empty(), "nothing is due yet");
    let posts = sweep(at("2026-12-02T10:01+02:00")).await;
    assert_eq!(posts.len(), 1);
    assert!(matches!(&posts[0], StaffPost::Text { case, text, .. } if *case == late.reference && text.contains("⏰")));
    assert!(sweep(at("2026-12-02T11:00+02:00")).await.is_empty(), "flagged once");
    assert_eq!(reload(a, &answered).await.status, Status::Resolved);
    sweep(t0 + Duration::days(8)).await;
    assert_eq!(reload(a, &answered).await.status, Status::Closed);
}

#[tokio::test]
async fn cases_lists_the_citizens_cases_with_reference_and_status() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let t0 = at("2026-12-01T10:00+02:00");
    assert!(say(&a, "1", "/cases", t0).await[0].contains("нямате"));
    say(&a, "1", "/human", t0).await;
    let listed = say(&a, "1", "/cases", t0).await.join("\n");
    assert!(listed.contains("SOF-2026-000001") && listed.contains("01.12.2026"), "{listed}");
}

#[test]
fn every_message_the_shell_says_is_in_every_language() {
    let locales = crate::support::locales();
    for lang in sofia_bot::lang::Lang::ALL {
        for id in sofia_bot::channels::SHELL_MESSAGES.iter().chain(sofia_bot::assistant::WORD_LISTS) {
            assert!(locales.has(lang, id), "{id} is missing in {lang}");
        }
    }
}
