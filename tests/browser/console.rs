//! The staff console in real Chromium: sign in, find the case a citizen escalated, read the
//! citizen's HTML as text (nothing runs), answer, close. With `SOFIA_SCREENSHOTS=DIR` the
//! queue and the case page are saved there (the README's pictures: `docs/screenshots`).

use std::path::Path;
use std::sync::Arc;

use sofia_bot::channels::Assistant;
use sofia_bot::engine::{Input, Settings, load_flows};
use sofia_bot::i18n::Locales;
use sofia_bot::staff::cases::Status;
use sofia_bot::store::{Durability, Role, Store};
use sofia_bot::web::{Console, WebSettings, app, auth};

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
    let png = browser.screenshot_png().await?;
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
    browser.execute("window.__before_submit = true; return true").await?;
    browser.click(&browser.find(css).await?).await?;
    for _ in 0..600 {
        let loaded = browser
            .execute("return window.__before_submit === undefined && document.readyState === 'complete'")
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
    assert!(browser.current_url().await?.ends_with("/login"), "no page without signing in");
    browser.send_keys(&browser.find("#name").await?, "maria").await?;
    browser.send_keys(&browser.find("#password").await?, PASSWORD).await?;
    submit(&browser, "form.card button[type=submit]").await?;
    assert_eq!(browser.text(&browser.find("h1").await?).await?, "Опашка");
    let rows = browser.execute("return document.querySelectorAll('tbody tr').length").await?;
    assert_eq!(rows, 2, "both open cases are in the queue");
    picture(&browser, "queue.png").await?;

    submit(&browser, &format!("a[href='/cases/{reference}']")).await?;
    let citizen = browser.find_all(".conversation li.citizen .text").await?;
    let said = browser.text(citizen.last().expect("the citizen's messages")).await?;
    assert_eq!(said, PAYLOAD, "the citizen's words as they wrote them, as text");
    let pwned = browser
        .execute("return window.__pwned === undefined && document.querySelectorAll('main img[src=x]').length === 0")
        .await?;
    assert_eq!(pwned, true, "nothing the citizen wrote ran");
    picture(&browser, "case.png").await?;

    browser.send_keys(&browser.find("#reply").await?, "Здравейте! Ще проверим осветлението.").await?;
    submit(&browser, "form.card:nth-of-type(1) button[type=submit]").await?;
    assert!(browser.text(&browser.find(".flash").await?).await?.contains("Готово"));
    let history = browser.text(&browser.find(".history").await?).await?;
    assert!(history.contains("Ще проверим осветлението") && history.contains("maria"), "{history}");
    browser.send_keys(&browser.find("#close").await?, "Подменихме лампата.").await?;
    submit(&browser, "form.card:nth-of-type(3) button[type=submit]").await?;
    assert!(browser.text(&browser.find("h1 .status").await?).await?.contains("приключено"));
    browser.close().await?;

    let case = a.store.case(case.reference).await.unwrap().unwrap();
    assert_eq!(case.status, Status::Resolved);
    a.store.flush().await.unwrap();
    let sent = a.store.outbox_rows("777").await.unwrap();
    assert!(sent.iter().any(|r| r.payload.contains("Ще проверим осветлението")), "the answer is on its way");
    assert!(sent.iter().any(|r| r.payload.contains(&format!("v:{}:5", case.id()))), "the rating question too");
    Ok(())
}
