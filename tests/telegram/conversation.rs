//! A whole conversation through teloxide and the fake Bot API, with the exact requests: /start,
//! a topic button, free text, a road report with a location pin and a photo, to the end.

use serde_json::json;
use sofia_bot::channels::telegram::render::Request;
use sofia_devkit::fake::{Citizen, FakeBotApi};
use sofia_devkit::plans::{Act, push_input};

use crate::support::*;

#[tokio::test]
async fn a_whole_conversation_sends_exactly_the_expected_requests() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(1001, Some("bg"));
    let acts = vec![
        Act::Write("/start".into()),
        Act::Button("g:mobility:menu".into()),
        Act::Write("kude moga da si kupq karta za gradskiya transport".into()),
        Act::Button("g:mobility:report_category".into()),
        Act::Button("c:mobility:report_category:0".into()),
        Act::Pin(42.6977, 23.3219),
        Act::Write("Дупка на пътното платно пред блок 12".into()),
        Act::Photo("photo-1".into()),
    ];
    let plan = expect(&citizen, &acts).await;
    let mut callbacks = Vec::new();
    let mut delivered = 0;
    for step in &plan {
        let (_, callback) = push_input(&fake, &citizen, &step.input);
        callbacks.extend(callback);
        delivered += step.replies.len();
        wait_for_messages(&fake, citizen.id, delivered).await;
    }
    bot.stop().await;

    // The calls, in order (long polling aside).
    let methods: Vec<String> = fake.requests().into_iter().map(|r| r.method).filter(|m| m != "getUpdates").collect();
    let mut expected = vec!["getMe", "deleteWebhook", "setMyCommands", "setMyCommands"];
    for step in &plan {
        if matches!(step.input, sofia_bot::engine::Input::Button { .. }) {
            expected.push("answerCallbackQuery");
        }
        expected.extend(step.replies.iter().map(|_| "sendMessage"));
    }
    assert_eq!(methods, expected);

    // Every message exactly as planned through the shell: escaped HTML text, buttons, chat;
    // the hand-over tells the case's reference once.
    let store = sofia_bot::store::Store::open(&db.path(), sofia_bot::store::Durability::Full).await.unwrap();
    let cases = store.chat_cases("telegram", "1001").await.unwrap();
    assert_eq!(cases.len(), 1);
    let reference = sofia_bot::staff::cases::CaseSettings::default().show(cases[0].reference);
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    let wanted: Vec<_> = plan.iter().flat_map(|s| s.replies.iter().map(planned)).collect();
    assert_eq!(sent, wanted);
    let told = fake.messages_to(citizen.id).iter().filter(|m| m["text"].as_str().unwrap().contains(&reference)).count();
    assert_eq!(told, 1, "the handover tells the reference once");
    assert!(sent.iter().all(|m| m["parse_mode"] == "HTML"));

    // The welcome ends with the menu, whose buttons carry short ASCII data, not labels.
    let menu = &sent[0]["reply_markup"]["inline_keyboard"];
    assert!(menu.to_string().contains(r#""callback_data":"g:mobility:menu""#), "{menu}");
    // The free text about tickets is answered with the official site.
    assert!(sent.iter().any(|m| m["text"].as_str().unwrap().contains("sofiatraffic.bg")));

    // Each press answered with its own query id, and nothing else in the answer.
    let answers: Vec<_> = fake.calls("answerCallbackQuery").into_iter().map(|r| r.body).collect();
    assert_eq!(answers, callbacks.iter().map(|id| json!({ "callback_query_id": id })).collect::<Vec<_>>());

    // The commands menu in Bulgarian and, for everyone else, in English.
    let commands = fake.calls("setMyCommands");
    assert_eq!(commands[0].body["language_code"], "bg");
    assert!(commands[1].body.get("language_code").is_none());
    let names: Vec<&str> =
        commands[0].body["commands"].as_array().unwrap().iter().map(|c| c["command"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["start", "menu", "help", "language", "human", "cases", "privacy", "mydata", "forget", "cancel", "reset"]
    );

    // The report reached staff as a case with the pin and the largest photo.
    assert_eq!(cases[0].topic, "mobility");
    let slots = &cases[0].slots;
    assert_eq!(slots["place"].value(), "42.69770,23.32190");
    assert_eq!(slots["photo"].value(), "photo-1");
    assert_eq!(slots["category"].value(), "pothole");
    // Every update handled, every reply sent.
    let rows = store.outbox_rows("1001").await.unwrap();
    assert_eq!(rows.len(), expected.len() - 4);
    assert!(rows.iter().all(|r| r.sent_ms.is_some()));
    assert!(store.pending_updates().await.unwrap().is_empty());
    assert_eq!(store.transcript("telegram", "1001").await.unwrap().iter().filter(|l| l.incoming).count(), acts.len());
    store.close().await;
    assert_telegram_would_accept_everything(&fake);
}

#[tokio::test]
async fn a_deep_link_opens_its_topic_and_a_command_may_name_the_bot() {
    let fake = FakeBotApi::start().await;
    let db = TempDb::new();
    let bot = start(&fake, &db.path(), settings()).await;
    let citizen = Citizen::new(1002, Some("en-US"));
    let plan = expect(&citizen, &[Act::Write("/start mobility".into())]).await;
    fake.push(citizen.text("/start@sofia_test_bot mobility"));
    wait_for_messages(&fake, citizen.id, plan[0].replies.len()).await;
    bot.stop().await;
    let sent: Vec<_> = fake.messages_to(citizen.id).iter().map(seen).collect();
    assert_eq!(sent, plan[0].replies.iter().map(planned).collect::<Vec<_>>());
    // The deep link goes straight to mobility, in English for an app in en-US.
    let Request::SendMessage { reply_markup, .. } = &plan[0].replies[0] else { panic!() };
    assert!(serde_json::to_string(reply_markup).unwrap().contains("g:mobility:"));
    let store = sofia_bot::store::Store::open(&db.path(), sofia_bot::store::Durability::Full).await.unwrap();
    let session = sofia_bot::engine::Session::restore(&store.load_session("telegram", "1002").await.unwrap().unwrap());
    assert_eq!(session.lang, sofia_bot::lang::Lang::En);
    assert_eq!(session.at.map(|t| t.flow), Some("mobility".to_string()));
    store.close().await;
    assert_telegram_would_accept_everything(&fake);
}
