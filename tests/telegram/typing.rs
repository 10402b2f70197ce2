//! Citizens who only type, through teloxide and the fake Bot API: 200 of them, 20 messages
//! each from a mixed list (questions in three styles, reports and the answers to their
//! questions, a request for a person and what citizens write after it, the menu as a word,
//! thanks), no button pressed. Every message gets its reply, or a reaction where it was passed
//! on to staff: a report form or a hand-over swallows nothing after it. Read from the outbox:
//! each update's own rows, committed with it, delivered and accepted.

use std::collections::BTreeMap;
use std::sync::Arc;

use sofia_devkit::fake::{Citizen, FakeBotApi, Recorded};

use crate::support::*;

const CITIZENS: i64 = 200;

/// What they write, each citizen starting at another line.
const TYPED: [&str; 20] = [
    "здравей",
    "kude moga da si kupq karta za gradskiya transport",
    "искам да подам сигнал за боклук",
    "препълнени кофи",
    "Люлин",
    "Контейнерите пред блок 512 не са изпразвани от седмица",
    "не",
    "how do I pay for parking in the blue zone",
    "искам да говоря с човек",
    "Вход Б, етаж 4",
    "kak da si smenq li4niq lekar",
    "меню",
    "детска градина прием",
    "има огромна дупка на улицата пред блока",
    "1",
    "Младост 1",
    "дупката е пред входа, колите я заобикалят",
    "благодаря",
    "registraciq v buro po truda",
    "довиждане",
];

/// A reply or a reaction Telegram accepted.
fn answers(r: &Recorded) -> bool {
    matches!(r.method.as_str(), "sendMessage" | "setMessageReaction") && r.status == 200
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizens_who_only_type_get_a_reply_or_a_reaction_to_every_message() {
    let fake = Arc::new(FakeBotApi::start().await);
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let mut drivers = Vec::new();
    for c in 0..CITIZENS {
        let fake = fake.clone();
        drivers.push(tokio::spawn(async move {
            let citizen = Citizen::new(30_000 + c, Some("bg"));
            let mut tap = fake.tap(citizen.id);
            let mut updates = Vec::new();
            for t in 0..TYPED.len() {
                let text = TYPED[(c as usize + t) % TYPED.len()];
                updates.push(fake.push(citizen.text(text)));
                // Something arrives for each message before the next is written; which update
                // it answers is read from the outbox below.
                loop {
                    let r = tokio::time::timeout(PATIENCE, tap.recv()).await;
                    let r = r.unwrap_or_else(|_| panic!("chat {}: nothing came after {text:?}", citizen.id));
                    if answers(&r.expect("the fake runs")) {
                        break;
                    }
                }
            }
            (citizen.id, updates)
        }));
    }
    let mut pushed = Vec::new();
    for d in drivers {
        pushed.push(d.await.unwrap());
    }
    // Every update handled; a clean stop delivers what was committed.
    while !bot.store.pending_updates().await.unwrap().is_empty() {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    bot.stop().await;

    let store = sofia_bot::store::Store::open(&db.path(), sofia_bot::store::Durability::Full).await.unwrap();
    let (mut replied, mut reacted, mut silent) = (0, 0, Vec::new());
    for (chat, updates) in &pushed {
        let mut by_update: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for row in store.outbox_rows(&chat.to_string()).await.unwrap() {
            let method = serde_json::from_str::<serde_json::Value>(&row.payload).unwrap()["method"].to_string();
            assert!(row.sent_ms.is_some(), "chat {chat}: a {method} row was never delivered");
            by_update.entry(row.update_id.unwrap_or_default()).or_default().push(method);
        }
        for (i, u) in updates.iter().enumerate() {
            let methods = by_update.get(u).cloned().unwrap_or_default();
            if methods.iter().any(|m| m.contains("setMessageReaction")) {
                reacted += 1;
            } else if methods.iter().any(|m| m.contains("sendMessage")) {
                replied += 1;
            } else {
                silent.push((*chat, TYPED[(*chat as usize - 30_000 + i) % TYPED.len()]));
            }
        }
    }
    store.close().await;
    let total = CITIZENS as usize * TYPED.len();
    println!(
        "{total} typed messages: {replied} replied to, {reacted} passed on to staff with a reaction, {} neither",
        silent.len()
    );
    assert_eq!(silent, Vec::<(i64, &str)>::new(), "messages that got neither a reply nor a reaction");
    assert!(reacted > 0, "some messages were passed on to staff");
    assert_telegram_would_accept_everything(&fake);
}
