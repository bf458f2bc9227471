//! The shell's `curl` on the emulated network: an instance's web server before and after nginx,
//! a security group that drops port 80, and a CloudFront distribution at the edge.

use aws_sdk_s3::primitives::ByteStream;
use cloudlings_emulator::Emulator;

use crate::Cloudlings;
use crate::emulator::root;
use crate::s3::{make_bucket, s3};
use crate::ssh::Cloud;

#[tokio::test]
async fn an_instance_serves_http_once_nginx_runs() {
    let cloud = Cloud::new(0o400, &[22, 80]).await;
    let page = format!("curl http://{}/", cloud.dns);
    let head = format!("curl -I http://{}/", cloud.ip);
    let install = cloud.ssh("'sudo apt update && sudo apt install -y nginx'");
    let run = cloud
        .shell
        .session(&format!("{page}\n{install}\n{page}\n{head}\nquit\n"))
        .success();
    let before = run.answer_to(&page, 1);
    let refused = format!(
        "curl: (7) Failed to connect to {} port 80 after ",
        cloud.dns
    );
    assert!(
        before.starts_with(&refused)
            && before.contains(" ms: Couldn't connect to server\nHint: the instance answered")
            && before.ends_with("(exited with 7)"),
        "{before}"
    );
    let after = run.answer_to(&page, 2);
    assert!(
        after.contains("<title>Welcome to nginx!</title>"),
        "{}",
        run.stdout()
    );
    let headers = run.answer_to(&head, 1);
    assert!(
        headers.starts_with("HTTP/1.1 200 OK\n")
            && headers.to_ascii_lowercase().contains("server: nginx"),
        "{headers}"
    );
}

#[tokio::test]
async fn a_group_without_port_80_drops_the_request() {
    let cloud = Cloud::new(0o400, &[22]).await;
    let curl = format!("curl http://{}/", cloud.dns);
    let silent = format!("curl -s http://{}/", cloud.dns);
    let run = cloud
        .shell
        .session(&format!("{curl}\n{silent}\nquit\n"))
        .success();
    let answer = run.answer_to(&curl, 1);
    let prefix = format!(
        "curl: (28) Failed to connect to {} port 80 after ",
        cloud.dns
    );
    let elapsed: u64 = answer
        .strip_prefix(&prefix)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|ms| ms.parse().ok())
        .unwrap_or_else(|| panic!("{answer}"));
    assert!(
        (1000..10_000).contains(&elapsed),
        "the real wait is reported: {answer}"
    );
    assert!(
        answer.contains(" ms: Timeout was reached\nHint: nothing answered.")
            && answer.ends_with("(exited with 28)"),
        "{answer}"
    );
    assert_eq!(run.answer_to(&silent, 1), "(exited with 28)");
}

/// `-m` bounds the whole command, the connection included: a dropped connection ends when
/// the learner's limit does, not when the network gives up, in curl's words for it.
#[tokio::test]
async fn max_time_ends_a_dropped_connection() {
    let cloud = Cloud::new(0o400, &[22]).await;
    let curl = format!("curl -m 0.3 http://{}/", cloud.dns);
    let run = cloud.shell.session(&format!("{curl}\nquit\n")).success();
    let answer = run.answer_to(&curl, 1);
    let elapsed: u64 = answer
        .strip_prefix("curl: (28) Connection timed out after ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|ms| ms.parse().ok())
        .unwrap_or_else(|| panic!("{answer}"));
    assert!((300..900).contains(&elapsed), "{answer}");
    assert!(
        answer.contains(" milliseconds\n") && answer.ends_with("(exited with 28)"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_distribution_answers_at_its_domain() {
    let shell = Cloudlings::new().arg("--lang").arg("en");
    let domain = {
        let emulator =
            Emulator::start(0, Some(&shell.data_dir().join("emulator"))).expect("emulator");
        let config = root(&emulator);
        let s3 = s3(&config);
        make_bucket(&s3, "site").await;
        s3.put_object()
            .bucket("site")
            .key("index.html")
            .content_type("text/html")
            .body(ByteStream::from_static(b"<h1>hello from the edge</h1>\n"))
            .send()
            .await
            .expect("PutObject");
        // A page that would clear the screen and retitle the window, were it obeyed.
        s3.put_object()
            .bucket("site")
            .key("trick.txt")
            .content_type("text/plain")
            .body(ByteStream::from_static(
                b"title\x1b]0;pwned\x07\x1b[2J done\xff\n",
            ))
            .send()
            .await
            .expect("PutObject");
        s3.delete_public_access_block()
            .bucket("site")
            .send()
            .await
            .expect("unblock");
        s3.put_bucket_policy()
            .bucket("site")
            .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}]}"#)
            .send()
            .await
            .expect("public");
        let cloudfront = aws_sdk_cloudfront::Client::new(&config);
        let created = cloudfront
            .create_distribution()
            .distribution_config(crate::cloudfront::s3_config("curl", "site", None))
            .send()
            .await
            .expect("CreateDistribution");
        created.distribution().expect("d").domain_name().to_string()
    };
    let page = format!("curl https://{domain}/");
    let verbose = format!("curl -v http://{domain}/index.html");
    let unknown = "curl https://dnosuchdistribution.cloudfront.net/";
    let trick = format!("curl http://{domain}/trick.txt");
    let run = shell
        .session(&format!(
            "clock advance 3m\n{page}\n{verbose}\n{unknown}\n{trick}\nquit\n"
        ))
        .success();
    assert_eq!(
        run.answer_to(&trick, 1),
        "title^[]0;pwned^G^[[2J done\u{fffd}",
        "a control sequence in a page is shown, not obeyed"
    );
    assert_eq!(run.answer_to(&page, 1), "<h1>hello from the edge</h1>");
    let shown = run.answer_to(&verbose, 1);
    assert!(
        shown.contains(&format!("> GET /index.html HTTP/1.1\n> Host: {domain}\n"))
            && shown.contains("< HTTP/1.1 200 OK")
            && shown.contains("<h1>hello from the edge</h1>"),
        "{shown}"
    );
    assert_eq!(
        run.answer_to(unknown, 1),
        "curl: (6) Could not resolve host: dnosuchdistribution.cloudfront.net\n(exited with 6)"
    );
}
