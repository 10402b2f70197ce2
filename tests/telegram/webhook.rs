//! Webhook mode: the secret checked before the body is read, the body capped, the update in
//! the inbox before the 200, a repeated delivery answered once.

use std::sync::Arc;

use sofia_bot::channels::telegram::webhook::{self, Hook, MAX_BODY, SECRET_HEADER};
use sofia_bot::channels::telegram::{Intake, Settings};
use sofia_bot::store::{Durability, Store};
use sofia_devkit::fake::{Citizen, FakeBotApi};
use sofia_devkit::plans::Act;

use crate::support::*;

const SECRET: &str = "s3cret-Token_123";

/// The webhook route alone, storing updates only, on a local port.
async fn route(db: &TempDb) -> (Store, String) {
    let store = Store::open(&db.path(), Durability::Full).await.unwrap();
    let hook = Arc::new(Hook { store: store.clone(), processor: None, secret: SECRET.into() });
    let app = webhook::router("/telegram", hook);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/telegram", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (store, url)
}

async fn post(fake: &FakeBotApi, url: &str, secret: Option<&str>, body: String) -> u16 {
    let bot = fake.bot();
    let mut request = bot.client().post(url).header("content-type", "application/json").body(body);
    if let Some(s) = secret {
        request = request.header(SECRET_HEADER, s);
    }
    request.send().await.expect("the webhook answers").status().as_u16()
}

fn update(id: i64, citizen: &Citizen, text: &str) -> String {
    let mut u = citizen.text(text);
    u["update_id"] = id.into();
    u.to_string()
}

#[tokio::test]
async fn a_wrong_or_missing_secret_is_refused_and_nothing_is_stored() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let (store, url) = route(&db).await;
    let citizen = Citizen::new(5001, Some("bg"));
    assert_eq!(post(&fake, &url, None, update(1, &citizen, "hi")).await, 401);
    assert_eq!(post(&fake, &url, Some("s3cret-Token_124"), update(2, &citizen, "hi")).await, 401);
    assert_eq!(post(&fake, &url, Some(""), update(3, &citizen, "hi")).await, 401);
    // The secret is checked first: a huge body with a wrong secret is still a 401.
    assert_eq!(post(&fake, &url, Some("nope"), "x".repeat(MAX_BODY + 10)).await, 401);
    for id in 1..=3 {
        assert!(store.inbox_row(id).await.unwrap().is_none());
    }
    store.close().await;
}

#[tokio::test]
async fn the_right_secret_stores_the_update_once_and_a_huge_body_is_refused() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let (store, url) = route(&db).await;
    let citizen = Citizen::new(5002, Some("bg"));
    assert_eq!(post(&fake, &url, Some(SECRET), update(7, &citizen, "здравей")).await, 200);
    let row = store.inbox_row(7).await.unwrap().expect("stored before the 200");
    assert_eq!(row.chat, "5002");
    assert_eq!(post(&fake, &url, Some(SECRET), update(7, &citizen, "здравей")).await, 200);
    assert_eq!(store.pending_updates().await.unwrap().len(), 1, "a repeated update_id is ignored");
    assert_eq!(post(&fake, &url, Some(SECRET), "x".repeat(MAX_BODY + 10)).await, 413);
    assert_eq!(post(&fake, &url, Some(SECRET), "not json".into()).await, 400);
    store.close().await;
}

#[tokio::test]
async fn in_webhook_mode_the_bot_sets_its_webhook_and_answers_each_update_once() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    // A free local port for the bot to listen on.
    let listen = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let public = url::Url::parse("https://bot.example.org/telegram/hook").unwrap();
    let intake = Intake::Webhook { url: public.clone(), listen, secret: sofia_bot::secret::Secret::new(SECRET) };
    let bot = start(&fake, &db.path(), Settings { intake, ..settings() }).await;
    assert!(fake.wait_until(PATIENCE, |v| v.count("setWebhook") == 1).await);
    let set = fake.calls("setWebhook").remove(0).body;
    assert_eq!(set["url"], public.as_str());
    assert_eq!(set["secret_token"], SECRET);

    let citizen = Citizen::new(5003, Some("bg"));
    fake.meet(citizen.id);
    let plan = expect(&citizen, &[Act::Write("/start".into())]).await;
    let url = format!("http://{listen}/telegram/hook");
    let body = update(70, &citizen, "/start");
    // The listener may take a moment to come up after setWebhook.
    let mut status = 0;
    for _ in 0..200 {
        let mut request = fake.bot().client().post(&url).header(SECRET_HEADER, SECRET).body(body.clone());
        request = request.header("content-type", "application/json");
        if let Ok(r) = request.send().await {
            status = r.status().as_u16();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(status, 200);
    assert_eq!(post(&fake, &url, Some(SECRET), body).await, 200, "Telegram delivering it again");
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;
    bot.stop().await;
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    assert_eq!(sent, plan[0].replies.iter().map(planned).collect::<Vec<_>>());
    assert_eq!(fake.calls("getUpdates").len(), 0, "no polling in webhook mode");
    assert_telegram_would_accept_everything(&fake);
}
