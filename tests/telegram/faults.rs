//! Telegram's refusals: 429 waits retry_after and sends again (never sooner, never dropped),
//! whatever the method; 5xx is retried; 403 marks the citizen inactive, and nothing more goes
//! to their chat (a staff member's answer included) until they write again.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use sofia_bot::channels::telegram::process::typing;
use sofia_bot::lang::Lang;
use sofia_bot::staff::cases::EventKind;
use sofia_bot::store::OutboxRow;
use sofia_devkit::fake::{Citizen, FakeBotApi, Fault, Recorded, StaffMember};
use sofia_devkit::plans::{Act, masked, push_input};
use teloxide::prelude::Requester;

use crate::staff::{GROUP, closed_today};
use crate::support::*;

#[tokio::test]
async fn too_many_requests_waits_retry_after_then_sends_exactly_once() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(2001, Some("bg"));
    let plan = expect(&citizen, &[Act::Write("/start".into())]).await;
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
    let plan = expect(&citizen, &acts).await;
    fake.fail_next("sendMessage", Fault::ServerError);
    fake.fail_next("answerCallbackQuery", Fault::ServerError);
    fake.push(citizen.text("/start"));
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;
    sofia_devkit::plans::push_input(&fake, &citizen, &plan[1].input);
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
    let plan = expect(&citizen, &[Act::Write("/start".into()), Act::Write("/help".into())]).await;
    fake.push(citizen.text("/help"));
    wait_for_messages(&fake, citizen.id, plan[1].replies.len()).await;
    assert!(bot.store.chat_active("telegram", "2003").await.unwrap());
    bot.stop().await;
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    assert_eq!(sent, plan[1].replies.iter().map(planned).collect::<Vec<_>>());
    assert_telegram_would_accept_everything(&fake);
}

/// For every 429 the fake answered: the same request (method and body) came again, and not
/// sooner than `retry_after` (one second in these tests). `sendChatAction` is left alone once
/// the replies went out, so for it only "not sooner" is asked.
fn assert_every_429_was_retried_after_retry_after(requests: &[Recorded]) -> usize {
    let mut refused = 0;
    for (i, r) in requests.iter().enumerate().filter(|(_, r)| r.status == 429) {
        refused += 1;
        let again = requests[i + 1..].iter().find(|later| later.method == r.method && later.body == r.body);
        match again {
            Some(again) => assert!(
                again.at.duration_since(r.at) >= Duration::from_secs(1),
                "{} was sent again sooner than retry_after: {}",
                r.method,
                r.body
            ),
            None => assert_eq!(r.method, "sendChatAction", "a refused {} was never sent again: {}", r.method, r.body),
        }
    }
    refused
}

/// What a citizen's chat received that they see: messages and reactions Telegram accepted.
fn seen_in(fake: &FakeBotApi, chat: i64) -> Vec<serde_json::Value> {
    let answers = |r: &&Recorded| matches!(r.method.as_str(), "sendMessage" | "setMessageReaction") && r.status == 200;
    fake.requests()
        .iter()
        .filter(|r| r.chat == Some(chat))
        .filter(answers)
        .map(|r| masked(&r.method, &r.body))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_citizens_get_every_reply_and_reaction_once_in_order_through_periodic_429s_and_500s() {
    const CITIZENS: i64 = 30;
    let fake = Arc::new(FakeBotApi::start().await);
    fake.add_group(GROUP, true);
    let acts = [
        Act::Write("/start".into()),
        Act::Press(0),
        Act::Write("/human".into()),
        Act::Write("бул. Витоша 1, входът е от двора".into()),
    ];
    // Played through the real shell with the same staff group and hours as the bot.
    let planner = planner(closed_today()).await;
    let mut plans = Vec::new();
    for c in 0..CITIZENS {
        let citizen = Citizen::new(60_000 + c, Some("bg"));
        let plan = planner.plan(citizen.id, Lang::parse("bg"), &acts).await.expect("the plan plays");
        plans.push((citizen, plan));
    }
    planner.close().await;
    assert!(plans[0].1[3].reacted(), "the message after the hand-over is passed on to staff");

    let db = TempDb::new();
    let bot = start_with(&fake, &db.path(), settings(), closed_today()).await;
    // From here on, every 30th call of any method is told to wait, every 45th fails.
    fake.fail_every(30, Fault::RetryAfter(1));
    fake.fail_every(45, Fault::ServerError);
    let mut drivers = Vec::new();
    for (citizen, plan) in plans.clone() {
        let fake = fake.clone();
        drivers.push(tokio::spawn(async move {
            let mut expected = 0;
            for step in &plan {
                push_input(&fake, &citizen, &step.input);
                expected += step.replies.len();
                let arrived =
                    fake.wait_until(PATIENCE, |v| v.sent_to(citizen.id) + v.reacted_in(citizen.id) >= expected);
                assert!(arrived.await, "chat {} got too little after {:?}", citizen.id, step.input);
            }
        }));
    }
    for d in drivers {
        d.await.expect("a citizen's plan played");
    }
    // Every case's card reached its topic.
    let cards = fake.wait_until(PATIENCE, |v| (0..CITIZENS).all(|c| v.in_topic(GROUP, 100 + c) >= 1)).await;
    assert!(cards, "a case's topic has no card");
    bot.stop().await;

    for (citizen, plan) in &plans {
        let wanted: Vec<_> = plan.iter().flat_map(|s| s.replies.iter().map(planned)).collect();
        assert_eq!(seen_in(&fake, citizen.id), wanted, "chat {}: every reply and reaction once, in order", citizen.id);
    }
    assert_eq!(fake.topics(GROUP).len(), CITIZENS as usize, "one topic per case, none opened twice");
    let requests = fake.requests();
    let refused = assert_every_429_was_retried_after_retry_after(&requests);
    let failed = requests.iter().filter(|r| r.status == 500).count();
    println!("{} requests, {refused} answered 429, {failed} answered 500", requests.len());
    assert!(refused > 0 && failed > 0, "the faults were injected");
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn a_429_on_opening_a_forum_topic_waits_retry_after_then_opens_it_once() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    let bot = start_with(&fake, &db.path(), settings(), closed_today()).await;
    let citizen = Citizen::new(2101, Some("bg"));
    fake.fail_next("createForumTopic", Fault::RetryAfter(1));
    fake.push(citizen.text("/human"));
    let opened = fake.wait_until(PATIENCE, |v| v.count("createForumTopic") == 1 && v.in_topic(GROUP, 100) >= 1);
    assert!(opened.await, "the topic and its card never came");
    bot.stop().await;

    let tries: Vec<_> = fake.requests().into_iter().filter(|r| r.method == "createForumTopic").collect();
    let statuses: Vec<u16> = tries.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 200]);
    assert_eq!(tries[0].body, tries[1].body, "the same topic is asked for again");
    assert!(tries[1].at.duration_since(tries[0].at) >= Duration::from_secs(1), "retried sooner than retry_after");
    assert_eq!(fake.topics(GROUP).len(), 1);
    let cards = fake.in_topic(GROUP, 100).iter().filter(|r| r.body["text"].to_string().contains("/close")).count();
    assert_eq!(cards, 1, "the card once");
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn a_429_on_typing_waits_retry_after_and_typing_stops_once_the_replies_went_out() {
    let fake = FakeBotApi::start().await;
    let citizen = Citizen::new(2102, Some("bg"));
    fake.push(citizen.text("здравей"));
    let bot = fake.bot();
    bot.get_updates().await.expect("the fake hands out the message");

    // Still thinking: "typing..." is shown again once Telegram's wait is over.
    fake.fail_next("sendChatAction", Fault::RetryAfter(1));
    typing(bot.clone(), citizen.id, Arc::new(AtomicBool::new(false))).await;
    let tries: Vec<_> = fake.requests().into_iter().filter(|r| r.method == "sendChatAction").collect();
    assert_eq!(tries.iter().map(|r| r.status).collect::<Vec<_>>(), [429, 200]);
    assert_eq!(tries[0].body, tries[1].body);
    assert!(tries[1].at.duration_since(tries[0].at) >= Duration::from_secs(1), "retried sooner than retry_after");

    // The replies went out meanwhile: no "typing..." after them.
    fake.fail_next("sendChatAction", Fault::RetryAfter(1));
    typing(bot, citizen.id, Arc::new(AtomicBool::new(true))).await;
    let tries: Vec<u16> = fake.requests().iter().filter(|r| r.method == "sendChatAction").map(|r| r.status).collect();
    assert_eq!(tries, [429, 200, 429]);
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn staff_answers_to_a_citizen_who_blocked_the_bot_make_no_call_until_they_write_again() {
    let fake = FakeBotApi::start().await;
    fake.add_group(GROUP, true);
    let db = TempDb::new();
    let quick = sofia_bot::channels::telegram::Settings { claim_every: Duration::from_millis(100), ..settings() };
    let bot = start_with(&fake, &db.path(), quick, closed_today()).await;
    let citizen = Citizen::new(2103, Some("bg"));
    let maria = StaffMember::new(501, "Мария", GROUP);
    fake.push(citizen.text("/human"));
    wait_for_messages(&fake, citizen.id, 1).await;
    assert!(fake.wait_until(PATIENCE, |v| v.in_topic(GROUP, 100) >= 1).await, "no card");

    // The citizen blocks the bot; the first answer meets the 403.
    fake.block(citizen.id);
    fake.push(maria.in_topic(100, "Здравейте! Кажете адреса, моля."));
    let refused = fake.wait_until(PATIENCE, |v| v.requests.iter().any(|r| r.status == 403));
    assert!(refused.await, "the answer never met the block");
    let calls_then = fake.requests().iter().filter(|r| r.chat == Some(citizen.id)).count();

    // Two more answers, from the topic and from the command line: no call to their chat.
    fake.push(maria.in_topic(100, "Още ли е актуално?"));
    let case = bot.store.chat_cases("telegram", "2103").await.unwrap().remove(0);
    let a = assistant_on(&bot.store, closed_today());
    let reply = sofia_bot::staff::cli::Action::Reply {
        reference: closed_today().show(case.reference),
        text: "Ще изпратим екип.".into(),
        name: Some("Иван".into()),
    };
    sofia_bot::staff::cli::run(&a, reply).await.expect("the command line answers");
    // The hand-over's reply and three answers; the three given up, whichever way each went
    // (met the 403, queued when it came, or written after it).
    let given_up = async {
        loop {
            let rows = bot.store.outbox_rows("2103").await.unwrap();
            let blocked =
                |r: &&OutboxRow| r.failed_ms.is_some() && r.last_error.as_deref() == Some("the chat blocked the bot");
            if rows.iter().filter(blocked).count() >= 3 {
                break rows;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let Ok(rows) = tokio::time::timeout(PATIENCE, given_up).await else {
        panic!("the later answers were not given up: {:#?}", bot.store.outbox_rows("2103").await.unwrap());
    };
    // The hand-over's reply went out before the block; nothing after it. Only the answer that
    // met the 403 counts a request: the others were given up without one.
    assert_eq!(rows.len(), 4, "{rows:#?}");
    assert!(rows[0].sent_ms.is_some() && rows[1..].iter().all(|r| r.sent_ms.is_none()), "{rows:#?}");
    let attempts: Vec<i64> = rows[1..].iter().map(|r| r.attempts).collect();
    assert_eq!(attempts, [1, 0, 0], "{rows:#?}");
    assert_eq!(
        fake.requests().iter().filter(|r| r.chat == Some(citizen.id)).count(),
        calls_then,
        "a call went to a chat that blocked the bot"
    );
    // Staff learn it: in the topic, and in the case's history.
    let told = fake.wait_until(PATIENCE, |v| {
        v.requests.iter().filter(|r| r.status == 200 && r.body["message_thread_id"] == 100).any(|r| {
            r.body["text"].as_str().is_some_and(|t| t.contains("блокирал бота") || t.contains("blocked the bot"))
        })
    });
    assert!(told.await, "the topic was not told the answer was not delivered");
    let events = bot.store.case_events(case.reference).await.unwrap();
    assert!(events.iter().filter(|e| e.kind == EventKind::Undelivered).count() >= 2, "{events:#?}");

    // They unblock and write: their message reaches staff, with a reaction, as before.
    fake.unblock(citizen.id);
    fake.push(citizen.text("бул. Витоша 1"));
    assert!(fake.wait_until(PATIENCE, |v| v.reacted_in(citizen.id) == 1).await, "no reaction");
    let posted = fake.wait_until(PATIENCE, |v| {
        v.requests.iter().any(|r| r.status == 200 && r.body["text"].as_str().is_some_and(|t| t.contains("Витоша 1")))
    });
    assert!(posted.await, "their message did not reach the topic");
    assert!(bot.store.chat_active("telegram", "2103").await.unwrap());
    bot.stop().await;
    assert_telegram_would_accept_everything(&fake);
}
