//! Browser tests: real headless Chromium, driven over W3C WebDriver by chromedriver (through
//! fantoccini), against servers started on 127.0.0.1:0. They never skip: without Debian's `chromium` and
//! `chromium-driver` installed, they fail and say so.

mod console;
mod smoke;
mod webdriver;

/// Serves `app` on a free port of 127.0.0.1 until the test ends, and returns its base
/// address (`http://127.0.0.1:PORT`, no trailing slash).
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port on 127.0.0.1");
    let address = listener.local_addr().expect("the listener's address");
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the test server runs") });
    format!("http://{address}")
}
