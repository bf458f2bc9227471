//! The CloudFront edge with a plain HTTP client: a private bucket behind Origin Access Control,
//! the bucket policy deciding, Miss then Hit, Age on the simulated clock, invalidations,
//! DefaultRootObject, and nothing served once the distribution is disabled.

use std::io::{Read, Write};

use aws_sdk_cloudfront::types::{InvalidationBatch, Paths};
use aws_sdk_s3::primitives::ByteStream;
use cloudlings_emulator::Emulator;

use crate::cloudfront::{access_control, s3_config};
use crate::emulator::{Answer, advance, raw_get, root, start};
use crate::s3::{make_bucket, s3};

/// GET from the edge with the `Host` a browser sends for the distribution's name.
pub fn edge_get(emulator: &Emulator, domain_name: &str, path: &str) -> Answer {
    let label = domain_name.trim_end_matches(".cloudfront.net");
    let host = format!("{label}.cloudfront.localhost:{}", emulator.edge_addr.port());
    raw_get(emulator.edge_addr, &host, path)
}

fn oac_policy(bucket: &str, distribution_arn: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AllowCloudFrontServicePrincipal","Effect":"Allow","Principal":{{"Service":"cloudfront.amazonaws.com"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{bucket}/*","Condition":{{"StringEquals":{{"AWS:SourceArn":"{distribution_arn}"}}}}}}]}}"#
    )
}

#[tokio::test]
async fn a_private_bucket_served_through_origin_access_control() {
    let emulator = start();
    let config = root(&emulator);
    let s3 = s3(&config);
    let cloudfront = aws_sdk_cloudfront::Client::new(&config);
    make_bucket(&s3, "front-images").await;
    let cat: Vec<u8> = (0..50_000u32).map(|i| (i * 31 % 256) as u8).collect();
    for (key, bytes, kind) in [
        ("cat.png", cat.clone(), "image/png"),
        ("index.html", b"<h1>welcome</h1>".to_vec(), "text/html"),
    ] {
        s3.put_object()
            .bucket("front-images")
            .key(key)
            .content_type(kind)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .expect("put");
    }
    let oac = access_control(&cloudfront, "front-oac").await;
    let created = cloudfront
        .create_distribution()
        .distribution_config(s3_config("front", "front-images", Some(&oac)))
        .send()
        .await
        .expect("distribution");
    let distribution = created.distribution().expect("d");
    let (id, domain, arn) = (
        distribution.id().to_string(),
        distribution.domain_name().to_string(),
        distribution.arn().to_string(),
    );

    // Not yet deployed: nothing is served.
    assert_eq!(edge_get(&emulator, &domain, "/cat.png").status, 403);
    advance(&emulator, 180);

    // Deployed, but the bucket does not let CloudFront in yet.
    let denied = edge_get(&emulator, &domain, "/cat.png");
    assert_eq!(denied.status, 403);
    assert!(String::from_utf8_lossy(&denied.body).contains("<Code>AccessDenied</Code>"));
    assert_eq!(denied.header("x-cache"), "Error from cloudfront");

    // A policy for another distribution does not help; one for this distribution does.
    let other = format!("{}EXAMPLE", &arn[..arn.len() - 7]);
    s3.put_bucket_policy()
        .bucket("front-images")
        .policy(oac_policy("front-images", &other))
        .send()
        .await
        .expect("policy for another distribution");
    assert_eq!(edge_get(&emulator, &domain, "/cat.png").status, 403);
    s3.put_bucket_policy()
        .bucket("front-images")
        .policy(oac_policy("front-images", &arn))
        .send()
        .await
        .expect("the console's OAC policy is not public, so Block Public Access allows it");

    let first = edge_get(&emulator, &domain, "/cat.png");
    assert_eq!(first.status, 200);
    assert_eq!(first.body, cat, "byte-identical");
    assert_eq!(first.header("x-cache"), "Miss from cloudfront");
    assert_eq!(first.header("content-type"), "image/png");
    assert!(
        first
            .header("via")
            .ends_with(".cloudfront.net (CloudFront)")
    );
    assert!(!first.header("x-amz-cf-id").is_empty());
    let second = edge_get(&emulator, &domain, "/cat.png");
    assert_eq!(
        (second.status, second.header("x-cache")),
        (200, "Hit from cloudfront")
    );
    assert_eq!(second.body, cat);

    // The real name leads to the edge through the emulated network: a check's HTTP probe
    // (a tunnel), and a browser that uses the endpoint as its proxy (the absolute form).
    let context = cloudlings::check::Context::new(std::env::temp_dir()).with_target(
        cloudlings::target::Target::emulator(&emulator.endpoint(), &emulator.credentials),
    );
    let probed = cloudlings::check::Probe::Http(format!("http://{domain}/cat.png"))
        .observe(&context)
        .expect("probe");
    assert_eq!(probed["status"], 200, "{probed}");
    assert_eq!(probed["headers"]["x-cache"], "Hit from cloudfront");
    assert_eq!(
        probed["sha256"],
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&cat))
    );
    let proxied = raw_get(emulator.addr, &domain, &format!("http://{domain}/cat.png"));
    assert_eq!((proxied.status, &proxied.body), (200, &cat));
    let elsewhere = raw_get(
        emulator.addr,
        "d0000000000000.cloudfront.net",
        "http://d0000000000000.cloudfront.net/cat.png",
    );
    assert_eq!(elsewhere.status, 404, "not an emulated distribution");
    advance(&emulator, 10);
    let later = raw_get(
        emulator.edge_addr,
        &emulator.edge_addr.to_string(),
        &format!("/{domain}/cat.png"),
    );
    assert_eq!(
        (later.header("x-cache"), later.header("age")),
        ("Hit from cloudfront", "10")
    );

    // The bucket itself stays private.
    assert_eq!(
        crate::s3::anonymous_get(&emulator, "/front-images/cat.png").0,
        403
    );
    // Also by its public name, through the emulated network, as a browser or curl asks.
    let public = cloudlings::check::Probe::Http(
        "http://front-images.s3.ap-northeast-2.amazonaws.com/cat.png".into(),
    )
    .observe(&context)
    .expect("probe");
    assert_eq!(public["status"], 403, "{public}");
    assert!(
        public["text"]
            .as_str()
            .is_some_and(|text| text.contains("AccessDenied"))
    );

    // A new version is not seen until an invalidation.
    s3.put_object()
        .bucket("front-images")
        .key("cat.png")
        .content_type("image/png")
        .body(ByteStream::from_static(b"new cat"))
        .send()
        .await
        .expect("overwrite");
    assert_eq!(edge_get(&emulator, &domain, "/cat.png").body, cat);
    cloudfront
        .create_invalidation()
        .distribution_id(&id)
        .invalidation_batch(
            InvalidationBatch::builder()
                .caller_reference("new-cat")
                .paths(
                    Paths::builder()
                        .quantity(1)
                        .items("/cat.png")
                        .build()
                        .expect("paths"),
                )
                .build()
                .expect("batch"),
        )
        .send()
        .await
        .expect("invalidation");
    let fresh = edge_get(&emulator, &domain, "/cat.png");
    assert_eq!(
        (fresh.header("x-cache"), fresh.body.as_slice()),
        ("Miss from cloudfront", &b"new cat"[..])
    );

    let home = edge_get(&emulator, &domain, "/");
    assert_eq!(
        (home.status, home.body.as_slice()),
        (200, &b"<h1>welcome</h1>"[..])
    );
    assert_eq!(
        edge_get(&emulator, &domain, "/missing.png").status,
        403,
        "no ListBucket: missing keys look denied"
    );

    // Disabled: nothing served any more, cached or not.
    let current = cloudfront
        .get_distribution_config()
        .id(&id)
        .send()
        .await
        .expect("config");
    let mut config = current.distribution_config().expect("config").clone();
    config.enabled = false;
    cloudfront
        .update_distribution()
        .id(&id)
        .if_match(current.e_tag().expect("etag"))
        .distribution_config(config)
        .send()
        .await
        .expect("disable");
    assert_eq!(edge_get(&emulator, &domain, "/cat.png").status, 403);
}

#[tokio::test]
async fn without_access_control_the_edge_asks_anonymously() {
    let emulator = start();
    let config = root(&emulator);
    let s3 = s3(&config);
    let cloudfront = aws_sdk_cloudfront::Client::new(&config);
    make_bucket(&s3, "open-site").await;
    s3.put_object()
        .bucket("open-site")
        .key("index.html")
        .content_type("text/html")
        .cache_control("max-age=30")
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await
        .expect("put");
    let created = cloudfront
        .create_distribution()
        .distribution_config(s3_config("open", "open-site", None))
        .send()
        .await
        .expect("distribution");
    let domain = created.distribution().expect("d").domain_name().to_string();
    advance(&emulator, 180);
    assert_eq!(
        edge_get(&emulator, &domain, "/").status,
        403,
        "a private bucket refuses anonymous requests"
    );

    s3.delete_public_access_block()
        .bucket("open-site")
        .send()
        .await
        .expect("unblock");
    s3.put_bucket_policy()
        .bucket("open-site")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::open-site/*"}]}"#)
        .send()
        .await
        .expect("public");
    let page = edge_get(&emulator, &domain, "/");
    assert_eq!((page.status, page.body.as_slice()), (200, &b"hello"[..]));
    // The object's max-age=30 sets the TTL: fresh at 29 s, fetched again at 30 s.
    advance(&emulator, 29);
    assert_eq!(
        edge_get(&emulator, &domain, "/").header("x-cache"),
        "Hit from cloudfront"
    );
    advance(&emulator, 1);
    assert_eq!(
        edge_get(&emulator, &domain, "/").header("x-cache"),
        "Miss from cloudfront"
    );

    assert_eq!(
        edge_get(&emulator, "dnosuchdomain0.cloudfront.net", "/").status,
        404
    );
    assert_eq!(
        emulator.edge_url(&domain),
        format!(
            "http://{}.cloudfront.localhost:{}/",
            domain.trim_end_matches(".cloudfront.net"),
            emulator.edge_addr.port()
        )
    );
}

#[test]
fn hostile_requests_to_the_edge_get_errors_and_it_goes_on() {
    let emulator = start();
    let port = emulator.edge_addr.port();
    for (host, path) in [
        (
            format!("d0000000000000.cloudfront.localhost:{port}"),
            "/../../../../etc/passwd",
        ),
        (format!("127.0.0.1:{port}"), "/%00%ff/..%2f..%2fetc/shadow"),
        (format!("127.0.0.1:{port}"), "/"),
        (
            format!("{}.cloudfront.localhost:{port}", "x".repeat(300)),
            "/a",
        ),
    ] {
        let answer = raw_get(emulator.edge_addr, &host, path);
        assert!(
            answer.status == 404 || answer.status == 403,
            "{host}{path}: {answer:?}"
        );
        assert!(!String::from_utf8_lossy(&answer.body).contains("root:"));
    }
    for garbage in [
        &b"\x00\x01\x02garbage\r\n\r\n"[..],
        b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
    ] {
        let mut stream = std::net::TcpStream::connect(emulator.edge_addr).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(2)))
            .expect("timeout");
        stream.write_all(garbage).expect("write");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
    }
    let host = format!("127.0.0.1:{port}");
    assert_eq!(
        raw_get(emulator.edge_addr, &host, "/dabc.cloudfront.net/x").status,
        404,
        "still serving"
    );
}
