//! Proves the harness: a tiny form that echoes what was typed, escaped, driven through a real
//! browser. Markup typed into the form must come back as text and run nothing.

use axum::Router;
use axum::extract::Form;
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

use fantoccini::Locator;

use crate::serve;
use crate::webdriver::{Browser, Error};

#[derive(Deserialize)]
struct Typed {
    text: String,
}

fn app() -> Router {
    Router::new().route(
        "/",
        get(|| async { page(None) }).post(|Form(typed): Form<Typed>| async move { page(Some(&typed.text)) }),
    )
}

fn page(echo: Option<&str>) -> Html<String> {
    let echo = echo.map(|text| format!("<p id=\"echo\">{}</p>", escape(text))).unwrap_or_default();
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Echo</title></head><body>\
         <h1>Echo</h1>{echo}\
         <form method=\"post\" action=\"/\">\
         <label>Text <input type=\"text\" name=\"text\" autocomplete=\"off\"></label>\
         <button type=\"submit\">Send</button></form></body></html>"
    ))
}

/// Escapes text for HTML content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Types `text` into the form on a fresh page, submits it and returns the echoed text.
async fn submit(browser: &Browser, base: &str, text: &str) -> Result<String, Error> {
    browser.goto(&format!("{base}/")).await?;
    let field = browser.find(Locator::Css("input[name=text]")).await?;
    field.send_keys(text).await?;
    browser.find(Locator::Css("button[type=submit]")).await?.click().await?;
    Ok(browser.find(Locator::Css("#echo")).await?.text().await?)
}

#[tokio::test]
async fn typed_markup_comes_back_as_text_and_runs_nothing() -> Result<(), Error> {
    let base = serve(app()).await;
    let browser = Browser::start().await?;

    let script = "<script>alert(1)</script>";
    // An alert that opened would also fail every later command with "unexpected alert open".
    assert_eq!(submit(&browser, &base, script).await?, script);
    assert!(browser.source().await?.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(browser.current_url().await?.as_str(), format!("{base}/"));

    let image = r#"<img src=x onerror="window.__pwned=1">"#;
    assert_eq!(submit(&browser, &base, image).await?, image);
    // A query in the page, since `find_all` waits a while for a match that should never come.
    assert_eq!(browser.execute("return document.images.length", vec![]).await?, 0, "the payload became an element");
    assert_eq!(browser.execute("return window.__pwned === undefined", vec![]).await?, true);

    browser.close().await
}

#[tokio::test]
async fn the_page_is_seen_as_a_person_sees_it() -> Result<(), Error> {
    let base = serve(app()).await;
    let browser = Browser::start().await?;
    browser.goto(&format!("{base}/")).await?;

    let field = browser.find(Locator::Css("input[name=text]")).await?;
    assert_eq!(field.attr("type").await?.as_deref(), Some("text"));
    assert_eq!(field.attr("data-missing").await?, None);
    assert_eq!(browser.find_all(Locator::Css("form input, form button")).await?.len(), 2);
    assert_eq!(browser.execute("return document.title", vec![]).await?, "Echo");

    let png = browser.screenshot().await?;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a screenshot is a PNG, got {:?}", &png[..png.len().min(8)]);
    if let Some(path) = std::env::var_os("BROWSER_SCREENSHOT") {
        std::fs::write(path, &png).expect("the screenshot is written");
    }

    browser.close().await
}
