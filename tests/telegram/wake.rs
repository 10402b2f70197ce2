//! A staff member's answer written in the bot's own process (the console beside the bot, or
//! the command line's code path) reaches the citizen at once: no poll on that path. Every
//! interval the service has is an hour here, so only the wake can deliver it in time.

use std::sync::Arc;
use std::time::Duration;

use sofia_bot::channels::telegram::{self, Settings};
use sofia_bot::staff::cli::{self, Action};
use sofia_bot::store::{CaseFilter, Durability, Store};
use sofia_devkit::fake::{Citizen, FakeBotApi};
use tokio::sync::watch;

use crate::support::*;

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn an_answer_written_in_the_same_process_wakes_the_sender_with_every_poll_an_hour_apart() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let store = Store::open(&db.path(), Durability::Full).await.unwrap();
    let assistant = Arc::new(assistant_on(&store, Default::default()));
    let settings = Settings { claim_every: HOUR, sweep_every: HOUR, ..settings() };
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(telegram::serve(fake.bot(), assistant.clone(), settings, stopped));

    let citizen = Citizen::new(3101, Some("bg"));
    fake.push(citizen.text("/human"));
    wait_for_messages(&fake, citizen.id, 1).await;
    let before = fake.messages_to(citizen.id).len();
    let cases = store.cases(&CaseFilter::default()).await.unwrap();
    let reply = Action::Reply {
        reference: assistant.cases.show(cases[0].reference),
        text: "Проверихме, ще бъде ремонтирано до петък.".into(),
        name: Some("Мария".into()),
    };
    cli::run(&assistant, reply).await.unwrap();
    wait_for_messages(&fake, citizen.id, before + 1).await;
    let last = fake.messages_to(citizen.id).last().cloned().unwrap();
    assert!(last["text"].as_str().unwrap().contains("Проверихме, ще бъде ремонтирано до петък."), "{last}");

    let _ = stop.send(true);
    task.await.unwrap().unwrap();
    store.close().await;
    assert_telegram_would_accept_everything(&fake);
}
