//! The console's input rules, in process: a limit per field with a clear 413 or 422, a
//! refused form shown again with the typed text, invalid UTF-8 refused with 400, a missing
//! object answered 404, and a body on every error.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sofia_bot::staff::cases::CaseRef;

use crate::support::TempDb;
use crate::web::{PASSWORD, a_case, console, get, login, post, send};

/// A form body as given (already encoded), posted from the console's own page.
fn raw_post(path: &str, cookie: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn five_one_megabyte_fields_are_refused_with_413_and_a_message() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let reference = a_case(&a).await;
    let (cookie, token) = login(&c, "sofi", PASSWORD).await.map_err(|a| a.body).unwrap();
    let mb = "a".repeat(1 << 20);
    let body = format!("csrf={token}&action=reply&text={mb}&canned={mb}&x={mb}&y={mb}&z={mb}");
    let r = send(&c, raw_post(&format!("/cases/{reference}/act"), &cookie, body)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("твърде голяма"), "{}", r.body);
    let events = a.store.case_events(CaseRef::parse(&reference).unwrap()).await.unwrap();
    assert_eq!(events.len(), 2, "nothing was done");
}

#[tokio::test]
async fn an_answer_over_its_limit_shows_the_case_again_with_the_typed_text() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let reference = a_case(&a).await;
    let (cookie, token) = login(&c, "ana", PASSWORD).await.map_err(|a| a.body).unwrap();
    let long = format!("Здравейте, {}", "много ".repeat(700));
    let reply = [("csrf", token.as_str()), ("action", "reply"), ("text", long.as_str())];
    let r = send(&c, post(&format!("/cases/{reference}/act?lang=en"), &cookie, &reply)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("longer than 4000 characters"), "{}", r.body);
    assert!(r.body.contains(long.trim()), "the typed text is kept");
    a.store.flush().await.unwrap();
    assert!(!a.store.outbox_rows("777").await.unwrap().iter().any(|row| row.payload.contains("Здравейте, много")));
    // A canned reply's title too, with what was typed.
    let (sup, token) = login(&c, "sofi", PASSWORD).await.map_err(|a| a.body).unwrap();
    let title = "Заглавие ".repeat(20);
    let add = [("csrf", token.as_str()), ("lang", "en"), ("title", title.as_str()), ("body", "Текстът остава.")];
    let r = send(&c, post("/canned", &sup, &add)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Заглавие") && r.body.contains("100") && r.body.contains("Текстът остава."), "{}", r.body);
    assert!(a.store.canned_replies().await.unwrap().is_empty());
    // And a login name, which keeps the name typed.
    let page = send(&c, get("/login", "")).await;
    let login_cookie = crate::web::cookie_pair(&page, "__Host-sofia-login");
    let name = "n".repeat(65);
    let form = [("csrf", crate::web::csrf(&page.body)), ("name", name.clone()), ("password", PASSWORD.to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = send(&c, post("/login", &login_cookie, &form)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("64") && r.body.contains(&format!("value=\"{}\"", &name[..64])), "{}", r.body);
}

#[tokio::test]
async fn invalid_utf8_is_refused_with_400_not_stored_as_replacement_characters() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let reference = a_case(&a).await;
    let (cookie, token) = login(&c, "ana", PASSWORD).await.map_err(|a| a.body).unwrap();
    for text in ["%FF%FEbad", "%D0", "ok%C3%28"] {
        let body = format!("csrf={token}&action=note&text={text}");
        let r = send(&c, raw_post(&format!("/cases/{reference}/act"), &cookie, body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{text}");
        assert!(r.body.contains("UTF-8"), "{}", r.body);
    }
    let r = send(&c, get("/?q=%FF", &cookie)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let events = a.store.case_events(CaseRef::parse(&reference).unwrap()).await.unwrap();
    assert!(!events.iter().any(|e| e.body.as_deref().is_some_and(|b| b.contains('\u{fffd}'))));
    assert_eq!(events.len(), 2, "no note was kept");
}

#[tokio::test]
async fn a_missing_object_answers_404_and_every_error_has_a_body() {
    let db = TempDb::new();
    let (c, _) = console(&db).await;
    let (sup, token) = login(&c, "sofi", PASSWORD).await.map_err(|a| a.body).unwrap();
    let csrf = [("csrf", token.as_str())];
    for path in ["/canned/999/delete", "/canned/abc/delete"] {
        let r = send(&c, post(path, &sup, &csrf)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.body.contains("Няма такъв готов отговор"), "{}", r.body);
    }
    let r = send(&c, get("/cases/SOF-2026-999999", &sup)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Няма такова запитване"), "{}", r.body);
    let cases: [(Request<Body>, StatusCode); 5] = [
        (get("/no/such/page", &sup), StatusCode::NOT_FOUND),
        (post("/dashboard", &sup, &csrf), StatusCode::METHOD_NOT_ALLOWED),
        (get("/", &format!("{sup}; big={}", "b".repeat(20_000))), StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE),
        (
            Request::post("/canned")
                .header(header::COOKIE, &sup)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            post("/cases/SOF-2026-999999/act", &sup, &[("csrf", token.as_str()), ("action", "take")]),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (req, status) in cases {
        let path = req.uri().to_string();
        let r = send(&c, req).await;
        assert_eq!(r.status, status, "{path}");
        assert!(r.body.contains("role=\"alert\""), "{path}: a page that says why: {}", r.body);
    }
}
