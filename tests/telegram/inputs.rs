//! What citizens send besides text and buttons, and where the bot stays silent: groups, edits.

use sofia_bot::engine::Input;
use sofia_devkit::fake::{Citizen, FakeBotApi};
use sofia_devkit::plans::Act;

use crate::support::*;

#[tokio::test]
async fn a_message_in_a_foreign_group_is_ignored_and_marked_done() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(3001, Some("bg"));
    let group = -100_123_456;
    let in_group = fake.push(citizen.in_group(group, "/start"));
    let pressed_in_group = {
        let mut update = citizen.in_group(group, "x");
        update["message"]["text"] = "/menu@sofia_test_bot".into();
        fake.push(update)
    };
    // The same citizen in private is answered as usual.
    let plan = expect(&citizen, &[Act::Write("/help".into())]).await;
    fake.push(citizen.text("/help"));
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;
    let store = bot.store.clone();
    for id in [in_group, pressed_in_group] {
        let done = async {
            loop {
                match store.inbox_row(id).await.unwrap() {
                    Some(row) if row.done_ms.is_some() => break row,
                    _ => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
                }
            }
        };
        let row = tokio::time::timeout(PATIENCE, done).await.expect("the group update is marked done");
        assert_eq!(row.chat, group.to_string());
    }
    assert!(store.outbox_rows(&group.to_string()).await.unwrap().is_empty());
    bot.stop().await;
    assert!(fake.requests().iter().all(|r| r.chat != Some(group)), "the bot spoke in the group");
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn an_edited_message_is_not_answered_again() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(3002, Some("bg"));
    let plan = expect(&citizen, &[Act::Write("здравей".into()), Act::Write("/help".into())]).await;
    fake.push(citizen.text("здравей"));
    fake.push(citizen.edited_text("здравейте"));
    fake.push(citizen.text("/help"));
    wait_for_messages(&fake, citizen.id, plan[0].replies.len() + plan[1].replies.len()).await;
    bot.stop().await;
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    let wanted: Vec<_> = plan.iter().flat_map(|s| s.replies.iter().map(planned)).collect();
    assert_eq!(sent, wanted, "the edit was answered");
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn stickers_voice_photos_contacts_and_old_buttons_get_polite_answers() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(3003, Some("bg"));
    let unsupported = |what: &str| Act::Input(Input::Unsupported { what: what.into() });
    let acts = [
        Act::Write("/start".into()),
        unsupported("sticker"),
        unsupported("voice"),
        Act::Photo("photo-9".into()),
        Act::Input(Input::Contact { phone: "+359888123456".into() }),
        // A button from a form the citizen is not in.
        Act::Button("c:housing:category:2".into()),
    ];
    let plan = expect(&citizen, &acts).await;
    let updates = [
        citizen.text("/start"),
        citizen.sticker(),
        citizen.voice(),
        citizen.photo("photo-9"),
        citizen.contact("+359888123456"),
    ];
    let mut delivered = 0;
    for (update, step) in updates.into_iter().zip(&plan) {
        fake.push(update);
        delivered += step.replies.len();
        wait_for_messages(&fake, citizen.id, delivered).await;
    }
    fake.press(&citizen, "c:housing:category:2");
    delivered += plan[5].replies.len();
    wait_for_messages(&fake, citizen.id, delivered).await;
    bot.stop().await;

    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    let wanted: Vec<_> = plan.iter().flat_map(|s| s.replies.iter().map(planned)).collect();
    assert_eq!(sent, wanted);
    // A sticker and a voice message get the same polite answer.
    let first = plan[0].replies.len();
    assert_eq!(sent[first]["text"], sent[first + plan[1].replies.len()]["text"]);
    assert_eq!(fake.calls("answerCallbackQuery").len(), 1);
    assert_telegram_would_accept_everything(&fake);
}
