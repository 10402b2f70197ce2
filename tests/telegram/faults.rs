//! Telegram's refusals: 429 waits retry_after and sends again (never sooner, never dropped),
//! 5xx is retried, 403 marks the citizen inactive and stops sending.

use std::time::Duration;

use sofia_bot::bench::Act;
use sofia_bot::channels::telegram::fake::{Citizen, FakeBotApi, Fault};

use crate::support::*;

#[tokio::test]
async fn too_many_requests_waits_retry_after_then_sends_exactly_once() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(2001, Some("bg"));
    let plan = expect(&citizen, &[Act::Write("/start".into())]);
    fake.fail_next("sendMessage", Fault::RetryAfter(1));
    fake.push(citizen.text("/start"));
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;
    bot.stop().await;

    let tries: Vec<_> = fake.requests().into_iter().filter(|r| r.method == "sendMessage").collect();
    assert_eq!(tries[0].status, 429);
    assert_eq!(tries[1].status, 200);
    assert_eq!(seen(&tries[0].body), seen(&tries[1].body), "the refused message is the one sent again");
    assert!(tries[1].at.duration_since(tries[0].at) >= Duration::from_secs(1), "retried sooner than retry_after");
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    assert_eq!(sent, plan[0].replies.iter().map(planned).collect::<Vec<_>>(), "every reply once, in order");
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn a_server_error_is_retried_and_the_reply_arrives_once() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(2002, Some("bg"));
    let acts = [Act::Write("/start".into()), Act::Press(0)];
    let plan = expect(&citizen, &acts);
    fake.fail_next("sendMessage", Fault::ServerError);
    fake.fail_next("answerCallbackQuery", Fault::ServerError);
    fake.push(citizen.text("/start"));
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;
    sofia_bot::bench::push_input(&fake, &citizen, &plan[1].input);
    wait_for_messages(&fake, citizen.id, plan[0].replies.len() + plan[1].replies.len()).await;
    bot.stop().await;

    let statuses: Vec<u16> = fake.requests().iter().filter(|r| r.method == "sendMessage").map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 500).count(), 1);
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    let wanted: Vec<_> = plan.iter().flat_map(|s| s.replies.iter().map(planned)).collect();
    assert_eq!(sent, wanted, "every reply once, in order");
    assert_eq!(fake.calls("answerCallbackQuery").len(), 1, "the press answered once, after the error");
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn a_citizen_who_blocked_the_bot_is_marked_inactive_until_they_write_again() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(2003, Some("bg"));
    fake.block(citizen.id);
    fake.push(citizen.text("/start"));
    let refused = fake.wait_until(PATIENCE, |v| v.requests.iter().any(|r| r.status == 403)).await;
    assert!(refused);
    let inactive = async {
        loop {
            if !bot.store.chat_active("telegram", "2003").await.unwrap() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(PATIENCE, inactive).await.expect("the chat becomes inactive");
    // Its other replies are given up, not retried.
    let rows = bot.store.outbox_rows("2003").await.unwrap();
    assert!(rows.iter().all(|r| r.sent_ms.is_none() && r.failed_ms.is_some()), "{rows:?}");
    assert_eq!(fake.requests().iter().filter(|r| r.method == "sendMessage").count(), 1, "one try, then silence");

    // They unblock and write again: answered as usual.
    fake.unblock(citizen.id);
    let plan = expect(&citizen, &[Act::Write("/start".into()), Act::Write("/help".into())]);
    fake.push(citizen.text("/help"));
    wait_for_messages(&fake, citizen.id, plan[1].replies.len()).await;
    assert!(bot.store.chat_active("telegram", "2003").await.unwrap());
    bot.stop().await;
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    assert_eq!(sent, plan[1].replies.iter().map(planned).collect::<Vec<_>>());
    assert_telegram_would_accept_everything(&fake);
}
