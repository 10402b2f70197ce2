//! The staff console: a web page where municipal staff review cases, answer and close them.
//! Server-rendered HTML (auto-escaping templates), working without JavaScript, served by the
//! same binary. Every page needs a signed-in account; every change is a POST with a CSRF
//! token; answers and closes go through the same case desk as the Telegram staff group, so
//! both ways of working stay in sync.
//!
//! Modules: `auth` (passwords, sessions, limits), `pages` (the handlers).

pub mod auth;
mod pages;
pub mod users;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use minijinja::Environment;
use tokio::sync::watch;

use self::auth::Limiter;
use crate::channels::Assistant;
use crate::engine::Msg;
use crate::lang::Lang;

/// How the console runs.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Cookies only over HTTPS (`__Host-` prefixed). Off only for a console on a local http
    /// address.
    pub secure_cookies: bool,
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after login, used or not.
    pub absolute: Duration,
    /// Failed logins allowed per address and per account in `window`.
    pub per_address: usize,
    pub per_account: usize,
    pub window: Duration,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            secure_cookies: true,
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 3600),
            per_address: 20,
            per_account: 5,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// The console's shared state.
pub struct Console {
    pub assistant: Arc<Assistant>,
    pub settings: WebSettings,
    templates: Environment<'static>,
    limiter: Limiter,
    /// The bot, to fetch citizens' photos from Telegram and serve them from this origin.
    bot: Option<teloxide::Bot>,
}

impl Console {
    pub fn new(assistant: Arc<Assistant>, settings: WebSettings) -> Console {
        let mut templates = Environment::new();
        templates.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        for (name, source) in [
            ("layout.html", include_str!("web/templates/layout.html")),
            ("login.html", include_str!("web/templates/login.html")),
            ("queue.html", include_str!("web/templates/queue.html")),
            ("case.html", include_str!("web/templates/case.html")),
            ("dashboard.html", include_str!("web/templates/dashboard.html")),
            ("audit.html", include_str!("web/templates/audit.html")),
            ("canned.html", include_str!("web/templates/canned.html")),
        ] {
            templates.add_template(name, source).expect("the console's templates parse");
        }
        let limiter = Limiter::new(settings.window, settings.per_address, settings.per_account);
        Console { assistant, settings, templates, limiter, bot: None }
    }

    /// A console that shows citizens' photos, fetched through the bot.
    pub fn with_bot(mut self, bot: teloxide::Bot) -> Console {
        self.bot = Some(bot);
        self
    }

    /// The session cookie's name: `__Host-` prefixed (HTTPS, this host, path /) unless the
    /// console runs on plain http for local use.
    fn cookie(&self) -> &'static str {
        if self.settings.secure_cookies { "__Host-sofia-staff" } else { "sofia-staff" }
    }

    fn text(&self, lang: Lang, id: &str) -> String {
        self.assistant.locales.render(lang, &Msg::new(id))
    }

    /// Renders a template in a language; `t("id")` in it is that language's Fluent text.
    fn render(&self, name: &str, lang: Lang, ctx: minijinja::Value) -> Response {
        let locales = self.assistant.clone();
        let t = minijinja::Value::from_function(move |id: String| locales.locales.render(lang, &Msg::new(&id)));
        let other = match lang {
            Lang::Bg => Lang::En,
            Lang::En => Lang::Bg,
        };
        let base = minijinja::context! { t => t, lang => lang.code(), other_lang => other.code() };
        let ctx = minijinja::context! { ..ctx, ..base };
        match self.templates.get_template(name).and_then(|tpl| tpl.render(ctx)) {
            Ok(html) => axum::response::Html(html).into_response(),
            Err(e) => {
                tracing::error!(template = name, error = %e, "a console page could not be rendered");
                (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "the page could not be rendered").into_response()
            }
        }
    }
}

/// The console's routes, with the security headers on every answer.
pub fn app(console: Arc<Console>) -> Router {
    Router::new()
        .route("/login", get(pages::login_page).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/", get(pages::queue))
        .route("/cases/{reference}", get(pages::case_page))
        .route("/cases/{reference}/act", post(pages::act))
        .route("/cases/{reference}/photo/{n}", get(pages::photo))
        .route("/dashboard", get(pages::dashboard))
        .route("/audit", get(pages::audit))
        .route("/canned", get(pages::canned).post(pages::add_canned))
        .route("/canned/{id}/delete", post(pages::delete_canned))
        .route("/static/console.css", get(css))
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(console)
}

async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("web/templates/console.css"))
}

/// A strict content security policy (no script, no frames, nothing from elsewhere), no
/// sniffing, no referrer, no caching of pages that hold citizens' words.
async fn secure_headers(mut response: Response) -> Response {
    let h: &mut HeaderMap = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Serves the console on `listen` until `stop` turns true.
pub async fn serve(console: Arc<Console>, listen: SocketAddr, mut stop: watch::Receiver<bool>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(%listen, "staff console listening");
    axum::serve(listener, app(console).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await
}
