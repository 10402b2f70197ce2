//! No update lost, none handled twice: a redelivered update_id, a stop between the inbox
//! commit and the reply, and replies committed but not yet sent when the bot stopped.

use sofia_bot::channels::telegram::{Settings, rate::Limits};
use sofia_devkit::fake::{Citizen, FakeBotApi};
use sofia_devkit::plans::Act;

use crate::support::*;

#[tokio::test]
async fn an_update_delivered_twice_is_answered_once() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let citizen = Citizen::new(4001, Some("bg"));
    let plan = expect(&citizen, &[Act::Write("/start".into()), Act::Write("/help".into())]).await;
    // Twice in one batch...
    let first = fake.push(citizen.text("/start"));
    fake.push_with_id(first, citizen.text("/start"));
    let bot = start(&fake, &db.path(), settings()).await;
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;
    // ...and once more after the bot confirmed it.
    fake.redeliver(first, citizen.text("/start"));
    fake.push(citizen.text("/help"));
    wait_for_messages(&fake, citizen.id, plan[0].replies.len() + plan[1].replies.len()).await;
    bot.stop().await;

    assert!(fake.handed_out() >= 4, "the fake handed the update out three times");
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    let wanted: Vec<_> = plan.iter().flat_map(|s| s.replies.iter().map(planned)).collect();
    assert_eq!(sent, wanted, "the repeated update was answered again");
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn a_stop_between_the_inbox_commit_and_the_reply_is_answered_once_after_a_restart() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let citizen = Citizen::new(4002, Some("bg"));
    let plan = expect(&citizen, &[Act::Write("/start".into()), Act::Press(0)]).await;

    // The bot stores updates but does not get to handle them, as if it died right after the
    // inbox commit; Telegram has been told (by the next offset) that it has them.
    let store_only = Settings { process: false, ..settings() };
    let bot = start(&fake, &db.path(), store_only).await;
    let first = fake.push(citizen.text("/start"));
    assert!(fake.wait_until(PATIENCE, |v| v.confirmed > first).await, "the update was never confirmed");
    bot.stop().await;
    assert!(fake.calls("sendMessage").is_empty());

    // On restart the pending update is answered, once, and the conversation goes on.
    let bot = start(&fake, &db.path(), settings()).await;
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;
    sofia_devkit::plans::push_input(&fake, &citizen, &plan[1].input);
    wait_for_messages(&fake, citizen.id, plan[0].replies.len() + plan[1].replies.len()).await;
    let row = bot.store.inbox_row(first).await.unwrap().unwrap();
    assert!(row.done_ms.is_some());
    bot.stop().await;

    assert_eq!(fake.handed_out(), 2, "Telegram handed each update out once");
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    let wanted: Vec<_> = plan.iter().flat_map(|s| s.replies.iter().map(planned)).collect();
    assert_eq!(sent, wanted);
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn replies_committed_but_unsent_at_a_stop_are_sent_after_the_restart() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let citizen = Citizen::new(4003, Some("bg"));
    let plan = expect(&citizen, &[Act::Write("/start".into())]).await;
    // A sender held back by a long rate limit and no time to drain: the replies stay unsent.
    let slow = Settings {
        limits: Limits {
            per_chat: Some(sofia_bot::channels::telegram::rate::Rate { per_second: 0.001, burst: 1.0 }),
            ..Limits::none()
        },
        drain: std::time::Duration::ZERO,
        ..settings()
    };
    let bot = start(&fake, &db.path(), slow).await;
    fake.push(citizen.text("/start"));
    wait_for_messages(&fake, citizen.id, 1).await;
    let committed = async {
        while bot.store.outbox_rows("4003").await.unwrap().len() < plan[0].replies.len() {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(PATIENCE, committed).await.unwrap();
    bot.stop().await;
    assert_eq!(fake.messages_to(citizen.id).len(), 1, "the rate limit let one through");

    let bot = start(&fake, &db.path(), settings()).await;
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;
    bot.stop().await;
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    assert_eq!(sent, plan[0].replies.iter().map(planned).collect::<Vec<_>>(), "each reply once, in order");
    assert_telegram_would_accept_everything(&fake);
}
