//! The staff console in real Chromium: sign in, find the case a citizen escalated, read the
//! citizen's HTML as text (nothing runs), answer, close; and a form on another origin that
//! carries a valid token is refused. With `SOFIA_SCREENSHOTS=DIR` the
//! queue and the case page are saved there (the README's pictures: `docs/screenshots`).

use std::path::Path;
use std::sync::Arc;

use sofia_bot::assistant::Assistant;
use sofia_bot::engine::{Input, Settings, load_flows};
use sofia_bot::i18n::Locales;
use sofia_bot::staff::cases::Status;
use sofia_bot::store::{Durability, Role, Store};
use sofia_bot::web::{Console, WebSettings, app, auth};

use fantoccini::Locator;

use crate::serve;
use crate::webdriver::{Browser, Error};

const PAYLOAD: &str = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> Улицата е тъмна";
const PASSWORD: &str = "зелена ябълка на покрива";

async fn assistant(db: &Path) -> Arc<Assistant> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let store = Store::open(db, Durability::Normal).await.expect("the store opens");
    let flows = load_flows(&root.join("dialogs"), Settings::default()).expect("dialogs load");
    let locales = Locales::load(&root.join("locales")).expect("locales load");
    Arc::new(Assistant { flows, locales, store, cases: Default::default(), privacy: Default::default() })
}

/// Saves a screenshot when SOFIA_SCREENSHOTS names a folder.
async fn picture(browser: &Browser, name: &str) -> Result<(), Error> {
    let png = browser.screenshot().await?;
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    if let Some(dir) = std::env::var_os("SOFIA_SCREENSHOTS") {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        std::fs::create_dir_all(&dir).expect("the screenshots folder");
        std::fs::write(dir.join(name), png).expect("the screenshot is written");
    }
    Ok(())
}

/// Clicks a button that submits a form, and waits until the next page has loaded (the old
/// document, marked, is gone). The limit only guards against a hang.
async fn submit(browser: &Browser, css: &str) -> Result<(), Error> {
    browser.execute("window.__before_submit = true; return true", vec![]).await?;
    browser.find(Locator::Css(css)).await?.click().await?;
    for _ in 0..600 {
        let loaded = browser
            .execute("return window.__before_submit === undefined && document.readyState === 'complete'", vec![])
            .await?;
        if loaded == true {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the page after {css} did not load");
}

#[tokio::test]
async fn staff_sign_in_read_a_citizens_html_as_text_answer_and_close() -> Result<(), Error> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let a = assistant(&dir.path().join("console.db")).await;
    let now = chrono::Utc::now();
    for text in ["/human", PAYLOAD] {
        a.handle("telegram", "777", Input::from_text(text), Some(sofia_bot::lang::Lang::Bg), now).await.unwrap();
    }
    a.handle("telegram", "778", Input::from_text("искам да говоря с човек за паркирането"), None, now).await.unwrap();
    a.store.add_staff_user("maria", Role::Admin, &auth::hash(PASSWORD).unwrap(), 0).await.unwrap();
    let case = a.store.chat_cases("telegram", "777").await.unwrap().remove(0);
    let reference = a.cases.show(case.reference);
    // Plain http on 127.0.0.1: the cookie cannot be Secure here.
    let console = Arc::new(Console::new(a.clone(), WebSettings { secure_cookies: false, ..WebSettings::default() }));
    let base = serve(app(console)).await;

    let browser = Browser::start().await?;
    browser.goto(&format!("{base}/")).await?;
    assert!(browser.current_url().await?.as_str().ends_with("/login"), "no page without signing in");
    browser.find(Locator::Css("#name")).await?.send_keys("maria").await?;
    browser.find(Locator::Css("#password")).await?.send_keys(PASSWORD).await?;
    submit(&browser, "form.card button[type=submit]").await?;
    assert_eq!(browser.find(Locator::Css("h1")).await?.text().await?, "Опашка");
    let rows = browser.execute("return document.querySelectorAll('tbody tr').length", vec![]).await?;
    assert_eq!(rows, 2, "both open cases are in the queue");
    picture(&browser, "queue.png").await?;

    submit(&browser, &format!("a[href='/cases/{reference}']")).await?;
    let citizen = browser.find_all(Locator::Css(".conversation li.citizen .text")).await?;
    let said = citizen.last().expect("the citizen's messages").text().await?;
    assert_eq!(said, PAYLOAD, "the citizen's words as they wrote them, as text");
    let pwned = browser
        .execute(
            "return window.__pwned === undefined && document.querySelectorAll('main img[src=x]').length === 0",
            vec![],
        )
        .await?;
    assert_eq!(pwned, true, "nothing the citizen wrote ran");
    picture(&browser, "case.png").await?;

    browser.find(Locator::Css("#reply")).await?.send_keys("Здравейте! Ще проверим осветлението.").await?;
    submit(&browser, "form.card:nth-of-type(1) button[type=submit]").await?;
    assert!(browser.find(Locator::Css(".flash")).await?.text().await?.contains("Готово"));
    let history = browser.find(Locator::Css(".history")).await?.text().await?;
    assert!(history.contains("Ще проверим осветлението") && history.contains("maria"), "{history}");
    browser.find(Locator::Css("#close")).await?.send_keys("Подменихме лампата.").await?;
    submit(&browser, "form.card:nth-of-type(3) button[type=submit]").await?;
    assert!(browser.find(Locator::Css("h1 .status")).await?.text().await?.contains("приключено"));
    browser.close().await?;

    let case = a.store.case(case.reference).await.unwrap().unwrap();
    assert_eq!(case.status, Status::Resolved);
    a.store.flush().await.unwrap();
    let sent = a.store.outbox_rows("777").await.unwrap();
    assert!(sent.iter().any(|r| r.payload.contains("Ще проверим осветлението")), "the answer is on its way");
    assert!(sent.iter().any(|r| r.payload.contains(&format!("v:{}:5", case.id()))), "the rating question too");
    Ok(())
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused_even_with_a_valid_token() -> Result<(), Error> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let a = assistant(&dir.path().join("console.db")).await;
    let now = chrono::Utc::now();
    for text in ["/human", "Улицата е тъмна"] {
        a.handle("telegram", "777", Input::from_text(text), Some(sofia_bot::lang::Lang::Bg), now).await.unwrap();
    }
    a.store.add_staff_user("maria", Role::Admin, &auth::hash(PASSWORD).unwrap(), 0).await.unwrap();
    let case = a.store.chat_cases("telegram", "777").await.unwrap().remove(0);
    let reference = a.cases.show(case.reference);
    let console = Arc::new(Console::new(a.clone(), WebSettings { secure_cookies: false, ..WebSettings::default() }));
    let base = serve(app(console)).await;

    let browser = Browser::start().await?;
    browser.goto(&format!("{base}/login")).await?;
    browser.find(Locator::Css("#name")).await?.send_keys("maria").await?;
    browser.find(Locator::Css("#password")).await?.send_keys(PASSWORD).await?;
    submit(&browser, "form.card button[type=submit]").await?;
    let token = browser.execute("return document.querySelector('input[name=csrf]').value", vec![]).await?;
    let token = token.as_str().expect("the session's token").to_string();

    // Another site (another port of 127.0.0.1: the same site, another origin) holds a form
    // that closes the case, with the session's own token in it.
    let action = format!("{base}/cases/{reference}/act");
    let evil = axum::Router::new().route(
        "/",
        axum::routing::get(move || async move {
            axum::response::Html(format!(
                "<!doctype html><title>Elsewhere</title><form method=post action=\"{action}\">\
                 <input type=hidden name=csrf value=\"{token}\"><input type=hidden name=action value=close>\
                 <button type=submit>Win a prize</button></form>"
            ))
        }),
    );
    let elsewhere = serve(evil).await;
    browser.goto(&format!("{elsewhere}/")).await?;
    submit(&browser, "button[type=submit]").await?;
    let refused = browser.find(Locator::Css("main .error")).await?.text().await?;
    assert!(refused.contains("не идва от страниците на конзолата"), "{refused}");
    browser.close().await?;
    let case = a.store.case(case.reference).await.unwrap().unwrap();
    assert!(case.status.is_open(), "the case is still open: {:?}", case.status);
    Ok(())
}
