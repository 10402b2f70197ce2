//! The queue and the dashboard read from SQL: pages of 50 with the filters kept, counts per
//! status, a search in any letter case (Cyrillic too) or by reference, and the dashboard's
//! figures.

use sofia_bot::engine::Input;
use sofia_bot::store::QueueFilter;

use crate::support::TempDb;
use crate::web::{PASSWORD, console, get, login, post, send};

/// Rows in the queue's table.
fn rows(body: &str) -> usize {
    body.matches("<td><a href=\"/cases/").count()
}

#[tokio::test]
async fn the_queue_pages_filters_and_searches_in_sql() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let now = chrono::Utc::now();
    for i in 0..55 {
        let chat = format!("9{i:03}");
        a.handle("telegram", &chat, Input::from_text("/human"), None, now).await.unwrap();
        let text = if i % 5 == 0 { format!("ул. Шипка {i}") } else { format!("вход Б {i}") };
        a.handle("telegram", &chat, Input::from_text(&text), None, now).await.unwrap();
    }
    let (cookie, token) = login(&c, "sofi", PASSWORD).await.map_err(|a| a.body).unwrap();
    let first = send(&c, get("/", &cookie)).await;
    assert_eq!(rows(&first.body), 50, "one page");
    assert!(first.body.contains("Страница 1 от 2 (55 случая)"), "{}", first.body);
    assert!(first.body.contains("page=2\" rel=\"next\""), "a link to the next page");
    let second = send(&c, get("/?page=2", &cookie)).await;
    assert_eq!(rows(&second.body), 5);
    assert!(second.body.contains("page=1\" rel=\"prev\"") && !second.body.contains("rel=\"next\""));

    // Lower case finds the capitalised Cyrillic; the filters stay on the next page's link.
    let found = send(&c, get("/?q=%D1%88%D0%B8%D0%BF%D0%BA%D0%B0", &cookie)).await;
    assert_eq!(rows(&found.body), 11, "{}", found.body);
    let (cases, total) = a
        .store
        .queue_page(&QueueFilter { search: Some("шипка".into()), limit: 5, ..Default::default() })
        .await
        .unwrap();
    assert_eq!((cases.len(), total), (5, 11));
    let one = a.cases.show(cases[0].reference);
    let by_ref = send(&c, get(&format!("/?q={one}"), &cookie)).await;
    assert_eq!(rows(&by_ref.body), 1);

    // Counts per status, and a status filter.
    let reference = one.clone();
    let take = [("csrf", token.as_str()), ("action", "take")];
    send(&c, post(&format!("/cases/{reference}/act"), &cookie, &take)).await;
    let queue = send(&c, get("/?status=assigned", &cookie)).await;
    assert_eq!(rows(&queue.body), 1);
    assert!(queue.body.contains(&format!("/cases/{reference}")));
    assert!(queue.body.contains("<strong>54</strong>") && queue.body.contains("<strong>1</strong>"), "{}", queue.body);
    let none = send(&c, get("/?status=closed", &cookie)).await;
    assert_eq!(rows(&none.body), 0);
}

#[tokio::test]
async fn the_dashboard_counts_days_and_figures_in_sql() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let now = chrono::Utc::now();
    for chat in ["801", "802", "803"] {
        a.handle("telegram", chat, Input::from_text("/human"), None, now).await.unwrap();
        a.handle("telegram", chat, Input::from_text("Светофарът не работи"), None, now).await.unwrap();
    }
    let (sup, token) = login(&c, "sofi", PASSWORD).await.map_err(|a| a.body).unwrap();
    let first = a.store.chat_cases("telegram", "801").await.unwrap().remove(0);
    let reference = a.cases.show(first.reference);
    let reply = [("csrf", token.as_str()), ("action", "reply"), ("text", "Проверяваме.")];
    send(&c, post(&format!("/cases/{reference}/act"), &sup, &reply)).await;
    let close = [("csrf", token.as_str()), ("action", "close"), ("text", "")];
    send(&c, post(&format!("/cases/{reference}/act"), &sup, &close)).await;
    let figures = a.store.figures().await.unwrap();
    assert_eq!((figures.answered, figures.answered_in_time), (1, 1));
    assert!(figures.median_first_answer_ms.is_some_and(|ms| ms < 60_000));
    let dash = send(&c, get("/dashboard", &sup)).await;
    assert!(dash.body.contains("<dd>0 min</dd>") && dash.body.contains("<dd>100%</dd>"), "{}", dash.body);
    let today = a.locales.calendar.local_time(now).format("%Y-%m-%d").to_string();
    let row = dash.body.split("<tr>").find(|r| r.contains(&today)).expect("today's row");
    assert!(row.contains("<td>3</td><td>1</td>"), "three opened, one closed today: {row}");
}
