//! The lecture's screens in a real browser: Debian's Chromium signs in to the console as the
//! root user, makes an IAM user with console access and an MFA device from its QR code's
//! secret, signs in again as that user with the MFA code, creates a key pair, launches an
//! instance through the wizard, opens HTTPS in its security group, creates a private bucket,
//! uploads cat.svg, sees its object URL refused, creates a CloudFront distribution with an
//! origin access control, pastes the bucket policy the console offers, and opens the image at
//! the edge; in English and in Korean, each page photographed into `target/tmp/screenshots`.
//! Then the built-in lessons' checks of the same steps pass: they cannot tell the console
//! from the aws CLI.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cloudlings::check::{Context, Outcome};
use cloudlings::lesson::{Course, StepKind};
use cloudlings::target::Target;
use cloudlings_emulator::{Emulator, mfa};
use fantoccini::{Client, Locator};

use crate::browser::{Driver, for_the_book, photograph};
use crate::emulator::advance;

const CAT: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\"><circle cx=\"100\" cy=\"100\" r=\"90\" fill=\"orange\"/><text x=\"100\" y=\"115\" font-size=\"40\" text-anchor=\"middle\">cat</text></svg>\n";
const PASSWORD: &str = "Cloud-2026!";

/// Fills the named fields of the page's form that holds `submit`, then presses it.
async fn fill(browser: &Client, fields: &[(&str, &str)]) {
    for (name, value) in fields {
        let field = browser
            .find(Locator::Css(&format!("[name=\"{name}\"]")))
            .await
            .unwrap_or_else(|_| panic!("a field {name}"));
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }
}

async fn choose(browser: &Client, name: &str, value: &str) {
    browser
        .find(Locator::Css(&format!("select[name=\"{name}\"]")))
        .await
        .unwrap_or_else(|_| panic!("a select {name}"))
        .select_by_value(value)
        .await
        .expect("choose");
}

async fn press(browser: &Client, css: &str) {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .click()
        .await
        .expect("click");
}

async fn source(browser: &Client) -> String {
    browser.source().await.expect("the page's source")
}

/// The page's source once it holds `needle`: a form's answer may still be on its way when
/// the click returns.
async fn shown(browser: &Client, needle: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let page = source(browser).await;
        if page.contains(needle) {
            return page;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {needle:?} in {}: {page}",
            browser
                .current_url()
                .await
                .map(|url| url.to_string())
                .unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("time")
        .as_secs()
}

/// The console's flow of the lecture in `lang`, photographed as `console-<page>-<lang>.png`.
async fn lecture_in_the_console(driver: &Driver, emulator: &Emulator, work: &Path, lang: &str) {
    let base = format!("http://console.localhost:{}", emulator.edge_addr.port());
    let shot = |page: &str| format!("console-{page}-{lang}.png");
    let korean = lang == "ko";
    let account = emulator.credentials.account.clone();
    let root_password = emulator
        .world
        .root_password(&account)
        .expect("a root password");
    let browser = driver.browser(if korean { "ko-KR" } else { "en-US" }).await;
    browser
        .goto(&format!("{base}/lang?to={lang}&back=%2Fsignin%3Fas%3Droot"))
        .await
        .expect("the sign-in page");
    photograph(&browser, &shot("signin")).await;
    fill(
        &browser,
        &[("account", &account), ("password", &root_password)],
    )
    .await;
    press(&browser, "button.primary").await;
    shown(&browser, if korean { "콘솔 홈" } else { "Console Home" }).await;
    photograph(&browser, &shot("home")).await;

    // IAM: a user for the daily work, with a password and an MFA device.
    browser
        .goto(&format!("{base}/iam/users/create"))
        .await
        .expect("create user");
    fill(&browser, &[("user", "admin"), ("password", PASSWORD)]).await;
    photograph(&browser, &shot("iam-create-user")).await;
    press(&browser, "button.primary").await;
    shown(&browser, "/signin</dd>").await;
    browser
        .goto(&format!("{base}/iam/users/admin/mfa"))
        .await
        .expect("assign MFA");
    fill(&browser, &[("device", "admin-phone")]).await;
    press(&browser, "button.primary").await;
    shown(&browser, "QR code").await;
    let secret = browser
        .find(Locator::Css("dd.id"))
        .await
        .expect("the secret key")
        .text()
        .await
        .expect("its text");
    let seed = mfa::from_base32(&secret).expect("a Base32 secret");
    assert!(
        browser
            .find(Locator::Css("img[alt='QR code']"))
            .await
            .is_ok(),
        "a QR code"
    );
    photograph(&browser, &shot("iam-mfa-qr")).await;
    let now = unix_now();
    fill(
        &browser,
        &[
            ("code1", &mfa::code_at(&seed, now - 30)),
            ("code2", &mfa::code_at(&seed, now)),
        ],
    )
    .await;
    press(&browser, "button.primary").await;
    shown(&browser, ":mfa/admin-phone</p>").await;
    photograph(&browser, &shot("iam-user")).await;

    // Signing in again, as the lecture's admin with the MFA code.
    press(&browser, "header button.link").await;
    shown(&browser, "name=\"user\"").await;
    fill(
        &browser,
        &[
            ("account", &account),
            ("user", "admin"),
            ("password", PASSWORD),
        ],
    )
    .await;
    press(&browser, "button.primary").await;
    shown(&browser, "name=\"code\"").await;
    photograph(&browser, &shot("signin-mfa")).await;
    for_the_book(&browser, &format!("signin-mfa-{lang}")).await;
    fill(&browser, &[("code", &mfa::code_now(&seed))]).await;
    press(&browser, "button.primary").await;
    shown(&browser, "admin @").await;

    // EC2: a key pair, then the launch wizard.
    browser
        .goto(&format!("{base}/ec2/key-pairs/create"))
        .await
        .expect("key pair");
    fill(&browser, &[("name", "key")]).await;
    press(&browser, "button.primary").await;
    // The answer is a download, which leaves the page as it was: the key pair is in the
    // account once the request is done.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !emulator.world.account(&account).is_some_and(|held| {
        held.lock()
            .ec2
            .regions
            .values()
            .any(|region| region.key_pairs.values().any(|pair| pair.name == "key"))
    }) {
        assert!(
            std::time::Instant::now() < deadline,
            "no key pair named key"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser
        .goto(&format!("{base}/ec2/launch"))
        .await
        .expect("the wizard");
    shown(&browser, "name=\"key_name\"").await;
    fill(&browser, &[("name", "web")]).await;
    choose(&browser, "key_name", "key").await;
    choose(&browser, "ssh_from", "my-ip").await;
    press(&browser, "input[name=http]").await;
    let wizard = source(&browser).await;
    assert!(
        wizard.contains(if korean {
            "프리 티어 사용 가능"
        } else {
            "Free tier eligible"
        }),
        "the free-tier badge"
    );
    photograph(&browser, &shot("ec2-launch")).await;
    for_the_book(&browser, &format!("ec2-launch-{lang}")).await;
    press(&browser, "aside button.primary").await;
    let launched = shown(&browser, "alert success").await;
    let id = launched
        .split("/ec2/instances/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the new instance's link")
        .to_string();
    photograph(&browser, &shot("ec2-launched")).await;
    advance(emulator, 120);
    browser
        .goto(&format!("{base}/ec2/instances"))
        .await
        .expect("instances");
    shown(&browser, if korean { "실행 중" } else { "Running" }).await;
    photograph(&browser, &shot("ec2-instances")).await;
    browser
        .goto(&format!("{base}/ec2/instances/{id}/connect"))
        .await
        .expect("connect");
    let connect = source(&browser).await;
    assert!(
        connect.contains("chmod 400 \"key.pem\"")
            || connect.contains("chmod 400 &quot;key.pem&quot;"),
        "{connect}"
    );
    assert!(connect.contains("ssh -i"), "{connect}");
    photograph(&browser, &shot("ec2-connect")).await;
    for_the_book(&browser, &format!("ec2-connect-{lang}")).await;

    // The wizard's group: SSH from my IP and HTTP; HTTPS added in the rules editor.
    let group = emulator
        .world
        .account(&account)
        .and_then(|held| {
            let held = held.lock();
            let region = held
                .ec2
                .regions
                .get(cloudlings_core::catalog::DEFAULT_REGION)?;
            region
                .security_groups
                .values()
                .find(|group| group.name == "launch-wizard-1")
                .map(|group| group.id.clone())
        })
        .expect("launch-wizard-1");
    browser
        .goto(&format!("{base}/ec2/security-groups/{group}/inbound"))
        .await
        .expect("the rules editor");
    choose(&browser, "type0", "https").await;
    choose(&browser, "source0", "anywhere").await;
    photograph(&browser, &shot("ec2-inbound-rules")).await;
    press(&browser, "button.primary").await;
    let rules = shown(&browser, ">443</td>").await;
    assert!(rules.contains("/32"), "{rules}");
    photograph(&browser, &shot("ec2-security-group")).await;

    // S3: a private bucket, cat.svg uploaded, its object URL refused.
    let bucket = format!("cat-images-{account}");
    browser
        .goto(&format!("{base}/s3/create"))
        .await
        .expect("create bucket");
    fill(&browser, &[("name", &bucket)]).await;
    press(&browser, "button.primary").await;
    shown(&browser, "type=\"file\"").await;
    let file = work.join("cat.svg");
    browser
        .find(Locator::Css("input[type=file]"))
        .await
        .expect("the file field")
        .send_keys(&file.display().to_string())
        .await
        .expect("choose the file");
    press(&browser, "button.primary").await;
    shown(&browser, ">cat.svg</td>").await;
    photograph(&browser, &shot("s3-objects")).await;
    let url = browser
        .find(Locator::Css("table.resources td a"))
        .await
        .expect("the object URL")
        .attr("href")
        .await
        .expect("href")
        .expect("an address");
    browser.goto(&url).await.expect("the object URL");
    shown(&browser, "AccessDenied").await;
    photograph(&browser, &shot("s3-access-denied")).await;

    // CloudFront: the distribution through an origin access control, and the policy to paste.
    browser
        .goto(&format!("{base}/cloudfront/create"))
        .await
        .expect("create distribution");
    fill(&browser, &[("oac_name", "cat-images-oac")]).await;
    photograph(&browser, &shot("cloudfront-create")).await;
    press(&browser, "button.primary").await;
    shown(&browser, "textarea readonly").await;
    let policy = browser
        .find(Locator::Css("textarea#policy"))
        .await
        .expect("the policy to copy")
        .prop("value")
        .await
        .expect("its text")
        .expect("a policy");
    assert!(policy.contains("cloudfront.amazonaws.com"), "{policy}");
    photograph(&browser, &shot("cloudfront-banner")).await;
    for_the_book(&browser, &format!("cloudfront-banner-{lang}")).await;
    let distribution = browser
        .current_url()
        .await
        .expect("url")
        .path()
        .trim_start_matches("/cloudfront/")
        .to_string();
    press(&browser, "section.panel p a").await;
    shown(&browser, "name=\"policy\"").await;
    fill(&browser, &[("policy", &policy)]).await;
    press(&browser, "button.primary").await;
    shown(&browser, "/policy/delete").await;
    photograph(&browser, &shot("s3-bucket-policy")).await;

    advance(emulator, 300);
    browser
        .goto(&format!("{base}/cloudfront/{distribution}"))
        .await
        .expect("the distribution");
    shown(&browser, if korean { "배포됨" } else { "Deployed" }).await;
    photograph(&browser, &shot("cloudfront-deployed")).await;
    let edge = browser
        .find(Locator::Css("dl.details dd a"))
        .await
        .expect("the domain name's link")
        .attr("href")
        .await
        .expect("href")
        .expect("an address");
    browser
        .goto(&format!("{edge}cat.svg"))
        .await
        .expect("the edge");
    shown(&browser, ">cat</text>").await;
    photograph(&browser, &shot("edge-cat")).await;

    // Three days on, the bill has something to show, day by day.
    advance(emulator, 3 * 86_400);
    browser
        .goto(&format!("{base}/billing"))
        .await
        .expect("billing");
    shown(&browser, "t2.micro").await;
    photograph(&browser, &shot("billing")).await;
    for_the_book(&browser, &format!("billing-{lang}")).await;
    browser.close().await.expect("close");
}

/// Runs the checks of `steps` of a built-in lesson, in order, as the shell would once the
/// learner is on each: the steps before them bind the names they use.
pub fn checks_pass(emulator: &Emulator, work: &Path, lesson: &str, steps: &[&str]) {
    let course = Course::embedded();
    let lesson = course
        .lessons
        .iter()
        .find(|candidate| candidate.id == lesson)
        .expect("the lesson");
    let mut context = Context::new(work.to_path_buf()).with_target(Target::emulator(
        &emulator.endpoint(),
        &emulator.credentials,
    ));
    for step in &lesson.steps {
        let StepKind::Task(task) = &step.kind else {
            continue;
        };
        if steps.contains(&step.id.as_str()) {
            for check in &task.checks {
                let outcome = check.run(&context);
                assert_eq!(
                    outcome,
                    Outcome::Passed,
                    "{}/{}: {}",
                    lesson.id,
                    step.id,
                    check.label.en
                );
            }
        }
        for bind in &task.binds {
            if let Some(bound) = bind.value(&context) {
                context.keep(&bind.name, bound);
            }
        }
    }
}

#[test]
fn the_lecture_s_console_flow_in_chromium_in_english_and_korean() {
    let driver = Driver::start();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    for lang in ["en", "ko"] {
        let state = tempfile::tempdir().expect("state");
        let work = tempfile::tempdir().expect("work");
        std::fs::write(work.path().join("cat.svg"), CAT).expect("cat.svg");
        let emulator = Emulator::start(0, Some(state.path())).expect("an emulator");
        runtime.block_on(async {
            tokio::time::timeout(
                Duration::from_secs(240),
                lecture_in_the_console(&driver, &emulator, work.path(), lang),
            )
            .await
            .expect("the flow in time");
        });
        checks_pass(
            &emulator,
            work.path(),
            "mfa",
            &["create-admin", "enable-device"],
        );
        checks_pass(
            &emulator,
            work.path(),
            "s3-cloudfront",
            &[
                "bucket",
                "upload",
                "origin-access-control",
                "distribution",
                "deployed",
                "bucket-policy",
            ],
        );
    }
}
