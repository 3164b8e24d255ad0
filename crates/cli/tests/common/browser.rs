//! A real headless Chromium, driven over WebDriver by its own chromedriver
//! on a free port, with a fresh profile: Debian's `chromium` and
//! `chromium-driver` (`.ci/run` installs them).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

/// The keys Tab and Enter, as WebDriver spells them.
pub const TAB: &str = "\u{e004}";
pub const ENTER: &str = "\u{e007}";

pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
}

fn driver_path() -> String {
    let path =
        std::env::var("CLIENTELE_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    assert!(
        std::path::Path::new(&path).exists(),
        "the browser tests need Chromium and its driver: `apt-get install chromium \
         chromium-driver` (.ci/run does it), or CLIENTELE_CHROMEDRIVER=<path>"
    );
    path
}

impl Browser {
    /// A browser with a window of `width` × 900 pixels.
    pub async fn start(width: u32) -> Browser {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let driver = Command::new(driver_path())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile =
            std::env::temp_dir().join(format!("clientele-browser-{}-{port}", std::process::id()));
        let binary =
            std::env::var("CLIENTELE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": binary,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.display()),
                    format!("--window-size={width},900"),
                ],
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = String::new();
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        driver,
                        profile,
                    };
                }
                Err(error) => last_error = error.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not answer on {url}: {last_error}");
    }

    pub async fn go(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no «{css}» on the page: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// How many elements `css` finds.
    pub async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.unwrap().len()
    }

    /// Waits (up to 5 s) until `css` holds `needle`: for parts of a page
    /// that change without a new page.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let mut last = String::new();
        for _ in 0..100 {
            if let Ok(found) = self.client.find(Locator::Css(css)).await {
                last = found.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("«{css}» never held «{needle}»; last: {last}");
    }

    /// Signs in on the sign-in page the browser is on, as `login` with the
    /// test password.
    pub async fn sign_in(&self, login: &str) {
        self.fill("#login", login).await;
        self.fill("#password", "correct horse battery").await;
        self.click_through("button[type=submit]").await;
    }

    /// Types into whatever has the focus, as a keyboard does: `\u{e004}` is
    /// Tab, `\u{e007}` Enter.
    pub async fn press(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// Whether the focus is on what matches `css`, given a page that has
    /// just loaded a moment to apply its autofocus.
    pub async fn focused(&self, css: &str) -> bool {
        for _ in 0..20 {
            let on = self
                .client
                .execute(
                    "return document.activeElement !== null && document.activeElement.matches(arguments[0])",
                    vec![css.into()],
                )
                .await
                .unwrap()
                .as_bool()
                .unwrap_or(false);
            if on {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// Presses Tab until the focus is on what matches `css`: a keyboard
    /// user's way there, which must exist.
    pub async fn tab_to(&self, css: &str) {
        for _ in 0..80 {
            if self.focused(css).await {
                return;
            }
            self.press(TAB).await;
        }
        panic!("Tab never reached «{css}»");
    }

    /// Waits (up to 5 s) until something matches `css`: for what a script
    /// adds to the page.
    pub async fn wait_for(&self, css: &str) {
        for _ in 0..100 {
            if self.client.find(Locator::Css(css)).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("nothing matched «{css}»");
    }

    /// What the page says, all of it.
    pub async fn page_text(&self) -> String {
        self.text("body").await
    }

    /// A field's current value (what was typed, or what the page filled in).
    pub async fn value(&self, css: &str) -> String {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.prop("value").await.unwrap().unwrap_or_default()
    }

    pub async fn checked(&self, css: &str) -> bool {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.prop("checked").await.unwrap().as_deref() == Some("true")
    }

    /// Sets a field through the page's script: for dates, whose typing
    /// follows the browser's locale.
    pub async fn set(&self, id: &str, value: &str) {
        self.client
            .execute(
                "document.getElementById(arguments[0]).value = arguments[1]",
                vec![id.into(), value.into()],
            )
            .await
            .unwrap();
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Chooses `value` in the select `css`.
    pub async fn choose(&self, css: &str, value: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no «{css}»: {e}"))
            .select_by_value(value)
            .await
            .unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no «{css}» to click: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Clicks what leads to another page, and waits until it has replaced
    /// this one (the old page's root goes stale), however long the new one
    /// takes to come.
    pub async fn click_through(&self, css: &str) {
        let old = self.client.find(Locator::Css("html")).await.unwrap();
        self.click(css).await;
        for _ in 0..200 {
            if old.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("clicking «{css}» led nowhere within 5 s");
    }

    /// Whether the page is wider than the window (sideways scrolling).
    pub async fn scrolls_sideways(&self) -> bool {
        let widths = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth]",
                vec![],
            )
            .await
            .unwrap();
        widths[0].as_i64().unwrap() > widths[1].as_i64().unwrap()
    }

    /// The elements reaching past the window's right edge outside any box
    /// that scrolls or clips them, outermost first (`tag#id.class`): what
    /// makes a page scroll sideways.
    pub async fn too_wide(&self) -> Vec<String> {
        let found = self
            .client
            .execute(
                "const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                     if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
                 return Array.from(document.querySelectorAll('body *'))
                   .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e))
                   .slice(0, 8)
                   .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className && typeof e.className === 'string'
                           ? '.' + e.className.split(' ').join('.') : ''))",
                vec![],
            )
            .await
            .unwrap();
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_owned())
            .collect()
    }

    /// The whole page as a PNG at `path`, to be looked at: the window is
    /// made as tall as the page (up to 6000 px) for the picture, then put
    /// back.
    pub async fn screenshot(&self, path: &std::path::Path) {
        let sizes = self
            .client
            .execute(
                "return [window.outerWidth, window.outerHeight, window.innerHeight, \
                 document.documentElement.scrollHeight]",
                vec![],
            )
            .await
            .unwrap();
        let size = |i: usize| u32::try_from(sizes[i].as_u64().unwrap()).unwrap();
        let (width, height, inner, page) = (size(0), size(1), size(2), size(3));
        let tall = page.min(6000) + height.saturating_sub(inner);
        self.client.set_window_size(width, tall).await.unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(path, png).unwrap();
        self.client.set_window_size(width, height).await.unwrap();
    }

    /// Saves the page as `<name>.png` when `CLIENTELE_SHOTS` names a
    /// folder, to be looked at.
    pub async fn shot(&self, name: &str) {
        if let Ok(folder) = std::env::var("CLIENTELE_SHOTS") {
            let folder = PathBuf::from(folder);
            std::fs::create_dir_all(&folder).unwrap();
            self.screenshot(&folder.join(format!("{name}.png"))).await;
        }
    }

    /// Gives the file input `css` the file at `path`, as picking it does.
    pub async fn attach(&self, css: &str, path: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .send_keys(path)
            .await
            .unwrap();
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A browser `width` pixels wide on `path` of the server, signed in as
/// `login` on the way.
pub async fn signed_in_on(
    server: &super::TestServer,
    width: u32,
    login: &str,
    path: &str,
) -> Browser {
    let browser = Browser::start(width).await;
    browser.go(&server.url(path)).await;
    browser.sign_in(login).await;
    browser
}

/// A wide browser on `path`, signed in as the owner on the way.
pub async fn owner_on(server: &super::TestServer, path: &str) -> Browser {
    signed_in_on(server, 1280, "owner", path).await
}

/// A file in the temp dir for a browser to pick, removed even when the
/// test fails.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str) -> TempFile {
        let dir = std::env::temp_dir().join(format!("clientele-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempFile(dir.join(name))
    }

    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
