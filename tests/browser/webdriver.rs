//! A minimal W3C WebDriver client: starts `chromedriver` on a free port, opens one headless
//! Chromium session and speaks JSON over HTTP to it. It owns the driver process and the
//! session, and ends both; it knows nothing of the pages it drives and asserts nothing.
//!
//! ```ignore
//! let browser = Browser::start().await?;
//! browser.goto(&format!("{base}/")).await?;
//! let field = browser.find("input[name=text]").await?;
//! browser.send_keys(&field, "hello").await?;
//! browser.click(&browser.find("button[type=submit]").await?).await?;
//! assert_eq!(browser.text(&browser.find("#echo").await?).await?, "hello");
//! browser.close().await?;
//! ```

use std::fmt;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The browser the session drives: Debian's `chromium` package.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The driver, from Debian's `chromium-driver` package, found on the PATH.
pub const CHROMEDRIVER: &str = "chromedriver";

/// Only guards against a hang; nothing asserts how long anything takes.
const PATIENCE: Duration = Duration::from_secs(60);

/// How long `find` and `find_all` wait for a match to appear, as after a form is submitted.
const IMPLICIT_WAIT_MS: u64 = 10_000;

/// The key under which W3C WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

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
    #[error("{command}: could not reach chromedriver: {source}")]
    Http { command: String, source: reqwest::Error },
    #[error("{command}: {error}: {message}")]
    WebDriver { command: String, error: String, message: String },
    #[error("{command}: unexpected reply from chromedriver: {reply}")]
    Protocol { command: String, reply: String },
}

/// Failing tests print errors with `{:?}`; the message is what a reader needs there too.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A reference to an element on the current page, as the driver names it. It goes stale
/// when the page it was found on is left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element(String);

/// A chromedriver process with one headless Chromium session. Dropping it ends the session
/// and the process; `close` does the same and reports whether ending the session worked.
pub struct Browser {
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT`, where the driver listens.
    driver: String,
    /// `http://127.0.0.1:PORT/session/ID`, the prefix of every command.
    session: String,
    process: Child,
    open: bool,
}

impl Browser {
    /// Starts chromedriver, waits until it is ready and opens a headless Chromium session.
    /// Fails, never skips, when Chromium or chromedriver is not installed.
    pub async fn start() -> Result<Browser, Error> {
        if !Path::new(CHROMIUM).exists() {
            return Err(Error::Missing { program: CHROMIUM });
        }
        let port = free_port().map_err(Error::Spawn)?;
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
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(PATIENCE)
            .build()
            .map_err(|source| Error::Http { command: "build an HTTP client".to_string(), source })?;
        // The session stays closed until it exists, so that a failure below only kills the driver.
        let mut browser =
            Browser { http, driver: format!("http://127.0.0.1:{port}"), session: String::new(), process, open: false };
        browser.wait_until_ready(&mut log).await?;
        browser.open_session().await?;
        Ok(browser)
    }

    /// Ends the session (closing Chromium) and then chromedriver.
    pub async fn close(mut self) -> Result<(), Error> {
        self.open = false;
        self.command("close the session", reqwest::Method::DELETE, "", None).await.map(drop)
    }

    /// Loads `url` and waits until the page has loaded.
    pub async fn goto(&self, url: &str) -> Result<(), Error> {
        self.post(&format!("go to {url}"), "/url", json!({ "url": url })).await.map(drop)
    }

    /// The address of the page now shown.
    pub async fn current_url(&self) -> Result<String, Error> {
        let name = "current url";
        string(self.get(name, "/url").await?, name)
    }

    /// The first element matching the CSS selector, waiting a while for one to appear.
    pub async fn find(&self, css: &str) -> Result<Element, Error> {
        let name = format!("find {css:?}");
        let found = self.post(&name, "/element", json!({ "using": "css selector", "value": css })).await?;
        element(&found, &name)
    }

    /// Every element matching the CSS selector. When there is none, this waits out the
    /// implicit wait before answering with an empty list.
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>, Error> {
        let name = format!("find all {css:?}");
        match self.post(&name, "/elements", json!({ "using": "css selector", "value": css })).await? {
            Value::Array(items) => items.iter().map(|item| element(item, &name)).collect(),
            other => Err(Error::Protocol { command: name, reply: other.to_string() }),
        }
    }

    /// Clicks the element, as a person would (it must be visible and not covered).
    pub async fn click(&self, el: &Element) -> Result<(), Error> {
        self.post("click", &format!("/element/{}/click", el.0), json!({})).await.map(drop)
    }

    /// Types `text` into the element, after what it already holds.
    pub async fn send_keys(&self, el: &Element, text: &str) -> Result<(), Error> {
        self.post("send keys", &format!("/element/{}/value", el.0), json!({ "text": text })).await.map(drop)
    }

    /// The element's rendered text, as a person reads it.
    pub async fn text(&self, el: &Element) -> Result<String, Error> {
        let name = "element text";
        string(self.get(name, &format!("/element/{}/text", el.0)).await?, name)
    }

    /// The element's attribute (or property of the same name), `None` when it has none.
    pub async fn attribute(&self, el: &Element, name: &str) -> Result<Option<String>, Error> {
        let command = format!("attribute {name:?}");
        match self.get(&command, &format!("/element/{}/attribute/{name}", el.0)).await? {
            Value::Null => Ok(None),
            Value::String(value) => Ok(Some(value)),
            other => Err(Error::Protocol { command, reply: other.to_string() }),
        }
    }

    /// The page's markup as the browser now holds it (after scripts, not as served).
    pub async fn page_source(&self) -> Result<String, Error> {
        let name = "page source";
        string(self.get(name, "/source").await?, name)
    }

    /// Runs `script` as the body of a function in the page and returns what it returns.
    pub async fn execute(&self, script: &str) -> Result<Value, Error> {
        self.post("execute script", "/execute/sync", json!({ "script": script, "args": [] })).await
    }

    /// A PNG picture of the visible part of the page.
    pub async fn screenshot_png(&self) -> Result<Vec<u8>, Error> {
        let encoded = string(self.get("screenshot", "/screenshot").await?, "screenshot")?;
        decode_base64(&encoded)
            .ok_or_else(|| Error::Protocol { command: "screenshot".to_string(), reply: "invalid base64".to_string() })
    }

    async fn wait_until_ready(&mut self, log: &mut File) -> Result<(), Error> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.process.try_wait() {
                return Err(Error::DriverExited { status, output: read_log(log) });
            }
            let reply = self.http.get(format!("{}/status", self.driver)).send().await;
            if let Ok(reply) = reply
                && let Ok(body) = reply.json::<Value>().await
                && body["value"]["ready"] == json!(true)
            {
                return Ok(());
            }
            if started.elapsed() > PATIENCE {
                return Err(Error::NotReady { waited: PATIENCE, output: read_log(log) });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn open_session(&mut self) -> Result<(), Error> {
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "timeouts": { "implicit": IMPLICIT_WAIT_MS },
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"],
            },
        }}});
        let url = format!("{}/session", self.driver);
        let reply = send(self.http.post(url).json(&capabilities), "new session").await?;
        let Some(id) = reply["value"]["sessionId"].as_str() else {
            return Err(Error::Protocol { command: "new session".to_string(), reply: reply.to_string() });
        };
        self.session = format!("{}/session/{id}", self.driver);
        self.open = true;
        Ok(())
    }

    async fn get(&self, name: &str, path: &str) -> Result<Value, Error> {
        self.command(name, reqwest::Method::GET, path, None).await
    }

    async fn post(&self, name: &str, path: &str, body: Value) -> Result<Value, Error> {
        self.command(name, reqwest::Method::POST, path, Some(body)).await
    }

    /// Sends one command of this session and returns its `value`; `name` says in errors
    /// what the test was doing.
    async fn command(
        &self,
        name: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Error> {
        let mut request = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let mut reply = send(request, name).await?;
        Ok(reply["value"].take())
    }
}

impl Drop for Browser {
    /// Ends the session if `close` was not called (a test that failed half way), so that no
    /// Chromium outlives its test, then kills the driver.
    fn drop(&mut self) {
        if self.open {
            delete_blocking(&self.session);
        }
        // Killing chromedriver alone would leave a Chromium whose session was never ended
        // (say, after a protocol error) running; the group holds both, and only them.
        let group = format!("-{}", self.process.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Sends a request and reads the W3C reply: the whole body on success, an error otherwise.
async fn send(request: reqwest::RequestBuilder, command: &str) -> Result<Value, Error> {
    let http = |source| Error::Http { command: command.to_string(), source };
    let reply = request.send().await.map_err(http)?;
    let ok = reply.status().is_success();
    let text = reply.text().await.map_err(http)?;
    let Ok(body) = serde_json::from_str::<Value>(&text) else {
        return Err(Error::Protocol { command: command.to_string(), reply: text });
    };
    if ok {
        return Ok(body);
    }
    match (body["value"]["error"].as_str(), body["value"]["message"].as_str()) {
        (Some(error), Some(message)) => {
            // Chromium repeats the error code first and appends a long stack trace after the
            // first line; what is left says it.
            let message = message.lines().next().unwrap_or_default();
            let message = message.strip_prefix(error).and_then(|m| m.strip_prefix(": ")).unwrap_or(message);
            Err(Error::WebDriver {
                command: command.to_string(),
                error: error.to_string(),
                message: message.to_string(),
            })
        }
        _ => Err(Error::Protocol { command: command.to_string(), reply: text }),
    }
}

fn string(value: Value, what: &str) -> Result<String, Error> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(Error::Protocol { command: what.to_string(), reply: other.to_string() }),
    }
}

fn element(value: &Value, command: &str) -> Result<Element, Error> {
    match value[ELEMENT_KEY].as_str() {
        Some(id) => Ok(Element(id.to_string())),
        None => Err(Error::Protocol { command: command.to_string(), reply: value.to_string() }),
    }
}

/// A port that was free a moment ago; chromedriver takes it right after.
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn read_log(log: &mut File) -> String {
    let mut output = String::new();
    let _ = log.rewind().and_then(|()| log.read_to_string(&mut output));
    output
}

/// `DELETE` of the session over a plain socket: `Drop` cannot await, and this is best effort.
fn delete_blocking(session: &str) {
    let Some(rest) = session.strip_prefix("http://") else { return };
    let Some((host, path)) = rest.split_once('/') else { return };
    let Ok(mut stream) = TcpStream::connect(host) else { return };
    let _ = stream.set_read_timeout(Some(PATIENCE));
    let request = format!("DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_ok() {
        // The driver answers once Chromium has quit, and may keep the connection open after
        // that, so the first bytes of the answer are the moment to stop waiting.
        let _ = stream.read(&mut [0; 256]);
    }
}

/// Decodes standard base64 (with padding, line breaks ignored), as screenshots come.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    let (mut bits, mut count) = (0u32, 0u32);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let six = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = bits << 6 | u32::from(six);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("aGVsbG8h").as_deref(), Some(&b"hello!"[..]));
        assert_eq!(decode_base64("aGVs\nbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("iVBORw0KGgo=").as_deref(), Some(&b"\x89PNG\r\n\x1a\n"[..]));
        assert_eq!(decode_base64("a*b"), None);
    }
}
