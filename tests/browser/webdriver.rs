//! Chromium for the browser tests: starts `chromedriver` on a free port, opens one headless
//! Chromium session through fantoccini (a maintained WebDriver client) and ends both. It owns
//! the driver process and knows nothing of the pages it drives; tests use fantoccini's
//! `Client` and `Element` directly (the `Browser` dereferences to the client).
//!
//! ```ignore
//! let browser = Browser::start().await?;
//! browser.goto(&format!("{base}/")).await?;
//! browser.find(Locator::Css("input[name=text]")).await?.send_keys("hello").await?;
//! browser.find(Locator::Css("button[type=submit]")).await?.click().await?;
//! assert_eq!(browser.find(Locator::Css("#echo")).await?.text().await?, "hello");
//! browser.close().await?;
//! ```

use std::fmt;
use std::fs::File;
use std::io::{Read, Seek};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// The browser the session drives: Debian's `chromium` package.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The driver, from Debian's `chromium-driver` package, found on the PATH.
pub const CHROMEDRIVER: &str = "chromedriver";

/// Only guards against a hang; nothing asserts how long anything takes.
const PATIENCE: Duration = Duration::from_secs(60);

/// How long finding elements waits for a match to appear, as after a form is submitted.
const IMPLICIT_WAIT_MS: u64 = 10_000;

const INSTALL_HINT: &str = "browser tests need Debian's `chromium` and `chromium-driver`: \
     apt-get install chromium chromium-driver";

/// What can go wrong between a test and the browser.
#[derive(thiserror::Error)]
pub enum Error {
    #[error("{program} not found; {INSTALL_HINT}")]
    Missing { program: &'static str },
    #[error("could not start chromedriver: {0}; {INSTALL_HINT}")]
    Spawn(std::io::Error),
    #[error("chromedriver exited before it was ready ({status}); its output:\n{output}")]
    DriverExited { status: ExitStatus, output: String },
    #[error("chromedriver was not ready after {waited:?}; its output:\n{output}")]
    NotReady { waited: Duration, output: String },
    #[error("could not open a Chromium session: {0}")]
    Session(#[from] fantoccini::error::NewSessionError),
    #[error("{0}")]
    Command(#[from] fantoccini::error::CmdError),
}

/// Failing tests print errors with `{:?}`; the message is what a reader needs there too.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A chromedriver process with one headless Chromium session. Dropping it kills both (a test
/// that failed half way); `close` ends the session first and reports whether that worked.
pub struct Browser {
    client: Option<Client>,
    process: Child,
}

impl std::ops::Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client.as_ref().expect("an open session")
    }
}

impl Browser {
    /// Starts chromedriver, waits until it is ready and opens a headless Chromium session.
    /// Fails, never skips, when Chromium or chromedriver is not installed.
    pub async fn start() -> Result<Browser, Error> {
        if !Path::new(CHROMIUM).exists() {
            return Err(Error::Missing { program: CHROMIUM });
        }
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(Error::Spawn)?.port();
        let mut log = tempfile::tempfile().map_err(Error::Spawn)?;
        let output = || log.try_clone().map(Stdio::from);
        let process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            // A group of its own, which Chromium joins, so that `Drop` can end them all.
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(output().map_err(Error::Spawn)?)
            .stderr(output().map_err(Error::Spawn)?)
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::Missing { program: CHROMEDRIVER },
                _ => Error::Spawn(e),
            })?;
        let mut browser = Browser { client: None, process };
        let driver = format!("http://127.0.0.1:{port}");
        browser.wait_until_ready(port, &mut log)?;
        let capabilities = json!({
            "browserName": "chrome",
            "timeouts": { "implicit": IMPLICIT_WAIT_MS },
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"],
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("an object") };
        // Plain http: the driver listens on 127.0.0.1 only.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector).capabilities(capabilities).connect(&driver).await?;
        browser.client = Some(client);
        Ok(browser)
    }

    /// Ends the session (closing Chromium) and then chromedriver.
    pub async fn close(mut self) -> Result<(), Error> {
        match self.client.take() {
            Some(client) => Ok(client.close().await?),
            None => Ok(()),
        }
    }

    /// Waits until the driver accepts connections (it answers `/status` once it does).
    fn wait_until_ready(&mut self, port: u16, log: &mut File) -> Result<(), Error> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.process.try_wait() {
                return Err(Error::DriverExited { status, output: read_log(log) });
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(());
            }
            if started.elapsed() > PATIENCE {
                return Err(Error::NotReady { waited: PATIENCE, output: read_log(log) });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    /// Kills chromedriver and the Chromium it started: killing chromedriver alone would leave
    /// a Chromium whose session was never ended running; the group holds both, and only them.
    fn drop(&mut self) {
        let group = format!("-{}", self.process.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn read_log(log: &mut File) -> String {
    let mut output = String::new();
    let _ = log.rewind().and_then(|()| log.read_to_string(&mut output));
    output
}
