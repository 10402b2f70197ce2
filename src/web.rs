//! The staff console: a web page where municipal staff review cases, answer and close them.
//! Server-rendered HTML (auto-escaping templates), working without JavaScript, served by the
//! same binary. Every page needs a signed-in account; every change is a same-origin POST with
//! a CSRF token; answers and closes go through the same case desk as the Telegram staff
//! group, so both ways of working stay in sync. No SQL here: it lives in `store::console`.
//!
//! Modules: `auth` (passwords, session ids), `keys` (tokens under the console's secret),
//! `limiter` (login limits in fixed memory), `client` (the client's address behind a trusted
//! proxy), `extract` (the signed-in staff member, roles, CSRF-checked forms, language),
//! `form` (strict forms and field limits), `error` (the one error type), `security` (headers,
//! same-origin, header limit), `pages` (the handlers, one file per resource), `users` (the
//! `staff-user` command).

pub mod auth;
mod client;
mod error;
mod extract;
mod form;
pub(crate) mod keys;
pub mod limiter;
mod pages;
mod security;
pub(crate) mod users;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use minijinja::Environment;
use tokio::sync::{Semaphore, watch};

pub use self::error::WebError;
use self::keys::Keys;
use self::limiter::Limiter;
use crate::assistant::Assistant;
use crate::secret::Secret;

/// How the console runs.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// HTTPS only: `__Host-` cookies with `Secure`, and HSTS. Off only for a console on a
    /// local http address.
    pub secure_cookies: bool,
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after login, used or not.
    pub absolute: Duration,
    /// Failed logins allowed per address, and per account, from browsers that have not
    /// signed in to it before; each refills over `window`.
    pub per_address: usize,
    pub per_account: usize,
    pub window: Duration,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` name the client (`SOFIA_TRUSTED_PROXY`).
    pub trusted_proxies: Vec<IpAddr>,
    /// The cost of the decoy hash (the same as the accounts' hashes; lower only in tests).
    pub hash_cost: auth::Cost,
    /// The secret tokens are derived from (see `Store::console_secret`); without it a random
    /// one, good for as long as the process runs.
    pub secret: Option<Secret>,
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
            trusted_proxies: Vec::new(),
            hash_cost: auth::Cost::OWASP,
            secret: None,
        }
    }
}

impl WebSettings {
    /// These settings with the console's secret stored in the database (made at the first
    /// start), so that a restart, or a second console on the same database, keeps forms and
    /// device cookies valid.
    pub async fn with_stored_secret(mut self, store: &crate::store::Store) -> Result<Self, crate::store::StoreError> {
        let mut fresh = [0u8; 32];
        getrandom::getrandom(&mut fresh).expect("the OS's randomness");
        let secret = store.console_secret(&auth::hex(&fresh), chrono::Utc::now().timestamp_millis()).await?;
        self.secret = Some(Secret::new(secret));
        Ok(self)
    }
}

/// The names of the console's cookies: `__Host-` prefixed (HTTPS, this host, path /) unless
/// the console runs on plain http for local use.
#[derive(Debug, Clone, Copy)]
pub struct CookieNames {
    pub session: &'static str,
    pub login: &'static str,
    pub device: &'static str,
}

impl CookieNames {
    fn new(secure: bool) -> CookieNames {
        if secure {
            CookieNames { session: "__Host-sofia-staff", login: "__Host-sofia-login", device: "__Host-sofia-device" }
        } else {
            CookieNames { session: "sofia-staff", login: "sofia-login", device: "sofia-device" }
        }
    }
}

/// The console's shared state.
pub struct Console {
    pub assistant: Arc<Assistant>,
    pub settings: WebSettings,
    pub cookies: CookieNames,
    templates: Environment<'static>,
    limiter: Limiter,
    keys: Keys,
    decoy: auth::Decoy,
    /// Password hashes at once: each takes about 20 MiB.
    hashing: Semaphore,
    /// Passwords checked since the start (failed and not), to show what the limits spare.
    hashed: AtomicU64,
    /// The bot, to fetch citizens' photos from Telegram and serve them from this origin.
    bot: Option<teloxide::Bot>,
}

impl Console {
    /// A console; it hashes its decoy password now, so that the first failed login takes as
    /// long as the others.
    pub fn new(assistant: Arc<Assistant>, settings: WebSettings) -> Console {
        let mut templates = Environment::new();
        templates.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        for (name, source) in [
            ("layout.html", include_str!("web/templates/layout.html")),
            ("error.html", include_str!("web/templates/error.html")),
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
        let keys = settings.secret.as_ref().map_or_else(Keys::random, |s| Keys::new(s.expose().as_bytes()));
        let decoy = auth::Decoy::new(settings.hash_cost);
        Console {
            assistant,
            cookies: CookieNames::new(settings.secure_cookies),
            settings,
            templates,
            limiter,
            keys,
            decoy,
            hashing: Semaphore::new(2),
            hashed: AtomicU64::new(0),
            bot: None,
        }
    }

    /// A console that shows citizens' photos, fetched through the bot.
    pub fn with_bot(mut self, bot: teloxide::Bot) -> Console {
        self.bot = Some(bot);
        self
    }

    /// The login limiter, to measure it.
    pub fn limiter(&self) -> &Limiter {
        &self.limiter
    }

    /// How many passwords were hashed to check a login since the console started.
    pub fn passwords_checked(&self) -> u64 {
        self.hashed.load(Ordering::Relaxed)
    }
}

/// The console's routes, behind its layers (outermost first): security headers, pages in the
/// staff member's language (errors included), the header limit, the same-origin check for
/// changes, the body limit.
pub fn app(console: Arc<Console>) -> Router {
    use self::pages::{audit, canned, case, dashboard, login, photo, queue};
    let c = console.clone();
    Router::new()
        .route("/login", get(login::page).post(login::login))
        .route("/logout", post(login::logout))
        .route("/", get(queue::queue))
        .route("/cases/{reference}", get(case::page))
        .route("/cases/{reference}/act", post(case::act))
        .route("/cases/{reference}/photo/{n}", get(photo::photo))
        .route("/dashboard", get(dashboard::dashboard))
        .route("/audit", get(audit::audit))
        .route("/canned", get(canned::page).post(canned::add))
        .route("/canned/{id}/delete", post(canned::delete))
        .route("/static/console.css", get(css))
        .fallback(|| async { WebError::NoPage(StatusCode::NOT_FOUND) })
        .method_not_allowed_fallback(|| async { WebError::NoPage(StatusCode::METHOD_NOT_ALLOWED) })
        .layer(DefaultBodyLimit::max(form::MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(c.clone(), security::same_origin))
        .layer(axum::middleware::from_fn(security::header_limit))
        .layer(axum::middleware::from_fn_with_state(c.clone(), pages::in_language))
        .layer(axum::middleware::from_fn_with_state(c, security::secure_headers))
        .with_state(console)
}

async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("web/templates/console.css"))
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
