//! Headless Chromium through chromedriver, driven with fantoccini (the
//! WebDriver client) behind a blocking API: each call runs on the
//! wrapper's own single-threaded tokio runtime.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

const INSTALL: &str =
    "apt-get update && apt-get install -y chromium chromium-driver fonts-noto-cjk";

/// How long an async script may run (a search over the whole manual).
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// A chromedriver process with one headless Chromium session (empty profile,
/// window 1280×900). Ends both when dropped.
///
/// Chromium is `ARCHMANUAL_CHROMIUM` or the first of `chromium`,
/// `chromium-browser`, `google-chrome` on `PATH`; chromedriver is
/// `ARCHMANUAL_CHROMEDRIVER` or `chromedriver` on `PATH`. Every method
/// panics with the WebDriver error when the browser refuses (test tooling:
/// the test fails there).
#[derive(Debug)]
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and Chromium.
    ///
    /// # Panics
    ///
    /// When either is missing (the message gives the install command): a
    /// browser test fails, it never skips.
    pub fn start() -> Self {
        let chromium = which(
            &["chromium", "chromium-browser", "google-chrome"],
            "ARCHMANUAL_CHROMIUM",
        )
        .unwrap_or_else(|| {
            panic!("no Chromium found (or set ARCHMANUAL_CHROMIUM); install it: {INSTALL}")
        });
        let driver_bin = which(&["chromedriver"], "ARCHMANUAL_CHROMEDRIVER").unwrap_or_else(|| {
            panic!("no chromedriver found (or set ARCHMANUAL_CHROMEDRIVER); install it: {INSTALL}")
        });
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run {}: {e}; install it: {INSTALL}",
                    driver_bin.display()
                )
            });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("browser runtime");
        let profile = tempfile::tempdir().expect("profile dir");
        // Dropped on a panic below: chromedriver is killed then too.
        let mut browser = Self {
            runtime,
            client: None,
            driver,
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = capabilities(&chromium, browser._profile.path());
        let client = browser
            .runtime
            .block_on(
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(capabilities)
                    .connect(&format!("http://127.0.0.1:{port}")),
            )
            .unwrap_or_else(|e| panic!("cannot start Chromium {}: {e}", chromium.display()));
        browser.client = Some(client);
        browser
    }

    /// Opens `url` and waits for its load event.
    pub fn goto(&self, url: &str) {
        self.run(&format!("goto {url}"), |c| async move { c.goto(url).await });
    }

    /// The current page's URL.
    pub fn url(&self) -> String {
        self.run("url", |c| async move { c.current_url().await })
            .to_string()
    }

    /// Runs `body` (a function body; `arguments` are the items of the JSON
    /// array `args`) in the page and returns what it returns.
    pub fn js(&self, body: &str, args: Value) -> Value {
        let args = arguments(args);
        self.run("script", |c| async move { c.execute(body, args).await })
    }

    /// Runs `body` as the body of an async function (`arguments` as for
    /// [`js`](Self::js)) and returns its resolved value.
    ///
    /// # Panics
    ///
    /// Also when the promise rejects (with the script's error and stack).
    pub fn js_async(&self, body: &str, args: Value) -> Value {
        let script = format!(
            "const done = arguments[arguments.length - 1];\
             (async (...arguments) => {{ {body} }})(...Array.from(arguments).slice(0, -1))\
             .then(done, e => done({{__error: String(e && e.stack || e)}}));"
        );
        let args = arguments(args);
        let value = self.run("async script", |c| async move {
            c.execute_async(&script, args).await
        });
        if let Some(e) = value.get("__error") {
            panic!("script failed: {e}");
        }
        value
    }

    /// Waits (20 s at most) until `cond`, a JS expression, is truthy and
    /// returns its value; `what` names it in the timeout's message.
    pub fn wait_for(&self, cond: &str, what: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = self.js(&format!("return ({cond}) || null;"), json!([]));
            if !v.is_null() {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} ({cond})"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Real key strokes into the element matching `css` (WebDriver key codes
    /// such as `\u{E015}` for ArrowDown are allowed).
    pub fn send_keys(&self, css: &str, text: &str) {
        self.run(&format!("keys into {css}"), |c| async move {
            c.find(Locator::Css(css)).await?.send_keys(text).await
        });
    }

    /// Key strokes (down, up per character) to whatever has the focus.
    pub fn press(&self, keys: &str) {
        let actions = keys.chars().fold(KeyActions::new("kbd".into()), |a, c| {
            a.then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c })
        });
        self.run("key actions", |c| async move {
            c.perform_actions(actions).await?;
            c.release_actions().await
        });
    }

    /// Resizes the window.
    pub fn set_window(&self, width: u32, height: u32) {
        self.run("window size", |c| async move {
            c.set_window_size(width, height).await
        });
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        self.run("screenshot", |c| async move { c.screenshot().await })
    }

    /// Runs one WebDriver exchange to its end; panics with `what` and the
    /// error when it fails.
    #[track_caller]
    fn run<'a, T, F>(&'a self, what: &str, command: impl FnOnce(&'a Client) -> F) -> T
    where
        F: Future<Output = Result<T, fantoccini::error::CmdError>>,
    {
        let client = self.client.as_ref().expect("a started session");
        self.runtime
            .block_on(command(client))
            .unwrap_or_else(|e| panic!("WebDriver {what}: {e}"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Chromium headless with an empty profile, nothing fetched in the
/// background, and room for long scripts.
fn capabilities(
    chromium: &std::path::Path,
    profile: &std::path::Path,
) -> fantoccini::wd::Capabilities {
    let args: Vec<String> = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect();
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": chromium, "args": args},
        "unhandledPromptBehavior": "ignore",
        "timeouts": {"script": SCRIPT_TIMEOUT.as_millis() as u64},
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// The items of a JSON array (anything else is one argument).
fn arguments(args: Value) -> Vec<Value> {
    match args {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn which(names: &[&str], env: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}
