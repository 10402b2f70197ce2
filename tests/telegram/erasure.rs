//! Erasure reaches every copy: five citizens each leave words in a report, a question and a
//! message passed on to staff; the staff group's posts are partly sent (some older than 48
//! hours), partly still waiting (the fake holds the group's requests, one of them under way).
//! After /forget and "Да, изтрийте", the database file, its write-ahead log and its index hold
//! none of their words, no post carrying them reaches the staff group, and the posts that had
//! them are deleted or, where Telegram no longer allows it, edited to say so.

use sofia_bot::staff::cases::CaseSettings;
use sofia_devkit::fake::{Citizen, FakeBotApi};

use crate::support::*;

const GROUP: i64 = -1_001_234_567_321;
/// The text a post that cannot be deleted is edited to (locales/bg/cases.ftl, staff-erased).
const NOTICE: &str = "Гражданинът изтри данните си";

/// What citizen `i` writes that only they write: in the report, the question, the message.
fn words(i: i64) -> [String; 3] {
    [format!("блок 51{i} на Зорница"), format!("Пенка{i}"), format!("вход Кестен{i}")]
}

/// Successful requests about a chat so far (messages, reactions, callback answers).
fn answered(fake: &FakeBotApi, chat: i64) -> usize {
    fake.requests().iter().filter(|r| r.status == 200 && r.chat == Some(chat)).count()
}

/// Sends a citizen's text and waits for the bot to answer it somehow.
async fn say(fake: &FakeBotApi, citizen: &Citizen, text: &str) {
    let before = answered(fake, citizen.id);
    fake.push(citizen.text(text));
    let ok = fake
        .wait_until(PATIENCE, |v| {
            v.requests.iter().filter(|r| r.status == 200 && r.chat == Some(citizen.id)).count() > before
        })
        .await;
    assert!(ok, "no answer to {text:?}");
}

/// A report, a question and a message passed on to staff.
async fn leave_words(fake: &FakeBotApi, citizen: &Citizen, i: i64) {
    let [report, question, message] = words(i);
    say(fake, citizen, "искам да подам сигнал за боклук").await;
    say(fake, citizen, "Люлин").await;
    say(fake, citizen, &format!("Контейнерите пред {report} не са изпразвани от седмица")).await;
    say(fake, citizen, "Пропускане").await;
    say(fake, citizen, &format!("как да си сменя личния лекар, пита {question}")).await;
    say(fake, citizen, &format!("от три дни е така пред {message}")).await;
}

/// Waits until `done` holds, looking every 20 ms (it may ask the fake: `wait_until` may not).
async fn eventually(done: impl Fn() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !done() {
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    true
}

fn holds_words(text: &str, i: i64) -> bool {
    words(i).iter().any(|w| text.contains(w.as_str()))
}

#[tokio::test]
async fn an_erasure_cancels_unsent_posts_and_takes_back_sent_ones_leaving_no_words_on_disk() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    let cases = CaseSettings { staff_group: Some(GROUP), ..CaseSettings::default() };
    let bot = start_with(&fake, &db.path(), settings(), cases).await;
    let citizens: Vec<Citizen> = (0..5).map(|i| Citizen::new(3300 + i, Some("bg"))).collect();
    let sent_with = |fake: &FakeBotApi, i: i64| fake.posts_in(GROUP).iter().filter(|p| holds_words(&p.text, i)).count();

    // Citizen 0's posts reach the group and grow old; citizen 1's reach it and stay fresh.
    for i in 0..2 {
        leave_words(&fake, &citizens[i as usize], i).await;
        let all_three = || words(i).iter().all(|w| fake.posts_in(GROUP).iter().any(|p| p.text.contains(w.as_str())));
        assert!(eventually(all_three).await, "citizen {i}'s words did not reach the group");
        if i == 0 {
            fake.age_posts(GROUP);
        }
    }
    // The staff group now answers slowly: one post is under way, the rest wait in the outbox.
    fake.hold(GROUP);
    for i in 2..5 {
        leave_words(&fake, &citizens[i as usize], i).await;
    }
    assert!(eventually(|| fake.held_requests(GROUP) >= 1).await, "nothing under way to the group");
    let pending = bot.store.pending_outbox().await.unwrap();
    for i in 2..5 {
        assert!(
            pending.iter().any(|q| q.chat == GROUP.to_string() && holds_words(&q.payload, i)),
            "citizen {i}'s words are not waiting for the group"
        );
        assert_eq!(sent_with(&fake, i), 0, "citizen {i}'s words reached the group before the erasure");
    }

    // Every citizen erases their data.
    for c in &citizens {
        say(&fake, c, "/forget").await;
        let before = fake.messages_to(c.id).len();
        fake.press(c, "f:y");
        let done = fake.wait_until(PATIENCE, |v| v.sent_to(c.id) > before).await;
        assert!(done, "no answer to the erasure");
        let text = fake.messages_to(c.id).last().unwrap()["text"].as_str().unwrap_or_default().to_string();
        assert!(text.starts_with("Готово") && text.contains("групата на служителите"), "{text}");
    }
    fake.release(GROUP);
    // The group's lane works through what the erasure left: cancelled posts skipped, the post
    // that was under way and the posts sent taken back.
    let settled = async {
        loop {
            if bot.store.pending_outbox().await.unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(PATIENCE, settled).await.expect("the outbox empties");
    bot.stop().await;

    // In the staff group: no post carrying the words is left as it was. Citizen 0's (older
    // than 48 hours) are edited to the notice, the rest deleted, the one under way included.
    let posts = fake.posts_in(GROUP);
    for i in 0..5 {
        for p in posts.iter().filter(|p| holds_words(&p.text, i)) {
            assert!(p.deleted, "citizen {i}'s words are still in the group: {:?}", p.text);
            assert!(i != 0, "citizen 0's old post was deleted, which Telegram does not allow");
        }
    }
    let edited: Vec<_> = posts.iter().filter(|p| p.edited).collect();
    assert!(!edited.is_empty() && edited.iter().all(|p| p.text.contains(NOTICE) && p.old), "{edited:#?}");
    assert!(posts.iter().filter(|p| p.deleted).count() >= 3, "citizen 1's posts were not deleted: {posts:#?}");
    // Nothing sent to the group after the hold carried words, but the post already under way.
    let under_way =
        fake.deliveries_to(GROUP).iter().filter(|r| (2..5).any(|i| holds_words(&r.body.to_string(), i))).count();
    assert!(under_way <= 1, "{under_way} posts with erased words reached the group");

    // The files on disk, read after the bot stopped and closed the store: the database, and its
    // write-ahead log and index if SQLite left them. None holds any citizen's words.
    let mut files = Vec::new();
    for ext in ["db", "db-wal", "db-shm"] {
        let path = db.path().with_extension(ext);
        if let Ok(bytes) = std::fs::read(&path) {
            files.push((ext, bytes));
        }
    }
    assert!(files.iter().any(|(ext, b)| *ext == "db" && !b.is_empty()));
    for i in 0..5 {
        for w in words(i) {
            for (ext, bytes) in &files {
                assert!(!bytes.windows(w.len()).any(|b| b == w.as_bytes()), "{w:?} is still in the .{ext} file");
            }
        }
    }
    assert_telegram_would_accept_everything(&fake);
}

/// A deleted topic is opened again with the case's card; an erasure takes that card back too.
#[tokio::test]
async fn a_card_posted_again_in_a_reopened_topic_is_taken_back_by_an_erasure() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    let cases = CaseSettings { staff_group: Some(GROUP), ..CaseSettings::default() };
    let bot = start_with(&fake, &db.path(), settings(), cases).await;
    let citizen = Citizen::new(3400, Some("bg"));
    let cards =
        |fake: &FakeBotApi| fake.posts_in(GROUP).into_iter().filter(|p| p.text.contains("/close")).collect::<Vec<_>>();
    say(&fake, &citizen, "искам да говоря с човек").await;
    assert!(eventually(|| cards(&fake).len() == 1).await, "no card");
    let (first, _) = fake.topics(GROUP)[0].clone();
    fake.delete_topic(GROUP, first);
    say(&fake, &citizen, "още ли сте там?").await;
    assert!(eventually(|| cards(&fake).len() == 2).await, "the card was not posted again: {:#?}", fake.posts_in(GROUP));

    say(&fake, &citizen, "/forget").await;
    let before = fake.messages_to(citizen.id).len();
    fake.press(&citizen, "f:y");
    assert!(fake.wait_until(PATIENCE, |v| v.sent_to(citizen.id) > before).await, "no answer to the erasure");
    let taken_back = || cards(&fake).iter().all(|p| p.deleted);
    assert!(eventually(taken_back).await, "a card is still in the group: {:#?}", cards(&fake));
    bot.stop().await;
    assert_telegram_would_accept_everything(&fake);
}
