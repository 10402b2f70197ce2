//! Data rights through Telegram: /mydata sends files, /forget is confirmed by typing. (Logs
//! without citizens' words are tested in `tests/logs.rs`, a process of its own.)

use sofia_devkit::fake::{Citizen, FakeBotApi};

use crate::support::*;

#[tokio::test]
async fn mydata_sends_the_citizen_their_data_as_files() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(2101, Some("bg"));
    fake.push(citizen.text("Пейката в градинката е счупена"));
    wait_for_messages(&fake, citizen.id, 1).await;
    fake.push(citizen.text("/mydata"));
    assert!(fake.wait_until(PATIENCE, |v| v.count("sendDocument") >= 2).await, "no files sent");
    let files = fake.documents_to(citizen.id);
    let names: Vec<&str> = files.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(names, ["my-data.json", "my-data.txt"]);
    let json: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
    assert!(json["conversation"].to_string().contains("Пейката в градинката е счупена"));
    bot.stop().await;
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn forget_is_confirmed_by_typing_its_label_its_number_or_yes() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizens = [(2111, "Да, изтрийте"), (2112, "1"), (2113, "да")];
    for (id, typed) in citizens {
        let citizen = Citizen::new(id, Some("bg"));
        fake.push(citizen.text("здравей"));
        wait_for_messages(&fake, id, 1).await;
        fake.push(citizen.text("/forget"));
        wait_for_messages(&fake, id, 2).await;
        fake.push(citizen.text(typed));
        wait_for_messages(&fake, id, 3).await;
        let done = fake.messages_to(id)[2]["text"].as_str().unwrap_or_default().to_string();
        assert!(done.starts_with("Готово"), "{typed:?}: {done}");
    }
    bot.stop().await;
    let store = sofia_bot::store::Store::open(&db.path(), sofia_bot::store::Durability::Full).await.unwrap();
    for (id, typed) in citizens {
        assert!(store.transcript("telegram", &id.to_string()).await.unwrap().is_empty(), "{typed:?}: erased");
    }
    store.close().await;
    assert_telegram_would_accept_everything(&fake);
}
