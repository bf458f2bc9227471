//! The classroom in a real browser: Debian's Chromium, headless, driven over WebDriver by
//! chromedriver. A learner joins on the page, does lesson 1 in the page's terminal (xterm.js),
//! and the pages are photographed in English and Korean into `target/tmp/screenshots`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cloudlings::lesson::{Course, StepKind};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::classroom::{Room, free_port};
use crate::course::lesson_one;

/// chromedriver, on a port of its own, ended with the test.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub fn start() -> Driver {
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian's chromium-driver, which scripts/test installs)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }

    /// A new browser, with a profile of its own.
    pub async fn browser(&self, lang: &str) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_string(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=1280,860", format!("--lang={lang}"),
                ],
            }),
        );
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a browser")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The text of the element `locator` finds.
pub async fn text_of(browser: &Client, locator: Locator<'_>) -> String {
    browser
        .find(locator)
        .await
        .expect("the element")
        .text()
        .await
        .expect("its text")
}

/// Where the run's screenshots go.
pub fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots folder");
    dir
}

pub async fn photograph(browser: &Client, name: &str) {
    // From the top of the page, however far filling a form scrolled it.
    let _ = browser.execute("window.scrollTo(0, 0)", vec![]).await;
    let png = browser.screenshot().await.expect("screenshot");
    let path = screenshots().join(name);
    std::fs::write(&path, png).expect("write screenshot");
    eprintln!("screenshot: {}", path.display());
}

/// Chrome's own screenshot through its DevTools protocol, as WebP: a fraction of a PNG's
/// size, for the pictures the book keeps.
#[derive(Debug)]
struct CaptureWebp;

impl fantoccini::wd::WebDriverCompatibleCommand for CaptureWebp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let command = json!({
            "cmd": "Page.captureScreenshot",
            "params": { "format": "webp", "quality": 55 },
        });
        (http::Method::POST, Some(command.to_string()))
    }
}

/// Keeps the page as `name.webp` in the folder `CLOUDLINGS_BOOK_SCREENSHOTS` names (the book's
/// `src/console` when its pictures are renewed); nothing when it is not set.
pub async fn for_the_book(browser: &Client, name: &str) {
    let Some(dir) = std::env::var_os("CLOUDLINGS_BOOK_SCREENSHOTS") else {
        return;
    };
    let _ = browser.execute("window.scrollTo(0, 0)", vec![]).await;
    let answer = browser
        .issue_cmd(CaptureWebp)
        .await
        .expect("a WebP screenshot");
    let data = answer["data"].as_str().expect("the picture's data");
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .expect("Base64");
    let path = PathBuf::from(dir).join(format!("{name}.webp"));
    std::fs::write(&path, bytes).expect("write the book's picture");
    eprintln!("book picture: {}", path.display());
}

/// The page's terminal as xterm.js holds it, scrollback and all.
async fn screen(browser: &Client) -> String {
    let text = browser
        .execute(
            "const buffer = window.cloudlingsTerminal.buffer.active;
             const lines = [];
             for (let i = 0; i < buffer.length; i++) {
               lines.push(buffer.getLine(i).translateToString(true));
             }
             return lines.join('\\n');",
            vec![],
        )
        .await
        .expect("the terminal's text");
    text.as_str().unwrap_or_default().to_string()
}

/// Waits until the terminal shows `prompts` prompts: the text then.
async fn until_prompts(browser: &Client, prompts: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = screen(browser).await;
        if text.matches("› ").count() >= prompts {
            return text;
        }
        assert!(Instant::now() < deadline, "no prompt {prompts} in:\n{text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Types `line` into the page's terminal and waits for the prompt after it.
async fn run(browser: &Client, line: &str) -> String {
    let before = screen(browser).await.matches("› ").count();
    let keys = browser
        .find(Locator::Css(".xterm-helper-textarea"))
        .await
        .expect("the terminal's input");
    keys.send_keys(&format!("{line}\n")).await.expect("type");
    until_prompts(browser, before + 1).await
}

async fn learner_does_lesson_one(driver: &Driver, room: &Room, lang: &str, name: &str) {
    let browser = driver.browser(lang).await;
    let base = format!("http://{}", room.address);
    browser
        .goto(&format!("{base}/"))
        .await
        .expect("the join page");
    browser
        .find(Locator::Id("code"))
        .await
        .expect("code")
        .send_keys(&room.code.to_lowercase())
        .await
        .expect("type");
    browser
        .find(Locator::Id("name"))
        .await
        .expect("name")
        .send_keys(name)
        .await
        .expect("type");
    browser
        .find(Locator::Id("lang"))
        .await
        .expect("language")
        .select_by_value(lang)
        .await
        .expect("choose");
    let button = browser.find(Locator::Id("go")).await.expect("button");
    let label = button.text().await.expect("label");
    assert_eq!(
        label,
        if lang == "ko" {
            "수업 입장"
        } else {
            "Join the class"
        }
    );
    photograph(&browser, &format!("join-{lang}.png")).await;
    button.click().await.expect("join");

    let deadline = Instant::now() + Duration::from_secs(30);
    while browser.current_url().await.expect("url").path() != "/terminal" {
        assert!(
            Instant::now() < deadline,
            "the page did not go to the terminal"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let greeting = until_prompts(&browser, 1).await;
    let welcome = if lang == "ko" {
        "cloudlings에 오신 것을 환영합니다"
    } else {
        "Welcome to cloudlings"
    };
    assert!(greeting.contains(welcome), "{greeting}");
    let heading = text_of(&browser, Locator::Id("who")).await;
    assert!(heading.starts_with(name), "{heading}");

    for line in lesson_one() {
        run(&browser, &line).await;
    }
    let said = run(&browser, "progress").await;
    let done = if lang == "ko" { "완료" } else { "complete" };
    assert!(said.contains(done), "{said}");
    assert!(
        !said.contains("learners/"),
        "the server's folders stay its own: {said}"
    );
    // The panel beside the terminal shows the learner's cloud, in their language.
    let run_line = "aws ec2 create-security-group --group-name web --description web";
    run(&browser, run_line).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let groups = text_of(&browser, Locator::Id("groups")).await;
        if groups.contains("web") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the panel shows no group: {groups}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let bill = text_of(&browser, Locator::Id("bill")).await;
    assert!(bill.starts_with("$0.00"), "{bill}");
    let heading = text_of(&browser, Locator::Css(".console h2")).await;
    assert_eq!(
        heading,
        if lang == "ko" {
            "내 클라우드"
        } else {
            "My cloud"
        }
    );
    photograph(&browser, &format!("learner-{lang}.png")).await;

    // A reload shows the same screen, and the shell goes on.
    browser.refresh().await.expect("reload");
    let again = until_prompts(&browser, 2).await;
    assert!(again.contains(welcome), "{again}");
    let status = browser
        .find(Locator::Id("status"))
        .await
        .expect("status")
        .attr("data-state")
        .await
        .expect("state");
    assert_eq!(status.as_deref(), Some("connected"));
    learner_opens_the_console(&browser, &base, lang).await;
    browser.close().await.expect("close");
}

/// The page names the console's sign-in for the learner's own account; the console, under
/// `/console/` on the class's address, takes it.
async fn learner_opens_the_console(browser: &Client, base: &str, lang: &str) {
    let sign_in = text_of(browser, Locator::Id("console-signin")).await;
    let words: Vec<&str> = sign_in.split_whitespace().collect();
    let account = words
        .iter()
        .position(|word| *word == "ID")
        .and_then(|at| words.get(at + 1))
        .map(|account| account.trim_end_matches(','))
        .unwrap_or_else(|| panic!("an account in {sign_in:?}"))
        .to_string();
    let password = words.last().expect("a password").to_string();
    browser
        .goto(&format!("{base}/console/signin?as=root"))
        .await
        .expect("the console");
    for (name, value) in [
        ("account", account.as_str()),
        ("password", password.as_str()),
    ] {
        browser
            .find(Locator::Css(&format!("[name=\"{name}\"]")))
            .await
            .expect("a field")
            .send_keys(value)
            .await
            .expect("type");
    }
    browser
        .find(Locator::Css("button.primary"))
        .await
        .expect("sign in")
        .click()
        .await
        .expect("click");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = browser.source().await.expect("source");
        if page.contains("href=\"/console/ec2/instances\"") && page.contains(&account) {
            // In the language the learner joined in.
            let home = if lang == "ko" {
                "콘솔 홈"
            } else {
                "Console Home"
            };
            assert!(page.contains(home), "{page}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not signed in to the console: {page}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    photograph(browser, &format!("classroom-console-{lang}.png")).await;
}

const HOSTILE_NAME: &str = "<img src=x onerror=document.title=1>";

/// The instructor opens their page with the printed address: the class's table shows both
/// learners with lesson 1 done, a learner's terminal opens to watch, and the page reads in
/// English and in Korean.
async fn instructor_sees_the_class(driver: &Driver, room: &Room) {
    let browser = driver.browser("en").await;
    let base = format!("http://{}", room.address);
    browser
        .goto(&format!("{base}{}", room.teacher))
        .await
        .expect("the instructor's page");
    assert_eq!(
        browser.current_url().await.expect("url").query(),
        None,
        "the token leaves the address bar"
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let rows = loop {
        let rows = browser
            .execute(
                "return [...document.querySelectorAll('#rows tr')].map(row =>
                   [...row.querySelectorAll('td')].map(cell => cell.textContent));",
                vec![],
            )
            .await
            .expect("rows");
        let rows: Vec<Vec<String>> = serde_json::from_value(rows).expect("rows");
        if rows.len() == 3 {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "the table did not fill: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(rows[0][0], "Ana");
    assert_eq!(rows[1][0], "김지민");
    assert_eq!(rows[2][0], HOSTILE_NAME, "shown as text");
    assert_eq!(
        browser.title().await.expect("title"),
        "cloudlings classroom · instructor"
    );
    // Lesson 1's column: done for both.
    assert_eq!(rows[0][5], "✓", "{:?}", rows[0]);
    assert_eq!(rows[1][5], "✓", "{:?}", rows[1]);

    browser
        .find(Locator::XPath("//tr[1]//button[1]"))
        .await
        .expect("Watch")
        .click()
        .await
        .expect("watch");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let watched = browser
            .execute(
                "const buffer = window.cloudlingsWatched.buffer.active;
                 let text = '';
                 for (let i = 0; i < buffer.length; i++) text += buffer.getLine(i).translateToString(true) + '\\n';
                 return text;",
                vec![],
            )
            .await
            .expect("the watched screen");
        if watched
            .as_str()
            .is_some_and(|text| text.contains("lessons complete"))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the watched terminal is empty: {watched}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    photograph(&browser, "instructor-en.png").await;
    browser
        .find(Locator::Id("lang"))
        .await
        .expect("language")
        .select_by_value("ko")
        .await
        .expect("choose");
    let heading = text_of(&browser, Locator::Css("th")).await;
    assert_eq!(heading, "학습자");
    photograph(&browser, "instructor-ko.png").await;

    // A new, empty cloud for the third learner, from the row's reset menu, asked first.
    browser
        .find(Locator::XPath("//tr[3]//select"))
        .await
        .expect("the reset menu")
        .select_by_value("cloud")
        .await
        .expect("choose");
    let asked = browser.get_alert_text().await.expect("a confirmation");
    assert!(asked.contains("클라우드를 초기화할까요"), "{asked}");
    browser.accept_alert().await.expect("yes");
    let deadline = Instant::now() + Duration::from_secs(10);
    while text_of(&browser, Locator::Id("done")).await != "완료했습니다." {
        assert!(Instant::now() < deadline, "the reset was not done");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.close().await.expect("close");
}

/// Lesson 1's every quiz and task passed, as the learner's progress keeps it.
fn lesson_one_passed(room_state: &std::path::Path, learner: i64) {
    let path = room_state
        .join("learners")
        .join(learner.to_string())
        .join("progress.json");
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("progress")).expect("JSON");
    let course = Course::embedded();
    let lesson = &course.lessons[0];
    for step in &lesson.steps {
        if matches!(step.kind, StepKind::Quiz(_) | StepKind::Task(_)) {
            assert_eq!(
                saved["lessons"][&lesson.id][&step.id]["passed"],
                Value::Bool(true),
                "learner {learner}: {}",
                step.id
            );
        }
    }
}

#[test]
fn learners_join_in_chromium_and_do_lesson_one_in_the_page_s_terminal() {
    let state = tempfile::tempdir().expect("state");
    let room = Room::start(state.path(), 10, (free_port(), free_port()));
    let driver = Driver::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        learner_does_lesson_one(&driver, &room, "en", "Ana").await;
        learner_does_lesson_one(&driver, &room, "ko", "김지민").await;
        // A name is text on the instructor's page, whatever it holds.
        crate::web_terminal::join(&room, HOSTILE_NAME, "en");
        instructor_sees_the_class(&driver, &room).await;
    });
    lesson_one_passed(state.path(), 1);
    lesson_one_passed(state.path(), 2);
    room.kill();
}
