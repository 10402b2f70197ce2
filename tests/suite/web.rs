//! The staff console's router in process: every page behind a login, roles, CSRF, login
//! limits without user enumeration, security headers, citizens' HTML shown as text, and
//! answers given in the console reaching the citizen's outbox.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sofia_bot::assistant::Assistant;
use sofia_bot::engine::Input;
use sofia_bot::store::Role;
use sofia_bot::web::{Console, WebSettings, app, auth};
use tower::ServiceExt;

use crate::support::{TempDb, assistant};

pub const PASSWORD: &str = "зелена ябълка на покрива";

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

pub async fn send(c: &Arc<Console>, req: Request<Body>) -> Answer {
    let r = app(c.clone()).oneshot(req).await.unwrap();
    let (parts, body) = r.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 22).await.unwrap();
    Answer { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

/// A form posted from the console's own page, as a browser sends it (`Sec-Fetch-Site`).
pub fn post(path: &str, cookie: &str, form: &[(&str, &str)]) -> Request<Body> {
    let body = form.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap()
}

pub fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The value of a cookie set by an answer.
pub fn set_cookie(a: &Answer, name: &str) -> Option<String> {
    a.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// A cookie set by an answer, as a browser sends it back ("name=value").
pub fn cookie_pair(a: &Answer, name: &str) -> String {
    set_cookie(a, name).unwrap_or_else(|| panic!("no cookie {name}")).split(';').next().unwrap().to_string()
}

/// The CSRF token in a page's first form.
pub fn csrf(body: &str) -> String {
    let at = body.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    body[at..at + 32].to_string()
}

pub async fn console(db: &TempDb) -> (Arc<Console>, Arc<Assistant>) {
    let a = Arc::new(assistant(db).await);
    let c = Arc::new(Console::new(a.clone(), WebSettings::default()));
    for (name, role) in [("ana", Role::Agent), ("sofi", Role::Supervisor), ("admin", Role::Admin)] {
        let hash = auth::hash(PASSWORD).unwrap();
        a.store.add_staff_user(name, role, &hash, 0).await.unwrap();
    }
    (c, a)
}

/// Signs in; returns the session cookie ("name=value") and the session's CSRF token.
pub async fn login(c: &Arc<Console>, name: &str, password: &str) -> Result<(String, String), Answer> {
    let page = send(c, get("/login", "")).await;
    let token = csrf(&page.body);
    let login_cookie = cookie_pair(&page, "__Host-sofia-login");
    let done =
        send(c, post("/login", &login_cookie, &[("csrf", &token), ("name", name), ("password", password)])).await;
    if done.status != StatusCode::SEE_OTHER {
        return Err(done);
    }
    let cookie = set_cookie(&done, "__Host-sofia-staff").expect("a session cookie");
    let pair = cookie.split(';').next().unwrap().to_string();
    let queue = send(c, get("/", &pair)).await;
    Ok((pair, csrf(&queue.body)))
}

/// A Telegram citizen who asked for a person and wrote HTML.
pub async fn a_case(a: &Assistant) -> String {
    let now = chrono::Utc::now();
    a.handle("telegram", "777", Input::from_text("/human"), None, now).await.unwrap();
    a.handle("telegram", "777", Input::from_text("<script>alert(1)</script><img src=x onerror=alert(2)>"), None, now)
        .await
        .unwrap();
    a.cases.show(a.store.chat_cases("telegram", "777").await.unwrap()[0].reference)
}

#[tokio::test]
async fn no_page_is_reachable_without_login() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let reference = a_case(&a).await;
    for path in ["/", "/dashboard", "/audit", "/canned", &format!("/cases/{reference}")] {
        let r = send(&c, get(path, "")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.headers[header::LOCATION], "/login", "{path}");
    }
    let r = send(&c, post(&format!("/cases/{reference}/act"), "", &[("action", "close")])).await;
    assert_eq!(r.headers[header::LOCATION], "/login");
    assert_eq!(
        a.store.case_events(sofia_bot::staff::cases::CaseRef::parse(&reference).unwrap()).await.unwrap().len(),
        2
    );
    // A made-up session id is no session.
    let r = send(&c, get("/", "__Host-sofia-staff=00000000000000000000000000000000")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_session_cookie_is_host_prefixed_http_only_secure_strict_and_renewed_at_login() {
    let db = TempDb::new();
    let (c, _) = console(&db).await;
    let page = send(&c, get("/login", "")).await;
    let token = csrf(&page.body);
    let login_cookie = cookie_pair(&page, "__Host-sofia-login");
    let done =
        send(&c, post("/login", &login_cookie, &[("csrf", &token), ("name", "ana"), ("password", PASSWORD)])).await;
    let cookie = set_cookie(&done, "__Host-sofia-staff").unwrap();
    for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let id = cookie.split(';').next().unwrap().split('=').nth(1).unwrap().to_string();
    assert_eq!(id.len(), 32, "128 bits in hex");
    let (again, _) = login(&c, "ana", PASSWORD).await.map_err(|a| a.body).unwrap();
    assert!(!again.contains(&id), "a new id at every login");
    // Security headers on every answer.
    let r = send(&c, get("/", &again)).await;
    let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    // Not no-referrer, which makes browsers send `Origin: null` on form posts.
    assert_eq!(r.headers[header::REFERRER_POLICY], "same-origin");
    // Logout ends the session.
    let token = csrf(&r.body);
    send(&c, post("/logout", &again, &[("csrf", &token)])).await;
    assert_eq!(send(&c, get("/", &again)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_and_unknown_accounts_get_the_same_answer_and_logins_are_limited() {
    let db = TempDb::new();
    let (c, _) = console(&db).await;
    let wrong = login(&c, "ana", "not the password at all").await.expect_err("a wrong password");
    let unknown = login(&c, "nobody", "not the password at all").await.expect_err("no such account");
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let message = |a: &Answer| a.body.split("role=\"alert\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert_eq!(message(&wrong), message(&unknown));
    for _ in 0..4 {
        assert!(login(&c, "ana", "still not the password").await.is_err());
    }
    // Five failures: the right password is refused now, with the same words.
    let locked = login(&c, "ana", PASSWORD).await.expect_err("the account is paused");
    assert_eq!(message(&locked), message(&wrong));
    let sofi = login(&c, "sofi", PASSWORD).await;
    assert!(sofi.is_ok(), "another account signs in: {:?}", sofi.err().map(|a| (a.status, a.body)));
}

#[tokio::test]
async fn a_forged_post_without_the_csrf_token_is_refused() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let reference = a_case(&a).await;
    let (cookie, token) = login(&c, "ana", PASSWORD).await.map_err(|a| a.body).unwrap();
    let path = format!("/cases/{reference}/act");
    for form in [vec![("action", "close")], vec![("action", "close"), ("csrf", "0123456789abcdef0123456789abcdef")]] {
        assert_eq!(send(&c, post(&path, &cookie, &form)).await.status, StatusCode::FORBIDDEN);
    }
    let case = a.store.chat_cases("telegram", "777").await.unwrap().remove(0);
    assert!(case.status.is_open());
    // With the token it works, and names who did it.
    let r = send(&c, post(&path, &cookie, &[("csrf", &token), ("action", "take")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let events = a.store.case_events(case.reference).await.unwrap();
    let taken = events.last().unwrap();
    assert_eq!(taken.source, sofia_bot::staff::cases::Source::Console);
    assert!(matches!(&taken.actor, sofia_bot::staff::cases::Actor::Staff(s) if s.id == "web:ana"));
    // A forged login too.
    let r = send(&c, post("/login", "sofia-login=aaaa", &[("csrf", "bbbb"), ("name", "ana"), ("password", PASSWORD)]))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_agent_cannot_do_a_supervisors_or_an_admins_work() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let reference = a_case(&a).await;
    let (agent, token) = login(&c, "ana", PASSWORD).await.map_err(|a| a.body).unwrap();
    for path in ["/dashboard", "/canned", "/audit"] {
        assert_eq!(send(&c, get(path, &agent)).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let assign = [("csrf", token.as_str()), ("action", "assign"), ("text", "sofi")];
    assert_eq!(send(&c, post(&format!("/cases/{reference}/act"), &agent, &assign)).await.status, StatusCode::FORBIDDEN);
    let add = [("csrf", token.as_str()), ("lang", "bg"), ("title", "x"), ("body", "y")];
    assert_eq!(send(&c, post("/canned", &agent, &add)).await.status, StatusCode::FORBIDDEN);

    let (sup, token) = login(&c, "sofi", PASSWORD).await.map_err(|a| a.body).unwrap();
    assert_eq!(send(&c, get("/dashboard", &sup)).await.status, StatusCode::OK);
    assert_eq!(send(&c, get("/audit", &sup)).await.status, StatusCode::FORBIDDEN);
    let assign = [("csrf", token.as_str()), ("action", "assign"), ("text", "ana")];
    assert_eq!(send(&c, post(&format!("/cases/{reference}/act"), &sup, &assign)).await.status, StatusCode::SEE_OTHER);
    let case = a.store.chat_cases("telegram", "777").await.unwrap().remove(0);
    assert_eq!(case.assignee.map(|s| s.name), Some("ana".into()));
    let add = [("csrf", token.as_str()), ("lang", "bg"), ("title", "Благодарим"), ("body", "Благодарим за сигнала.")];
    assert_eq!(send(&c, post("/canned", &sup, &add)).await.status, StatusCode::SEE_OTHER);

    let (admin, _) = login(&c, "admin", PASSWORD).await.map_err(|a| a.body).unwrap();
    let audit = send(&c, get("/audit", &admin)).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("sofi (web:sofi)"), "the assignment is in the audit");
}

#[tokio::test]
async fn a_citizens_html_is_shown_as_text_and_a_reply_reaches_the_citizens_outbox() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let reference = a_case(&a).await;
    let (cookie, token) = login(&c, "ana", PASSWORD).await.map_err(|a| a.body).unwrap();
    let page = send(&c, get(&format!("/cases/{reference}"), &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>") && !page.body.contains("<img src=x"));
    // The queue lists it; a search by reference finds it.
    let queue = send(&c, get(&format!("/?q={reference}"), &cookie)).await;
    assert!(queue.body.contains(&format!("/cases/{reference}")));
    // An answer: an event, and a message for the citizen in the outbox for the service.
    let reply = [("csrf", token.as_str()), ("action", "reply"), ("text", "Здравейте, ще проверим.")];
    assert_eq!(send(&c, post(&format!("/cases/{reference}/act"), &cookie, &reply)).await.status, StatusCode::SEE_OTHER);
    a.store.flush().await.unwrap();
    let rows = a.store.outbox_rows("777").await.unwrap();
    assert!(rows.iter().any(|r| r.payload.contains("Здравейте, ще проверим.") && r.payload.contains(&reference)));
    assert!(a.store.claim_external().await.unwrap().iter().any(|r| r.chat == "777"), "the service picks it up");
    // Close: the citizen gets the rating question.
    let close = [("csrf", token.as_str()), ("action", "close"), ("text", "Проверено.")];
    send(&c, post(&format!("/cases/{reference}/act"), &cookie, &close)).await;
    let case = a.store.chat_cases("telegram", "777").await.unwrap().remove(0);
    assert_eq!(case.status, sofia_bot::staff::cases::Status::Resolved);
    let page = send(&c, get(&format!("/cases/{reference}?lang=en"), &cookie)).await;
    assert!(page.body.contains("Close the case"), "the console in English on request");
}

#[tokio::test]
async fn a_citizens_photo_is_fetched_through_the_bot_and_served_from_the_console() {
    use sofia_devkit::fake::FakeBotApi;
    let fake = FakeBotApi::start().await;
    let jpeg = b"\xff\xd8\xff\xe0 a citizen's photo \xff\xd9".to_vec();
    fake.put_file("photo-77", jpeg.clone());
    let db = TempDb::new();
    let (_, a) = console(&db).await;
    let c = Arc::new(Console::new(a.clone(), WebSettings::default()).with_bot(fake.bot()));
    let now = chrono::Utc::now();
    a.handle("telegram", "777", Input::from_text("/human"), None, now).await.unwrap();
    a.handle("telegram", "777", Input::Photo { file_id: "photo-77".into() }, None, now).await.unwrap();
    let reference = a.cases.show(a.store.chat_cases("telegram", "777").await.unwrap()[0].reference);
    let path = format!("/cases/{reference}/photo/0");
    assert_eq!(send(&c, get(&path, "")).await.status, StatusCode::SEE_OTHER, "only for staff");
    let (cookie, _) = login(&c, "ana", PASSWORD).await.map_err(|a| a.body).unwrap();
    let page = send(&c, get(&format!("/cases/{reference}"), &cookie)).await;
    assert!(page.body.contains(&format!("src=\"{path}\"")) || page.body.contains(&path), "the page shows it");
    let photo = send(&c, get(&path, &cookie)).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_eq!(photo.headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(photo.body, String::from_utf8_lossy(&jpeg), "the bytes Telegram holds");
    assert_eq!(send(&c, get(&format!("/cases/{reference}/photo/1"), &cookie)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(fake.downloads(), 1);
}

#[tokio::test]
async fn a_session_ends_after_its_idle_time_and_after_its_absolute_time() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    for (column, age) in [("seen", 31 * 60_000), ("created", 13 * 3_600_000)] {
        let (cookie, _) = login(&c, "ana", PASSWORD).await.map_err(|a| a.body).unwrap();
        assert_eq!(send(&c, get("/", &cookie)).await.status, StatusCode::OK);
        let id = cookie.split('=').nth(1).unwrap();
        let s = a.store.web_session(id).await.unwrap().unwrap();
        let now = chrono::Utc::now().timestamp_millis();
        // The clock moved: the session was last used (or made) that long ago.
        a.store.end_web_session(id).await.unwrap();
        let (created, seen) = if column == "seen" { (now, now - age) } else { (now - age, now) };
        a.store.add_web_session(id, s.user.id, &s.csrf, created).await.unwrap();
        a.store.touch_web_session(id, seen).await.unwrap();
        assert_eq!(send(&c, get("/", &cookie)).await.status, StatusCode::SEE_OTHER, "{column}");
        assert!(a.store.web_session(id).await.unwrap().is_none(), "{column}: the session is gone");
    }
}

#[tokio::test]
async fn notes_reopening_canned_replies_and_the_dashboard() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let reference = a_case(&a).await;
    a.handle("telegram", "779", Input::from_text("абракадабра 7501020018 жжж"), None, chrono::Utc::now())
        .await
        .unwrap();
    let (sup, token) = login(&c, "sofi", PASSWORD).await.map_err(|a| a.body).unwrap();
    let act = |action: &'static str, text: &'static str| {
        let form = [("csrf", token.clone()), ("action", action.to_string()), ("text", text.to_string())];
        let path = format!("/cases/{reference}/act");
        let cookie = sup.clone();
        let c = c.clone();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            send(&c, post(&path, &cookie, &form)).await.status
        }
    };
    assert_eq!(act("note", "Съседите също се оплакват").await, StatusCode::SEE_OTHER);
    assert_eq!(act("close", "").await, StatusCode::SEE_OTHER);
    assert_eq!(act("reopen", "").await, StatusCode::SEE_OTHER);
    let case = a.store.chat_cases("telegram", "777").await.unwrap().remove(0);
    assert_eq!(case.status, sofia_bot::staff::cases::Status::Reopened);
    let kinds: Vec<&str> = a.store.case_events(case.reference).await.unwrap().iter().map(|e| e.kind.code()).collect();
    assert!(kinds.ends_with(&["note", "taken", "closed", "reopened"]), "{kinds:?}");
    // The note is not sent to the citizen.
    assert!(!a.store.outbox_rows("777").await.unwrap().iter().any(|r| r.payload.contains("Съседите")));

    // Canned replies: added, offered on the case page, used for an answer, deleted.
    let add = [("csrf", token.as_str()), ("lang", "bg"), ("title", "Проверка"), ("body", "Ще изпратим проверка.")];
    send(&c, post("/canned", &sup, &add)).await;
    let canned = a.store.canned_replies().await.unwrap();
    let id = canned[0].id.to_string();
    let page = send(&c, get(&format!("/cases/{reference}"), &sup)).await;
    assert!(page.body.contains("Проверка"));
    let reply = [("csrf", token.as_str()), ("action", "reply"), ("text", ""), ("canned", id.as_str())];
    assert_eq!(send(&c, post(&format!("/cases/{reference}/act"), &sup, &reply)).await.status, StatusCode::SEE_OTHER);
    a.store.flush().await.unwrap();
    assert!(a.store.outbox_rows("777").await.unwrap().iter().any(|r| r.payload.contains("Ще изпратим проверка.")));
    send(&c, post(&format!("/canned/{id}/delete"), &sup, &[("csrf", token.as_str())])).await;
    assert!(a.store.canned_replies().await.unwrap().is_empty());

    // The dashboard: counts, and the questions not understood with personal numbers masked.
    let dash = send(&c, get("/dashboard", &sup)).await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(dash.body.contains("[EGN]") && !dash.body.contains("7501020018"), "{}", dash.body);
}

#[tokio::test]
async fn console_answers_reach_the_staff_group_and_group_answers_show_in_the_console() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    let a = Arc::new(Assistant {
        cases: sofia_bot::staff::cases::CaseSettings { staff_group: Some(-1001), ..Default::default() },
        ..a
    });
    a.store.add_staff_user("ana", Role::Agent, &auth::hash(PASSWORD).unwrap(), 0).await.unwrap();
    let c = Arc::new(Console::new(a.clone(), WebSettings::default()));
    let reference = a_case(&a).await;
    let (cookie, token) = login(&c, "ana", PASSWORD).await.map_err(|a| a.body).unwrap();
    let reply = [("csrf", token.as_str()), ("action", "reply"), ("text", "Отговор от конзолата")];
    send(&c, post(&format!("/cases/{reference}/act"), &cookie, &reply)).await;
    a.store.flush().await.unwrap();
    let group = a.store.outbox_rows("-1001").await.unwrap();
    assert!(group.iter().any(|r| r.payload.contains("Отговор от конзолата")), "posted in the case's topic");
    // An answer given in the staff group is in the console's history.
    let case = a.store.chat_cases("telegram", "777").await.unwrap().remove(0);
    let maria = sofia_bot::staff::cases::Staffer { id: "501".into(), name: "Мария".into() };
    let act = sofia_bot::staff::desk::StaffAct::Reply("Отговор от групата".into());
    let h =
        a.staff_act(&case, &maria, sofia_bot::staff::cases::Source::StaffGroup, act, chrono::Utc::now()).await.unwrap();
    let mut f = sofia_bot::store::Finish::default();
    let r = a.staff_record(&case, h, &mut f, chrono::Utc::now());
    a.store.finish(Some(r), f).await.unwrap();
    let page = send(&c, get(&format!("/cases/{reference}"), &cookie)).await;
    assert!(page.body.contains("Отговор от групата") && page.body.contains("staff-group"));
}
