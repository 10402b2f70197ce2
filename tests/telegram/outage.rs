//! The Bot API unreachable for a minute, and back: the bot talks to the fake through a cable
//! that is cut (connections closed, new ones refused) while citizens write and a staff member
//! answers. The bot keeps running, tells nobody anything false (no chat taken for blocked, no
//! answer reported undelivered), and once the cable is mended every message written meanwhile
//! is answered exactly once, the staff answer delivered once, nothing lost.

use std::time::Duration;

use sofia_bot::staff::cases::{CaseSettings, EventKind};
use sofia_devkit::cable::Cable;
use sofia_devkit::fake::{Citizen, FakeBotApi, TOKEN};
use sofia_devkit::plans::{Act, push_input};

use crate::support::*;

/// How long the Bot API stays unreachable.
const OUTAGE: Duration = Duration::from_secs(60);
const ANSWER: &str = "Ще изпратим екип утре сутринта.";

#[tokio::test]
async fn the_bot_api_unreachable_for_a_minute_loses_nothing_and_sends_nothing_twice() {
    let fake = FakeBotApi::start().await;
    let cable = Cable::to(fake.addr()).await;
    let db = TempDb::new();
    let bot = sofia_bot::channels::telegram::bot(TOKEN, Some(&cable.url()));
    let bot = start_on(bot, &db.path(), settings(), CaseSettings::default()).await;
    let asks = Citizen::new(4101, Some("bg"));
    let hands_over = Citizen::new(4102, Some("bg"));
    let asked = [
        Act::Write("kude moga da si kupq karta za gradskiya transport".into()),
        Act::Write("how do I pay for parking in the blue zone".into()),
        Act::Write("благодаря".into()),
    ];
    let handed = [Act::Write("/human".into())];
    let (plan_asks, plan_hands) = (expect(&asks, &asked).await, expect(&hands_over, &handed).await);

    // Before the outage: a question answered, a conversation handed to staff.
    push_input(&fake, &asks, &plan_asks[0].input);
    push_input(&fake, &hands_over, &plan_hands[0].input);
    wait_for_messages(&fake, asks.id, plan_asks[0].replies.len()).await;
    wait_for_messages(&fake, hands_over.id, plan_hands[0].replies.len()).await;

    // The cable is cut: citizens go on writing, a staff member answers.
    cable.cut();
    // A request the relay was copying as it was cut has landed by now.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = fake.requests().len();
    for step in &plan_asks[1..] {
        push_input(&fake, &asks, &step.input);
    }
    // For staff, while the staff answer is already on its way: marked with a reaction.
    fake.push(hands_over.text("Вход Б, етаж 4, от три дни"));
    let case = bot.store.chat_cases("telegram", &hands_over.id.to_string()).await.unwrap().remove(0);
    let staff = assistant_on(&bot.store, CaseSettings::default());
    let reply = sofia_bot::staff::cli::Action::Reply {
        reference: CaseSettings::default().show(case.reference),
        text: ANSWER.into(),
        name: Some("Мария".into()),
    };
    sofia_bot::staff::cli::run(&staff, reply).await.expect("the answer is taken while Telegram is away");
    tokio::time::sleep(OUTAGE).await;
    assert!(bot.runs(), "the bot gave up while the Bot API was unreachable");
    assert_eq!(fake.requests().len(), before, "a request went through a cut cable");

    // Mended: everything written meanwhile is answered, once.
    cable.mend().await;
    let wanted = |plan: &[sofia_devkit::plans::Planned]| -> Vec<serde_json::Value> {
        plan.iter().flat_map(|s| s.replies.iter().map(planned)).filter(|r| r["method"] == "sendMessage").collect()
    };
    let (wanted_asks, wanted_hands) = (wanted(&plan_asks), wanted(&plan_hands));
    wait_for_messages(&fake, asks.id, wanted_asks.len()).await;
    wait_for_messages(&fake, hands_over.id, wanted_hands.len() + 1).await;
    assert!(
        fake.wait_until(PATIENCE, |v| v.reacted_in(hands_over.id) == 1).await,
        "the message for staff was not marked"
    );
    bot.stop().await;

    let sent_asks: Vec<_> = fake.messages_to(asks.id).iter().map(seen).collect();
    assert_eq!(sent_asks, wanted_asks);
    let (answers, from_assistant): (Vec<_>, Vec<_>) = fake
        .messages_to(hands_over.id)
        .into_iter()
        .partition(|m| m["text"].as_str().is_some_and(|t| t.contains(ANSWER)));
    assert_eq!(answers.len(), 1, "the staff answer arrived once");
    assert_eq!(from_assistant.iter().map(seen).collect::<Vec<_>>(), wanted_hands);

    // Nothing false: the chats are taken as reachable, no answer is reported undelivered,
    // every outbox row was sent, every update handled once.
    let store = sofia_bot::store::Store::open(&db.path(), sofia_bot::store::Durability::Full).await.unwrap();
    for (citizen, plan) in [(&asks, &plan_asks), (&hands_over, &plan_hands)] {
        let chat = citizen.id.to_string();
        assert!(store.chat_active("telegram", &chat).await.unwrap(), "chat {chat} taken for blocked");
        let rows = store.outbox_rows(&chat).await.unwrap();
        assert!(rows.iter().all(|r| r.sent_ms.is_some() && r.failed_ms.is_none()), "{rows:#?}");
        let lines = store.transcript("telegram", &chat).await.unwrap();
        let written = plan.len() + usize::from(citizen.id == hands_over.id);
        assert_eq!(lines.iter().filter(|l| l.incoming).count(), written, "chat {chat}: updates handled");
    }
    let events = store.case_events(case.reference).await.unwrap();
    assert!(!events.iter().any(|e| e.kind == EventKind::Undelivered), "{events:#?}");
    assert!(store.pending_updates().await.unwrap().is_empty());
    store.close().await;
    assert_telegram_would_accept_everything(&fake);
}
