//! The web console with a plain HTTP client, as a browser without script would use it: signing
//! in as the root user and as an IAM user with a login profile made by the real aws CLI and an
//! MFA device, an instance stopped from the console and seen stopped by the SDK, and the hostile
//! side: forms without their CSRF token, markup in a tag, another account's instance, guessed
//! passwords, forged cookies, a redirect off the site.

use std::collections::HashMap;

use aws_sdk_ec2::types::{InstanceType, ResourceType, Tag, TagSpecification};
use cloudlings_emulator::{Emulator, mfa};

use crate::aws_cli::Aws;

const PASSWORD: &str = "Cloud-2026!";
use crate::emulator::{Answer, advance, raw_request, root, start};

/// A cookie jar and the console's address.
struct Browser<'a> {
    emulator: &'a Emulator,
    cookies: HashMap<String, String>,
}

impl<'a> Browser<'a> {
    fn new(emulator: &'a Emulator) -> Browser<'a> {
        Browser {
            emulator,
            cookies: HashMap::new(),
        }
    }

    fn send(&mut self, method: &str, path: &str, body: &[u8]) -> Answer {
        let form = (method == "POST").then_some("application/x-www-form-urlencoded");
        self.send_as(method, path, form, body)
    }

    /// A request with the jar's cookies and a body of `content_type`; the cookie it sets is
    /// kept (or forgotten, when it is cleared).
    fn send_as(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Answer {
        let host = format!("console.localhost:{}", self.emulator.edge_addr.port());
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let cookie = cookie.join("; ");
        let mut headers = vec![("Accept-Language", "en-US")];
        if !cookie.is_empty() {
            headers.push(("Cookie", cookie.as_str()));
        }
        if let Some(content_type) = content_type {
            headers.push(("Content-Type", content_type));
        }
        let answer = raw_request(self.emulator.edge_addr, method, &host, path, &headers, body);
        let set = answer.headers.get("set-cookie");
        if let Some((name, value)) = set
            .and_then(|cookie| cookie.split_once(';'))
            .and_then(|(pair, _)| pair.split_once('='))
        {
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        answer
    }

    fn get(&mut self, path: &str) -> Answer {
        self.send("GET", path, b"")
    }

    fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        self.send("POST", path, body.as_bytes())
    }

    /// GETs `page`, then posts its form with the CSRF token it carried.
    fn submit(&mut self, page: &str, action: &str, form: &[(&str, &str)]) -> Answer {
        let token = csrf(&self.get(page));
        let mut form = form.to_vec();
        form.push(("csrf", &token));
        self.post(action, &form)
    }
}

fn text(answer: &Answer) -> String {
    String::from_utf8_lossy(&answer.body).into_owned()
}

/// The CSRF token a page's form carries.
fn csrf(answer: &Answer) -> String {
    let page = text(answer);
    let start = page
        .find("name=\"csrf\" value=\"")
        .unwrap_or_else(|| panic!("a CSRF token in {page}"))
        + 19;
    page[start..].split('"').next().expect("token").to_string()
}

fn sign_in_as_root(browser: &mut Browser<'_>) -> Answer {
    let emulator = browser.emulator;
    let password = emulator
        .world
        .root_password(&emulator.credentials.account)
        .expect("a root password");
    browser.submit(
        "/signin?as=root",
        "/signin",
        &[
            ("as", "root"),
            ("account", &emulator.credentials.account),
            ("password", &password),
        ],
    )
}

/// admin's virtual MFA device admin-phone, made and enabled with the real aws CLI (its seed
/// saved in `dir`): the seed.
fn admin_phone(aws: &Aws<'_>, dir: &std::path::Path) -> Vec<u8> {
    let device = aws.json(&[
        "iam",
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "admin-phone",
        "--outfile",
        "seed.txt",
        "--bootstrap-method",
        "Base32StringSeed",
    ]);
    let serial = device["VirtualMFADevice"]["SerialNumber"]
        .as_str()
        .expect("serial")
        .to_string();
    let seed = mfa::from_base32(&std::fs::read_to_string(dir.join("seed.txt")).expect("seed"))
        .expect("base32");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs();
    aws.json(&[
        "iam",
        "enable-mfa-device",
        "--user-name",
        "admin",
        "--serial-number",
        &serial,
        "--authentication-code1",
        &mfa::code_at(&seed, now - 30),
        "--authentication-code2",
        &mfa::code_at(&seed, now),
    ]);
    seed
}

/// The Ubuntu image's id in the default region.
fn ubuntu() -> String {
    cloudlings_core::catalog::family_image("ami_ubuntu")
        .expect("an Ubuntu image")
        .id_in(cloudlings_core::catalog::DEFAULT_REGION)
}

async fn launch(emulator: &Emulator, name: &str) -> String {
    let ec2 = aws_sdk_ec2::Client::new(&root(emulator));
    let launched = ec2
        .run_instances()
        .image_id(ubuntu())
        .instance_type(InstanceType::T2Micro)
        .min_count(1)
        .max_count(1)
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::Instance)
                .tags(Tag::builder().key("Name").value(name).build())
                .build(),
        )
        .send()
        .await
        .expect("RunInstances");
    launched.instances()[0]
        .instance_id()
        .expect("an id")
        .to_string()
}

async fn state_of(emulator: &Emulator, id: &str) -> String {
    let ec2 = aws_sdk_ec2::Client::new(&root(emulator));
    let described = ec2
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .expect("DescribeInstances");
    described.reservations()[0].instances()[0]
        .state()
        .and_then(|state| state.name())
        .expect("a state")
        .as_str()
        .to_string()
}

#[tokio::test]
async fn the_root_user_signs_in_and_a_hostile_tag_stays_text() {
    let emulator = start();
    launch(&emulator, "<script>alert('owned')</script>").await;
    let mut browser = Browser::new(&emulator);
    let home = browser.get("/home");
    assert_eq!(home.status, 303, "signed out goes to sign-in");
    assert_eq!(home.header("location"), "/signin");

    let signin = browser.get("/signin?as=root");
    assert_eq!(signin.status, 200);
    let policy = signin.header("content-security-policy");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(!policy.contains("script-src"), "no script at all: {policy}");
    let signed_in = sign_in_as_root(&mut browser);
    assert_eq!(signed_in.status, 303, "{}", text(&signed_in));
    assert_eq!(signed_in.header("location"), "/home");
    let cookie = signed_in.header("set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    let home = browser.get("/home");
    assert_eq!(home.status, 200);
    assert!(text(&home).contains(&emulator.credentials.account));
    let instances = text(&browser.get("/ec2/instances"));
    assert!(!instances.contains("<script>alert"), "{instances}");
    assert!(
        instances.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"),
        "{instances}"
    );
    assert!(instances.contains("t2.micro"));
    assert!(text(&browser.get("/billing")).contains("Bills"));

    // Signing out ends the session for good: the old cookie opens nothing.
    let old = browser.cookies.clone();
    let out = browser.submit("/home", "/signout", &[]);
    assert_eq!(out.header("location"), "/signin");
    browser.cookies = old;
    assert_eq!(browser.get("/home").status, 303);
}

#[tokio::test]
async fn an_iam_user_signs_in_with_password_and_mfa_and_stops_an_instance() {
    let emulator = start();
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path());
    aws.json(&["iam", "create-user", "--user-name", "admin"]);
    let weak = aws.fails(&[
        "iam",
        "create-login-profile",
        "--user-name",
        "admin",
        "--password",
        "password",
    ]);
    assert!(weak.contains("PasswordPolicyViolation"), "{weak}");
    let profile = aws.json(&[
        "iam",
        "create-login-profile",
        "--user-name",
        "admin",
        "--password",
        "Cloud-2026!",
        "--no-password-reset-required",
    ]);
    assert_eq!(profile["LoginProfile"]["UserName"], "admin");
    let again = aws.fails(&[
        "iam",
        "create-login-profile",
        "--user-name",
        "admin",
        "--password",
        "Cloud-2026!",
    ]);
    assert!(again.contains("EntityAlreadyExists"), "{again}");
    let kept = aws.json(&["iam", "get-login-profile", "--user-name", "admin"]);
    assert_eq!(kept["LoginProfile"]["PasswordResetRequired"], false);
    let conflict = aws.fails(&["iam", "delete-user", "--user-name", "admin"]);
    assert!(conflict.contains("DeleteConflict"), "{conflict}");

    let seed = admin_phone(&aws, dir.path());
    let id = launch(&emulator, "web").await;

    let mut browser = Browser::new(&emulator);
    let account = emulator.credentials.account.clone();
    let wrong = browser.submit(
        "/signin",
        "/signin",
        &[
            ("as", "iam"),
            ("account", &account),
            ("user", "admin"),
            ("password", "Cloud-2025!"),
        ],
    );
    assert_eq!(wrong.status, 401);
    assert!(text(&wrong).contains("Your authentication information is incorrect"));
    let password = browser.submit(
        "/signin",
        "/signin",
        &[
            ("as", "iam"),
            ("account", &account),
            ("user", "admin"),
            ("password", "Cloud-2026!"),
        ],
    );
    assert_eq!(password.header("location"), "/mfa", "{}", text(&password));
    assert_eq!(browser.get("/home").status, 303, "not in before the code");
    // A code that is not the device's now (nor within the drift AWS allows).
    let bad_code = (0..10)
        .map(|digit| digit.to_string().repeat(6))
        .find(|code| !mfa::current(&seed, code))
        .expect("a wrong code");
    let bad = browser.submit("/mfa", "/mfa", &[("code", &bad_code)]);
    assert_eq!(bad.status, 401, "{}", text(&bad));
    let good = browser.submit("/mfa", "/mfa", &[("code", &mfa::code_now(&seed))]);
    assert_eq!(good.header("location"), "/home", "{}", text(&good));
    let home = text(&browser.get("/home"));
    assert!(home.contains("admin @"), "{home}");

    // A form posted without its token changes nothing.
    let forged = browser.post(&format!("/ec2/instances/{id}/stop"), &[]);
    assert_eq!(forged.status, 403);
    let wrong_token = browser.post(&format!("/ec2/instances/{id}/stop"), &[("csrf", "x")]);
    assert_eq!(wrong_token.status, 403);
    assert_ne!(state_of(&emulator, &id).await, "stopping");

    // A pending instance cannot be stopped yet; on the simulated clock it is soon running.
    let pending = text(&browser.get("/ec2/instances"));
    assert!(pending.contains("Pending"), "{pending}");
    assert!(
        !pending.contains(&format!("/ec2/instances/{id}/stop")),
        "{pending}"
    );
    advance(&emulator, 120);
    assert!(text(&browser.get("/ec2/instances")).contains("Running"));
    let confirm = browser.get(&format!("/ec2/instances/{id}/stop"));
    assert!(text(&confirm).contains("Stop instance"));
    let stopped = browser.post(
        &format!("/ec2/instances/{id}/stop"),
        &[("csrf", &csrf(&confirm))],
    );
    assert_eq!(
        stopped.header("location"),
        "/ec2/instances?done=1",
        "{}",
        text(&stopped)
    );
    let state = state_of(&emulator, &id).await;
    assert!(state == "stopping" || state == "stopped", "{state}");

    // The console's own credentials are a session's, marked as the user's, with MFA.
    let keys = emulator.world.lock().keys.clone();
    let console_key = keys
        .values()
        .find(|key| key.session.as_ref().is_some_and(|session| session.console))
        .expect("the console session's key");
    assert_eq!(console_key.user.as_deref(), Some("admin"));
    assert!(
        console_key
            .session
            .as_ref()
            .is_some_and(|session| session.mfa)
    );
}

#[tokio::test]
async fn guessed_passwords_lock_the_user_out_even_for_the_right_one() {
    let emulator = start();
    let mut browser = Browser::new(&emulator);
    let account = emulator.credentials.account.clone();
    for _ in 0..5 {
        let guess = browser.submit(
            "/signin?as=root",
            "/signin",
            &[
                ("as", "root"),
                ("account", &account),
                ("password", "Guess-1234"),
            ],
        );
        assert_eq!(guess.status, 401);
    }
    let locked = sign_in_as_root(&mut browser);
    assert_eq!(locked.status, 429, "{}", text(&locked));
    assert!(text(&locked).contains("Too many failed sign-in attempts"));
    // An account that does not exist is refused in the same words.
    let nobody = browser.submit(
        "/signin",
        "/signin",
        &[
            ("as", "iam"),
            ("account", "000000000000"),
            ("user", "x"),
            ("password", "Aa1!aaaa"),
        ],
    );
    assert_eq!(nobody.status, 401);
    assert!(text(&nobody).contains("Your authentication information is incorrect"));
}

#[tokio::test]
async fn another_account_s_instance_cannot_be_seen_or_stopped() {
    let emulator = start();
    let other = emulator.world.add_account();
    let ec2 = aws_sdk_ec2::Client::new(&crate::emulator::config(
        &emulator,
        &other.access_key,
        &other.secret,
    ));
    let theirs = ec2
        .run_instances()
        .image_id(ubuntu())
        .instance_type(InstanceType::T2Micro)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("RunInstances")
        .instances()[0]
        .instance_id()
        .expect("id")
        .to_string();
    let mut browser = Browser::new(&emulator);
    sign_in_as_root(&mut browser);
    assert!(!text(&browser.get("/ec2/instances")).contains(&theirs));
    let page = browser.get(&format!("/ec2/instances/{theirs}/terminate"));
    assert_eq!(page.status, 404);
    let token = csrf(&browser.get("/home"));
    let posted = browser.post(
        &format!("/ec2/instances/{theirs}/terminate"),
        &[("csrf", &token)],
    );
    assert_eq!(posted.status, 404);
    let state = ec2
        .describe_instances()
        .instance_ids(&theirs)
        .send()
        .await
        .expect("describe")
        .reservations()[0]
        .instances()[0]
        .state()
        .and_then(|state| state.name().cloned())
        .expect("state");
    assert_ne!(state.as_str(), "shutting-down");
}

#[tokio::test]
async fn hostile_requests_get_clear_refusals() {
    let emulator = start();
    let mut browser = Browser::new(&emulator);
    // A sign-in form posted from elsewhere has no token cookie to match.
    let posted = browser.post(
        "/signin",
        &[
            ("as", "root"),
            ("account", &emulator.credentials.account),
            ("password", "x"),
            ("csrf", "forged"),
        ],
    );
    assert_eq!(posted.status, 403);
    browser
        .cookies
        .insert("cloudlings-console".into(), "forged-session".into());
    assert_eq!(browser.get("/home").header("location"), "/signin");
    let off_site = browser.get("/lang?to=ko&back=//evil.example/");
    assert_eq!(off_site.header("location"), "/");
    let korean = browser.get("/lang?to=ko&back=/signin");
    assert_eq!(korean.header("location"), "/signin");
    assert!(text(&browser.get("/signin")).contains("로그인"));
    let large = vec![b'a'; 64 * 1024];
    assert_eq!(browser.send("POST", "/signin", &large).status, 413);
    assert_eq!(browser.send("PUT", "/home", b"").status, 405);
    assert_eq!(
        browser.get("/console.css").header("content-type"),
        "text/css; charset=utf-8"
    );
    sign_in_as_root(&mut browser);
    let missing = browser.get("/ec2/instances/i-0123456789abcdef0/reboot");
    assert_eq!(missing.status, 404);
    assert_eq!(browser.get("/nothing/here").status, 404);
}

#[test]
fn the_shell_s_console_command_gives_the_address_the_root_password_and_the_step() {
    let shell = crate::Cloudlings::new().arg("--lang").arg("en");
    let run = shell
        .session("console\nstart ec2-and-cost\nconsole\nquit\n")
        .success();
    let said = run.answer_to("console", 1);
    assert!(
        said.contains("Console: http://console.localhost:"),
        "{said}"
    );
    let password = said
        .split("password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the root password");
    assert_eq!(password.len(), 19, "{said}");
    // The lesson's first step is a reading: it has nothing to do in the console.
    let step = run.answer_to("console", 2);
    assert!(step.contains("no console directions"), "{step}");
}

/// A multipart form with one file, as a browser posts an upload.
fn multipart(csrf: Option<&str>, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----cloudlings-test-boundary";
    let mut body = Vec::new();
    if let Some(csrf) = csrf {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/svg+xml\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Browser<'_> {
    fn upload(&mut self, path: &str, content_type: &str, body: &[u8]) -> Answer {
        self.send_as("POST", path, Some(content_type), body)
    }
}

#[tokio::test]
async fn buckets_uploads_and_policies_are_guarded() {
    let emulator = start();
    let other = emulator.world.add_account();
    let theirs = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&crate::emulator::config(
            &emulator,
            &other.access_key,
            &other.secret,
        ))
        .force_path_style(true)
        .build(),
    );
    theirs
        .create_bucket()
        .bucket("their-bucket")
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::ApNortheast2)
                .build(),
        )
        .send()
        .await
        .expect("their bucket");
    let mut browser = Browser::new(&emulator);
    sign_in_as_root(&mut browser);
    let made = browser.submit(
        "/s3/create",
        "/s3/create",
        &[("name", "mine-1"), ("block", "on")],
    );
    assert_eq!(
        made.header("location"),
        "/s3/buckets/mine-1",
        "{}",
        text(&made)
    );

    // An upload without the session's token stores nothing; with it, the object is there.
    let (kind, body) = multipart(None, "cat.svg", b"<svg/>");
    assert_eq!(
        browser
            .upload("/s3/buckets/mine-1/upload", &kind, &body)
            .status,
        403
    );
    let token = csrf(&browser.get("/s3/buckets/mine-1"));
    let (kind, body) = multipart(Some(&token), "../../cat.svg", b"<svg/>");
    let uploaded = browser.upload("/s3/buckets/mine-1/upload", &kind, &body);
    assert_eq!(uploaded.status, 303, "{}", text(&uploaded));
    let objects = text(&browser.get("/s3/buckets/mine-1"));
    assert!(
        objects.contains(">cat.svg</td>"),
        "a path in the file name is not the key: {objects}"
    );

    // Another account's bucket is not there to see, to upload to, or to open.
    assert_eq!(browser.get("/s3/buckets/their-bucket").status, 404);
    assert_eq!(
        browser.get("/s3/buckets/their-bucket/permissions").status,
        404
    );
    let (kind, body) = multipart(Some(&token), "x.svg", b"<svg/>");
    assert_eq!(
        browser
            .upload("/s3/buckets/their-bucket/upload", &kind, &body)
            .status,
        404
    );
    let policy = browser.post(
        "/s3/buckets/their-bucket/policy",
        &[("csrf", &token), ("policy", "{}")],
    );
    assert_eq!(policy.status, 404);

    // A policy S3 refuses comes back with S3's error, and what was typed stays text.
    let hostile = "</textarea><script>alert(1)</script>";
    let refused = browser.post(
        "/s3/buckets/mine-1/policy",
        &[("csrf", &token), ("policy", hostile)],
    );
    assert_eq!(refused.status, 400);
    let page = text(&refused);
    assert!(page.contains("MalformedPolicy"), "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(page.contains("&lt;/textarea&gt;&lt;script&gt;"), "{page}");
}

#[tokio::test]
async fn a_key_pair_downloads_once_and_a_password_is_never_shown() {
    let emulator = start();
    let mut browser = Browser::new(&emulator);
    sign_in_as_root(&mut browser);
    let key = browser.submit(
        "/ec2/key-pairs/create",
        "/ec2/key-pairs/create",
        &[("name", "lecture"), ("type", "rsa"), ("format", "pem")],
    );
    assert_eq!(key.status, 200);
    assert_eq!(
        key.header("content-disposition"),
        "attachment; filename=\"lecture.pem\""
    );
    assert!(text(&key).starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let again = browser.submit(
        "/ec2/key-pairs/create",
        "/ec2/key-pairs/create",
        &[("name", "lecture")],
    );
    assert_eq!(again.status, 400);
    assert!(text(&again).contains("InvalidKeyPair.Duplicate"));
    assert!(text(&browser.get("/ec2/key-pairs")).contains(">lecture</td>"));

    let user = browser.submit(
        "/iam/users/create",
        "/iam/users/create",
        &[
            ("user", "admin"),
            ("console", "on"),
            ("password", "Cloud-2026!"),
        ],
    );
    assert_eq!(user.status, 200, "{}", text(&user));
    assert!(
        !text(&user).contains("Cloud-2026!"),
        "the password is not shown back"
    );
    let weak = browser.submit(
        "/iam/users/create",
        "/iam/users/create",
        &[
            ("user", "weak"),
            ("console", "on"),
            ("password", "password"),
        ],
    );
    assert_eq!(weak.status, 400);
    assert!(text(&weak).contains("PasswordPolicyViolation"));
    assert!(
        !text(&browser.get("/iam/users")).contains(">weak</a>"),
        "a refused password leaves no user behind"
    );
}

#[test]
fn lesson_nine_s_clean_up_can_be_done_in_the_console() {
    let emulator = start();
    let work = tempfile::tempdir().expect("work");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (group, distribution) = runtime.block_on(async {
        let config = root(&emulator);
        let ec2 = aws_sdk_ec2::Client::new(&config);
        let group = ec2
            .create_security_group()
            .group_name("web")
            .description("web")
            .send()
            .await
            .expect("group")
            .group_id()
            .expect("id")
            .to_string();
        ec2.create_key_pair()
            .key_name("lecture")
            .send()
            .await
            .expect("key");
        let s3 = crate::s3::s3(&config);
        crate::s3::make_bucket(&s3, "cat-images-9").await;
        s3.put_object()
            .bucket("cat-images-9")
            .key("cat.svg")
            .body(aws_sdk_s3::primitives::ByteStream::from_static(b"<svg/>"))
            .send()
            .await
            .expect("put");
        let cloudfront = aws_sdk_cloudfront::Client::new(&config);
        let oac = crate::cloudfront::access_control(&cloudfront, "cat-images-oac").await;
        let distribution = cloudfront
            .create_distribution()
            .distribution_config(crate::cloudfront::s3_config(
                "cat",
                "cat-images-9",
                Some(&oac),
            ))
            .send()
            .await
            .expect("distribution")
            .distribution()
            .expect("d")
            .id()
            .to_string();
        (group, distribution)
    });
    let dir = tempfile::tempdir().expect("dir");
    let aws = Aws::new(&emulator, dir.path());
    aws.json(&["iam", "create-user", "--user-name", "admin"]);
    aws.json(&[
        "iam",
        "create-login-profile",
        "--user-name",
        "admin",
        "--password",
        PASSWORD,
    ]);
    aws.json(&["iam", "create-access-key", "--user-name", "admin"]);
    admin_phone(&aws, dir.path());

    let mut browser = Browser::new(&emulator);
    sign_in_as_root(&mut browser);
    let page = format!("/ec2/security-groups/{group}");
    assert_eq!(
        browser
            .submit(&page, &format!("{page}/delete"), &[])
            .header("location"),
        "/ec2/security-groups"
    );
    let keys = browser.submit("/ec2/key-pairs", "/ec2/key-pairs/lecture/delete", &[]);
    assert_eq!(keys.header("location"), "/ec2/key-pairs");
    // A bucket with an object in it is refused, in S3's words; emptied, it goes.
    let full = browser.submit(
        "/s3/buckets/cat-images-9",
        "/s3/buckets/cat-images-9/delete",
        &[],
    );
    assert_eq!(full.status, 400);
    assert!(text(&full).contains("BucketNotEmpty"), "{}", text(&full));
    browser.submit(
        "/s3/buckets/cat-images-9",
        "/s3/buckets/cat-images-9/empty",
        &[],
    );
    let gone = browser.submit(
        "/s3/buckets/cat-images-9",
        "/s3/buckets/cat-images-9/delete",
        &[],
    );
    assert_eq!(gone.header("location"), "/s3");
    // A distribution is deleted once disabled and deployed, as CloudFront wants.
    let page = format!("/cloudfront/{distribution}");
    advance(&emulator, 300);
    let early = browser.submit(&page, &format!("{page}/delete"), &[]);
    assert!(
        text(&early).contains("DistributionNotDisabled"),
        "{}",
        text(&early)
    );
    browser.submit(&page, &format!("{page}/disable"), &[]);
    advance(&emulator, 300);
    let deleted = browser.submit(&page, &format!("{page}/delete"), &[]);
    assert_eq!(
        deleted.header("location"),
        "/cloudfront",
        "{}",
        text(&deleted)
    );
    let controls = text(&browser.get("/cloudfront/origin-access"));
    let oac = controls
        .split("/cloudfront/origin-access/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the control's delete form")
        .to_string();
    let removed = browser.submit(
        "/cloudfront/origin-access",
        &format!("/cloudfront/origin-access/{oac}/delete"),
        &[],
    );
    assert_eq!(removed.header("location"), "/cloudfront/origin-access");
    // The user goes with its password, MFA device and key.
    let user = browser.submit("/iam/users/admin", "/iam/users/admin/delete", &[]);
    assert_eq!(user.header("location"), "/iam/users", "{}", text(&user));
    drop(runtime);
    crate::console_browser::checks_pass(
        &emulator,
        work.path(),
        "clean-up",
        &[
            "groups-and-keys",
            "empty-the-bucket",
            "disable-distribution",
            "delete-distribution",
            "mfa-and-user",
        ],
    );
}

#[test]
fn the_class_serves_the_console_to_its_learners_under_console() {
    use crate::classroom::{Room, free_port};
    let state = tempfile::tempdir().expect("state");
    let room = Room::start(state.path(), 10, (free_port(), free_port()));
    let addr: std::net::SocketAddr = room.address.parse().expect("address");
    let ask = |method: &str, path: &str, cookie: &str, body: &[u8]| {
        let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded")];
        if !cookie.is_empty() {
            headers.push(("Cookie", cookie));
        }
        raw_request(addr, method, &room.address, path, &headers, body)
    };
    // Not a learner of the class: sent to join first.
    let stranger = ask("GET", "/console/signin", "", b"");
    assert_eq!(stranger.status, 303);
    assert_eq!(stranger.header("location"), "/");

    let learner = crate::web_terminal::join(&room, "Ana", "en");
    let me: serde_json::Value =
        serde_json::from_slice(&ask("GET", "/api/me", &learner, b"").body).expect("me");
    let account = me["Account"].as_str().expect("account").to_string();
    let password = me["ConsolePassword"]
        .as_str()
        .expect("password")
        .to_string();
    let page = ask("GET", "/console/signin?as=root", &learner, b"");
    assert_eq!(page.status, 200);
    let html = text(&page);
    assert!(html.contains("action=\"/console/signin\""), "{html}");
    assert!(html.contains("href=\"/console/console.css\""), "{html}");
    let form_cookie = page
        .header("set-cookie")
        .split(';')
        .next()
        .expect("the form's cookie")
        .to_string();
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("as", "root"),
            ("account", account.as_str()),
            ("password", password.as_str()),
            ("csrf", csrf(&page).as_str()),
        ])
        .finish();
    let cookies = format!("{learner}; {form_cookie}");
    let signed = ask("POST", "/console/signin", &cookies, form.as_bytes());
    assert_eq!(signed.status, 303, "{}", text(&signed));
    assert_eq!(signed.header("location"), "/console/home");
    let session = signed
        .header("set-cookie")
        .split(';')
        .next()
        .expect("the session")
        .to_string();
    let home = ask(
        "GET",
        "/console/home",
        &format!("{learner}; {session}"),
        b"",
    );
    assert_eq!(home.status, 200);
    let html = text(&home);
    assert!(html.contains("href=\"/console/ec2/instances\""), "{html}");
    assert!(html.contains(&account), "the learner's own account: {html}");
    room.kill();
}
