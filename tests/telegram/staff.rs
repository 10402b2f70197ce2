//! Staff and citizens through the staff group, with teloxide against the fake Bot API: a case's
//! forum topic with its card, replies both ways, close and rating, who may act, and a deleted
//! topic opened again.

use chrono::Datelike;
use serde_json::Value;
use sofia_bot::calendar::{CALENDAR_FILE, Calendar};
use sofia_bot::staff::cases::{Actor, Case, CaseSettings, EventKind, Status};
use sofia_bot::staff::hours::WorkingHours;
use sofia_bot::store::Store;
use sofia_devkit::fake::{Citizen, FakeBotApi, StaffMember};

use crate::support::*;

pub const GROUP: i64 = -1_001_234_567_890;

/// Working hours on a weekday that is not today, so that it is outside them now, whatever
/// day the test runs.
pub fn closed_today() -> CaseSettings {
    let sofia = Calendar::load(&root().join("locales").join(CALENDAR_FILE)).expect("the calendar");
    let today = sofia.local_time(chrono::Utc::now()).weekday().num_days_from_monday();
    let day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][((today + 3) % 7) as usize];
    let hours = WorkingHours::parse(&format!("{day} 09:00-17:30")).expect("hours");
    CaseSettings { hours, staff_group: Some(GROUP), ..CaseSettings::default() }
}

fn text(r: &Value) -> String {
    r.get("text").or_else(|| r.get("caption")).and_then(Value::as_str).unwrap_or_default().to_string()
}

async fn the_case(store: &Store, citizen: &Citizen) -> Case {
    let cases = store.chat_cases("telegram", &citizen.id.to_string()).await.unwrap();
    assert_eq!(cases.len(), 1);
    cases.into_iter().next().unwrap()
}

/// Waits until the topic holds `n` posts and returns them.
async fn wait_topic(fake: &FakeBotApi, thread: i64, n: usize) -> Vec<Value> {
    let arrived = fake.wait_until(PATIENCE, |v| v.in_topic(GROUP, thread) >= n).await;
    let posts: Vec<Value> = fake.in_topic(GROUP, thread).into_iter().map(|r| r.body).collect();
    assert!(arrived, "topic {thread} got {} of {n} posts: {posts:#?}", posts.len());
    posts
}

/// Waits until a post in the topic holds `wanted`; returns the posts' texts.
async fn wait_for_text(fake: &FakeBotApi, thread: i64, wanted: &str) -> Vec<String> {
    let holds = |r: &sofia_devkit::fake::Recorded| {
        r.status == 200 && r.body["message_thread_id"] == thread && text(&r.body).contains(wanted)
    };
    let arrived = fake.wait_until(PATIENCE, |v| v.requests.iter().any(holds)).await;
    let posts: Vec<String> = fake.in_topic(GROUP, thread).iter().map(|r| text(&r.body)).collect();
    assert!(arrived, "{wanted:?} did not reach topic {thread}: {posts:#?}");
    posts
}

/// Waits until the bot has opened `n` forum topics.
async fn wait_topics(fake: &FakeBotApi, n: usize) {
    assert!(fake.wait_until(PATIENCE, |v| v.count("createForumTopic") >= n).await, "{n} topics were not opened");
}

#[tokio::test]
async fn escalate_reply_both_ways_close_and_rate_with_every_event_in_the_history() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    let bot = start_with(&fake, &db.path(), settings(), closed_today()).await;
    let citizen = Citizen::new(2001, Some("bg"));
    let maria = StaffMember::new(501, "Мария", GROUP);

    // The citizen asks for a person, outside working hours.
    fake.push(citizen.text("/human"));
    wait_for_messages(&fake, citizen.id, 1).await;
    let handover = text(&fake.messages_to(citizen.id)[0]);
    assert!(handover.contains("SOF-20") && handover.contains("извън работното време"), "{handover}");

    // A topic named after the case, with its card and buttons.
    wait_topics(&fake, 1).await;
    let (thread, name) = fake.topics(GROUP)[0].clone();
    let case = the_case(&bot.store, &citizen).await;
    let reference = CaseSettings::default().show(case.reference);
    assert!(name.starts_with(&reference), "{name}");
    let card = &wait_topic(&fake, thread, 1).await[0];
    assert!(text(card).contains(&reference) && text(card).contains("/close"), "{card}");
    let buttons = card["reply_markup"].to_string();
    assert!(buttons.contains(&format!("s:t:{}", case.id())) && buttons.contains(&format!("s:c:{}", case.id())));

    // Someone in another group cannot act on the case.
    let outsider = StaffMember::new(666, "Никой", -1_009_999);
    fake.push(outsider.in_topic(thread, "/close готово"));
    fake.press_in_group(&outsider, Some(thread), &format!("s:c:{}", case.id()));

    // Staff answer in the topic; the citizen gets it with the reference.
    fake.push(maria.in_topic(thread, "Здравейте! Кажете адреса, моля."));
    wait_for_messages(&fake, citizen.id, 2).await;
    let answer = text(&fake.messages_to(citizen.id)[1]);
    assert!(answer.contains("Кажете адреса") && answer.contains(&reference), "{answer}");

    // The citizen's answer reaches the topic, marked as theirs; the citizen sees a reaction on
    // it, and no message: a staff member is talking with them.
    fake.push(citizen.text("бул. Витоша 1"));
    let posts = wait_topic(&fake, thread, 2).await;
    assert!(text(&posts[1]).contains("бул. Витоша 1") && text(&posts[1]).contains("👤"), "{posts:#?}");
    assert!(fake.wait_until(PATIENCE, |v| v.reacted_in(citizen.id) == 1).await, "no reaction");
    assert_eq!(fake.reactions_to(citizen.id)[0].1, "✍");

    // Close with a note: the citizen is told and asked for a rating.
    fake.push(maria.in_topic(thread, "/close Подменихме лампата."));
    let closing = fake.wait_until(PATIENCE, |v| v.sent_to(citizen.id) >= 3).await;
    let sent = fake.messages_to(citizen.id);
    assert!(closing, "{sent:#?}");
    let close = sent.iter().find(|m| text(m).contains("Подменихме лампата.")).expect("the close message");
    assert!(close["reply_markup"].to_string().contains(&format!("v:{}:5", case.id())), "{close}");
    fake.press(&citizen, &format!("v:{}:5", case.id()));
    // The card, the citizen's message, the close, then the rating.
    let posts = wait_topic(&fake, thread, 4).await;
    assert!(text(&posts[3]).contains('5'), "{posts:#?}");
    bot.stop().await;

    let store = Store::open(&db.path(), sofia_bot::store::Durability::Full).await.unwrap();
    let case = store.case(case.reference).await.unwrap().unwrap();
    assert_eq!((case.status, case.rating), (Status::Closed, Some(5)));
    let events = store.case_events(case.reference).await.unwrap();
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Opened,
            EventKind::Topic,
            EventKind::Taken,
            EventKind::Reply,
            EventKind::Message,
            EventKind::Closed,
            EventKind::Rated
        ]
    );
    // Every staff action names who did it; nothing from the outsider.
    for e in events.iter().filter(|e| matches!(e.actor, Actor::Staff(_))) {
        assert_eq!(e.actor, Actor::Staff(sofia_bot::staff::cases::Staffer { id: "501".into(), name: "Мария".into() }));
        assert_eq!(e.source, sofia_bot::staff::cases::Source::StaffGroup);
    }
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn a_deleted_topic_is_opened_again_with_its_card() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    let bot = start_with(&fake, &db.path(), settings(), closed_today()).await;
    let citizen = Citizen::new(2002, Some("en"));
    fake.push(citizen.text("/human"));
    wait_topics(&fake, 1).await;
    let (first, _) = fake.topics(GROUP)[0].clone();
    wait_topic(&fake, first, 1).await;
    fake.delete_topic(GROUP, first);

    fake.push(citizen.text("Are you there?"));
    wait_topics(&fake, 2).await;
    let (second, _) = fake.topics(GROUP)[0].clone();
    assert_ne!(first, second);
    let posts = wait_topic(&fake, second, 3).await;
    let all: Vec<String> = posts.iter().map(text).collect();
    assert!(all.iter().any(|t| t.contains("/close")), "the card again: {all:#?}");
    assert!(all.last().is_some_and(|t| t.contains("Are you there?")), "{all:#?}");
    let case = the_case(&bot.store, &citizen).await;
    assert_eq!(case.thread, Some(second));
    bot.stop().await;
}

/// A case opened and closed by staff in the group; returns its topic.
async fn opened_and_closed(fake: &FakeBotApi, citizen: &Citizen, staff: &StaffMember) -> i64 {
    fake.push(citizen.text("/human"));
    wait_topics(fake, 1).await;
    let (thread, _) = fake.topics(GROUP)[0].clone();
    wait_topic(fake, thread, 1).await;
    fake.push(staff.in_topic(thread, "/close Готово."));
    let closed = fake.wait_until(PATIENCE, |v| v.sent_to(citizen.id) >= 2).await;
    assert!(closed, "the citizen was not told of the close");
    thread
}

#[tokio::test]
async fn a_message_soon_after_the_close_reopens_the_case_in_its_topic() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    let bot = start_with(&fake, &db.path(), settings(), closed_today()).await;
    let citizen = Citizen::new(2003, Some("bg"));
    let thread = opened_and_closed(&fake, &citizen, &StaffMember::new(501, "Мария", GROUP)).await;
    fake.push(citizen.text("Пак не работи"));
    // The reopening notice and the message, in the same topic (one post, or two).
    let posts = wait_for_text(&fake, thread, "Пак не работи").await;
    assert!(posts.iter().any(|p| p.contains("отново")), "{posts:#?}");
    let case = the_case(&bot.store, &citizen).await;
    assert_eq!(case.status, Status::Reopened);
    assert_eq!(fake.topics(GROUP).len(), 1, "no new topic");
    bot.stop().await;
}

#[tokio::test]
async fn a_message_after_the_reopening_window_opens_a_new_case_that_follows_the_old_one() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    // A window of no days: any later message is after it.
    let cases = CaseSettings { reopen_days: 0, ..closed_today() };
    let bot = start_with(&fake, &db.path(), settings(), cases).await;
    let citizen = Citizen::new(2004, Some("bg"));
    opened_and_closed(&fake, &citizen, &StaffMember::new(501, "Мария", GROUP)).await;
    fake.push(citizen.text("Отново същото"));
    wait_topics(&fake, 2).await;
    let cases = bot.store.chat_cases("telegram", &citizen.id.to_string()).await.unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].follows, Some(cases[1].reference));
    assert_eq!(cases[1].status, Status::Closed);
    let (second, _) = fake.topics(GROUP)[1].clone();
    let posts = wait_for_text(&fake, second, "Отново същото").await;
    assert!(posts[0].contains(&CaseSettings::default().show(cases[1].reference)), "the card names the old case");
    bot.stop().await;
}

#[tokio::test]
async fn posts_that_queue_behind_the_staff_groups_rate_go_out_as_one() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    // One post, then one every two seconds: the citizen's messages wait behind the card.
    let mut slow = settings();
    slow.limits.per_group = Some(sofia_bot::channels::telegram::rate::Rate { per_second: 0.5, burst: 1.0 });
    let bot = start_with(&fake, &db.path(), slow, closed_today()).await;
    let citizen = Citizen::new(2005, Some("bg"));
    fake.push(citizen.text("/human"));
    let said = ["първо", "второ", "трето", "четвърто"];
    for s in said {
        fake.push(citizen.text(s));
    }
    wait_topics(&fake, 1).await;
    let (thread, _) = fake.topics(GROUP)[0].clone();
    let arrived = fake
        .wait_until(PATIENCE, |v| {
            v.requests
                .iter()
                .filter(|r| r.body["message_thread_id"] == thread)
                .any(|r| text(&r.body).contains("четвърто"))
        })
        .await;
    let posts: Vec<String> = fake.in_topic(GROUP, thread).iter().map(|r| text(&r.body)).collect();
    assert!(arrived, "{posts:#?}");
    let joined = posts.join("\n");
    assert!(said.iter().all(|s| joined.contains(s)), "every message reaches staff: {posts:#?}");
    assert!(posts.len() < 1 + said.len(), "queued posts were merged: {posts:#?}");
    bot.stop().await;
    let store = Store::open(&db.path(), sofia_bot::store::Durability::Full).await.unwrap();
    let rows = store.outbox_rows(&GROUP.to_string()).await.unwrap();
    assert!(rows.iter().all(|r| r.sent_ms.is_some()), "every merged row is marked sent");
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn a_photo_from_staff_reaches_the_citizen_after_an_introduction() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    let bot = start_with(&fake, &db.path(), settings(), closed_today()).await;
    let citizen = Citizen::new(2006, Some("en"));
    fake.push(citizen.text("/human"));
    wait_topics(&fake, 1).await;
    let (thread, _) = fake.topics(GROUP)[0].clone();
    wait_topic(&fake, thread, 1).await;
    fake.push(StaffMember::new(501, "Maria", GROUP).photo_in_topic(thread, "staff-photo-1", Some("The new sign")));
    let arrived = fake.wait_until(PATIENCE, |v| v.count("copyMessage") >= 1).await;
    assert!(arrived, "the photo was not copied to the citizen");
    let copy = &fake.calls("copyMessage")[0].body;
    assert_eq!((copy["chat_id"].as_i64(), copy["from_chat_id"].as_i64()), (Some(citizen.id), Some(GROUP)));
    let intro = fake.messages_to(citizen.id).last().map(text).unwrap_or_default();
    assert!(intro.contains("Municipal staff") && intro.contains("SOF-"), "{intro}");
    let case = the_case(&bot.store, &citizen).await;
    let events = bot.store.case_events(case.reference).await.unwrap();
    assert!(events.iter().any(|e| e.kind == EventKind::Reply && e.body.as_deref() == Some("[photo]")));
    bot.stop().await;
    assert_telegram_would_accept_everything(&fake);
}
