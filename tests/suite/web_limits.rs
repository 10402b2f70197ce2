//! The console's login limits and its defences against other sites, in process: bounded
//! memory under a flood of names, staff behind one proxy address still signing in while an
//! attacker fails from it, forwarded addresses read only from a trusted proxy, login tokens
//! bound to the server's secret, `__Host-` cookies and HSTS in secure mode, and every
//! cross-origin change refused even with a valid token.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use sofia_bot::assistant::Assistant;
use sofia_bot::store::Role;
use sofia_bot::web::auth::{self, Cost};
use sofia_bot::web::{Console, WebSettings, app, limiter};
use tower::ServiceExt;

use crate::support::{TempDb, assistant};
use crate::web::{PASSWORD, a_case, console, cookie_pair, csrf, encode, get, login, post, send, set_cookie};

/// A console whose accounts and decoy hash at Argon2's lowest cost, for tests that fail
/// thousands of times.
async fn cheap_console(db: &TempDb, settings: WebSettings) -> (Arc<Console>, Arc<Assistant>) {
    let a = Arc::new(assistant(db).await);
    for (name, role) in [("ana", Role::Agent), ("sofi", Role::Supervisor)] {
        a.store.add_staff_user(name, role, &auth::hash_with(Cost::CHEAPEST, PASSWORD).unwrap(), 0).await.unwrap();
    }
    let c = Arc::new(Console::new(a.clone(), WebSettings { hash_cost: Cost::CHEAPEST, ..settings }));
    (c, a)
}

/// A browser's login form: its cookies ("name=value; ...") and token.
async fn login_form(c: &Arc<Console>, cookies: &str) -> (String, String) {
    let page = send(c, get("/login", cookies)).await;
    let jar: Vec<String> =
        [cookies.to_string(), cookie_pair(&page, c.cookies.login)].into_iter().filter(|c| !c.is_empty()).collect();
    (jar.join("; "), csrf(&page.body))
}

/// A login post from `peer`, optionally through a proxy naming `forwarded_for`.
fn login_from(
    peer: &str,
    forwarded_for: Option<&str>,
    cookies: &str,
    token: &str,
    name: &str,
    pw: &str,
) -> Request<Body> {
    let mut req = post("/login", cookies, &[("csrf", token), ("name", name), ("password", pw)]);
    req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    if let Some(f) = forwarded_for {
        req.headers_mut().insert("x-forwarded-for", f.parse().unwrap());
    }
    req
}

/// Signs in from `peer` as a browser with `cookies`; the answer's status and the cookies the
/// browser holds afterwards.
async fn sign_in(
    c: &Arc<Console>,
    peer: &str,
    via: Option<&str>,
    cookies: &str,
    name: &str,
    pw: &str,
) -> (StatusCode, String) {
    let (jar, token) = login_form(c, cookies).await;
    let done = send(c, login_from(peer, via, &jar, &token, name, pw)).await;
    let mut kept: Vec<String> =
        jar.split("; ").filter(|k| !k.starts_with(c.cookies.login)).map(str::to_string).collect();
    if let Some(device) = set_cookie(&done, c.cookies.device) {
        kept.retain(|k| !k.starts_with(c.cookies.device));
        kept.push(device.split(';').next().unwrap().to_string());
    }
    (done.status, kept.join("; "))
}

#[tokio::test]
async fn a_hundred_thousand_failed_logins_with_distinct_long_names_leave_the_limiter_bounded() {
    let db = TempDb::new();
    // A day-long window, so that no try drains back while the test runs.
    let day = WebSettings { window: std::time::Duration::from_secs(24 * 3600), ..WebSettings::default() };
    let (c, _) = cheap_console(&db, day).await;
    assert_eq!(c.limiter().memory(), limiter::MEMORY);
    let (jar, token) = login_form(&c, "").await;
    let router = app(c.clone());
    // Half the names are 1 KB, refused for their length (422) before anything else; the other
    // half are as long as a name may be (64 characters) and reach the limiter.
    let (kilobyte, longest) = ("я".repeat(500), "я".repeat(58));
    for i in 0..100_000 {
        let (name, status) = if i % 2 == 0 {
            (format!("{kilobyte}{i:06}"), StatusCode::UNPROCESSABLE_ENTITY)
        } else {
            (format!("{longest}{i:06}"), StatusCode::UNAUTHORIZED)
        };
        let r = router.clone().oneshot(login_from("203.0.113.9:4000", None, &jar, &token, &name, "wrong")).await;
        assert_eq!(r.unwrap().status(), status);
    }
    assert_eq!(c.limiter().memory(), limiter::MEMORY, "the tables never grow");
    assert_eq!(limiter::MEMORY, 192 * 1024, "the README's bound");
    // The address spent its 20 tries; the rest were refused before any password was hashed.
    assert_eq!(c.passwords_checked(), 20);
}

#[tokio::test]
async fn staff_behind_one_proxy_address_still_sign_in_while_an_attacker_fails_from_it() {
    let db = TempDb::new();
    let (c, _) = cheap_console(&db, WebSettings::default()).await;
    // Ana signed in from this browser before; the proxy is not configured as trusted, so
    // everyone comes from 10.0.0.1.
    let (ok, ana_browser) = sign_in(&c, "10.0.0.1:1", None, "", "ana", PASSWORD).await;
    assert_eq!(ok, StatusCode::SEE_OTHER);
    assert!(ana_browser.contains(c.cookies.device), "a device cookie: {ana_browser}");
    // The attacker fails 100 times at Ana's account and at others, from the same address.
    for i in 0..100 {
        let name = if i % 2 == 0 { "ana".to_string() } else { format!("guess{i}") };
        let (status, _) = sign_in(&c, "10.0.0.1:2", None, "", &name, "password1234").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (stranger, _) = sign_in(&c, "10.0.0.1:3", None, "", "ana", PASSWORD).await;
    assert_eq!(stranger, StatusCode::UNAUTHORIZED, "a browser new to the account waits");
    let (known, _) = sign_in(&c, "10.0.0.1:4", None, &ana_browser, "ana", PASSWORD).await;
    assert_eq!(known, StatusCode::SEE_OTHER, "Ana's own browser signs in");
    // Her device cookie is hers: it does not help with Sofi's account.
    let (other, _) = sign_in(&c, "10.0.0.1:4", None, &ana_browser, "sofi", PASSWORD).await;
    assert_eq!(other, StatusCode::UNAUTHORIZED, "the address is paused for strangers to sofi");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_counted_under_its_own_address() {
    let db = TempDb::new();
    let proxy = WebSettings { trusted_proxies: vec!["10.0.0.1".parse().unwrap()], ..WebSettings::default() };
    let (c, _) = cheap_console(&db, proxy).await;
    for i in 0..30 {
        let (status, _) = sign_in(&c, "10.0.0.1:2", Some("203.0.113.66"), "", &format!("guess{i}"), "x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let checked = c.passwords_checked();
    assert_eq!(checked, 20, "the attacker's address is paused");
    let (sofi, _) = sign_in(&c, "10.0.0.1:3", Some("198.51.100.7"), "", "sofi", PASSWORD).await;
    assert_eq!(sofi, StatusCode::SEE_OTHER, "a colleague behind the same proxy signs in");
    // The attacker cannot step around the limit by writing the header itself.
    let (forged, _) = sign_in(&c, "10.0.0.1:2", Some("1.2.3.4, 203.0.113.66"), "", "guess", "x").await;
    assert_eq!(forged, StatusCode::UNAUTHORIZED);
    assert_eq!(c.passwords_checked(), checked + 1, "only Sofi's password was checked");
}

#[tokio::test]
async fn a_forwarded_address_from_a_peer_that_is_not_the_proxy_is_ignored() {
    let db = TempDb::new();
    let (c, _) = cheap_console(&db, WebSettings::default()).await;
    for i in 0..25 {
        let via = format!("192.0.2.{i}");
        sign_in(&c, "198.51.100.9:1", Some(&via), "", &format!("guess{i}"), "x").await;
    }
    assert_eq!(c.passwords_checked(), 20, "counted under the peer's own address");
}

#[tokio::test]
async fn a_login_token_must_be_the_servers_own_for_the_cookie_sent() {
    let db = TempDb::new();
    let (c, _) = console(&db).await;
    let page = send(&c, get("/login", "")).await;
    let set = set_cookie(&page, "__Host-sofia-login").expect("a __Host- login cookie in secure mode");
    for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(part), "{set}");
    }
    let (cookie, token) = (cookie_pair(&page, "__Host-sofia-login"), csrf(&page.body));
    let nonce = cookie.split('=').nth(1).unwrap();
    let x32 = "x".repeat(32);
    let tries = [
        ("__Host-sofia-login=x".to_string(), "x".to_string()),
        (format!("__Host-sofia-login={x32}"), x32.clone()),
        (format!("__Host-sofia-login={nonce}"), nonce.to_string()),
        (format!("sofia-login={nonce}"), token.clone()),
        (format!("__Host-sofia-login={}", "0".repeat(32)), token.clone()),
    ];
    for (cookie, field) in tries {
        let r = send(&c, post("/login", &cookie, &[("csrf", &field), ("name", "ana"), ("password", PASSWORD)])).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{cookie} / {field}");
        assert!(!r.body.is_empty());
    }
    let r = send(&c, post("/login", &cookie, &[("csrf", &token), ("name", "ana"), ("password", PASSWORD)])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the pair the server made");
    // Over plain http the names have no prefix (browsers refuse __Host- without Secure).
    let a = Arc::new(assistant(&TempDb::new()).await);
    let plain = Arc::new(Console::new(a, WebSettings { secure_cookies: false, ..WebSettings::default() }));
    let page = send(&plain, get("/login", "")).await;
    let set = set_cookie(&page, "sofia-login").expect("a plain login cookie");
    assert!(!set.contains("Secure"), "{set}");
    assert!(page.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
}

#[tokio::test]
async fn https_answers_carry_hsts() {
    let db = TempDb::new();
    let (c, _) = console(&db).await;
    let r = send(&c, get("/login", "")).await;
    assert_eq!(r.headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
}

/// A post with a valid session and token, sent as a browser sends it from `site`.
fn post_from(path: &str, cookie: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Request<Body> {
    let body = form.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
    let mut req = Request::post(path)
        .header(header::HOST, "console.example.org")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn a_cross_origin_form_post_with_a_valid_token_is_refused() {
    let db = TempDb::new();
    let (c, a) = console(&db).await;
    let reference = a_case(&a).await;
    let (cookie, token) = login(&c, "sofi", PASSWORD).await.map_err(|a| a.body).unwrap();
    let act = format!("/cases/{reference}/act");
    let forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (act.as_str(), vec![("csrf", &token), ("action", "close")]),
        (act.as_str(), vec![("csrf", &token), ("action", "reply"), ("text", "from elsewhere")]),
        ("/canned", vec![("csrf", &token), ("lang", "bg"), ("title", "x"), ("body", "y")]),
        ("/logout", vec![("csrf", &token)]),
    ];
    let elsewhere: [&[(&str, &str)]; 6] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("sec-fetch-site", "none")],
        &[("origin", "https://evil.example")],
        &[("origin", "null")],
        &[],
    ];
    for (path, form) in &forms {
        for headers in elsewhere {
            let r = send(&c, post_from(path, &cookie, form, headers)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} {headers:?}");
            assert!(r.body.contains("role=\"alert\""), "a page that says why: {}", r.body);
        }
    }
    let case = a.store.chat_cases("telegram", "777").await.unwrap().remove(0);
    assert!(case.status.is_open(), "nothing changed");
    assert!(a.store.canned_replies().await.unwrap().is_empty());
    // From the console's own page: by Sec-Fetch-Site, or by Origin where a browser sends no
    // Sec-Fetch-Site.
    let take = [("csrf", token.as_str()), ("action", "take")];
    let r = send(&c, post_from(&act, &cookie, &take, &[("sec-fetch-site", "same-origin")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = send(&c, post_from(&act, &cookie, &take, &[("origin", "https://console.example.org")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The login form too.
    let page = send(&c, get("/login", "")).await;
    let login_form = [("csrf", csrf(&page.body)), ("name", "ana".into()), ("password", PASSWORD.into())];
    let login_form: Vec<(&str, &str)> = login_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = send(
        &c,
        post_from(
            "/login",
            &cookie_pair(&page, "__Host-sofia-login"),
            &login_form,
            &[("sec-fetch-site", "cross-site")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_login_form_opened_before_a_restart_still_works_after_it() {
    let db = TempDb::new();
    let a = Arc::new(assistant(&db).await);
    a.store.add_staff_user("ana", Role::Agent, &auth::hash_with(Cost::CHEAPEST, PASSWORD).unwrap(), 0).await.unwrap();
    let settings = || WebSettings { hash_cost: Cost::CHEAPEST, ..WebSettings::default() };
    let before = Arc::new(Console::new(a.clone(), settings().with_stored_secret(&a.store).await.unwrap()));
    let (jar, token) = login_form(&before, "").await;
    // The console restarts (or a second one serves the same database): the stored secret.
    let after = Arc::new(Console::new(a.clone(), settings().with_stored_secret(&a.store).await.unwrap()));
    let done = send(&after, post("/login", &jar, &[("csrf", &token), ("name", "ana"), ("password", PASSWORD)])).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    // A console with a secret of its own does not take the other's forms.
    let other = Arc::new(Console::new(a.clone(), settings()));
    let r = send(&other, post("/login", &jar, &[("csrf", &token), ("name", "ana"), ("password", PASSWORD)])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
