//! A shell on `--target endpoint` that meets a cloudlings server there (`cloudlings serve`, a
//! classroom): its learner's own clock and bill, "My IP" as the server sees it, and the edge
//! and instances reached through the server's gateway.

use aws_sdk_s3::primitives::ByteStream;
use cloudlings_emulator::Emulator;

use crate::Cloudlings;
use crate::emulator::config;
use crate::s3::make_bucket;

fn learner_shell(emulator: &Emulator, keys: &cloudlings_emulator::Credentials) -> Cloudlings {
    Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .arg("--target")
        .arg("endpoint")
        .arg("--endpoint-url")
        .arg(emulator.endpoint())
        .env("AWS_ACCESS_KEY_ID", &keys.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &keys.secret)
}

/// A public page behind a distribution, in `config`'s account; the distribution's domain.
async fn site(config: &aws_config::SdkConfig) -> String {
    let s3 = aws_sdk_s3::Client::new(config);
    make_bucket(&s3, "learner-site").await;
    s3.put_object()
        .bucket("learner-site")
        .key("index.html")
        .content_type("text/html")
        .body(ByteStream::from_static(b"<h1>through the gateway</h1>\n"))
        .send()
        .await
        .expect("PutObject");
    s3.delete_public_access_block()
        .bucket("learner-site")
        .send()
        .await
        .expect("unblock");
    s3.put_bucket_policy()
        .bucket("learner-site")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::learner-site/*"}]}"#)
        .send()
        .await
        .expect("public");
    aws_sdk_cloudfront::Client::new(config)
        .create_distribution()
        .distribution_config(crate::cloudfront::s3_config("site", "learner-site", None))
        .send()
        .await
        .expect("CreateDistribution")
        .distribution()
        .expect("distribution")
        .domain_name()
        .to_string()
}

#[tokio::test]
async fn a_shell_at_a_server_has_its_own_clock_bill_and_network() {
    let emulator = Emulator::start(0, None).expect("emulator");
    emulator
        .world
        .net
        .set_drop_timeout(std::time::Duration::from_millis(300));
    let keys = emulator.world.add_account();
    let learner = config(&emulator, &keys.access_key, &keys.secret);
    let ec2 = aws_sdk_ec2::Client::new(&learner);
    let instance = crate::clocks::launch(&learner).await;
    let domain = site(&learner).await;

    let page = format!("curl https://{domain}/");
    let run = learner_shell(&emulator, &keys)
        .session(&format!(
            "clock\n{page}\nclock advance 2h\nbill\nmyip\n{page}\nquit\n"
        ))
        .success();
    assert!(
        run.answer_to("clock", 1)
            .contains("(0s ahead of real time)"),
        "{}",
        run.stdout()
    );
    assert!(
        run.answer_to(&page, 1).contains("DistributionNotServing"),
        "not deployed before the learner's clock moves: {}",
        run.stdout()
    );
    assert!(
        run.answer_to("clock advance 2h", 1)
            .contains("(2h ahead of real time)"),
        "{}",
        run.stdout()
    );
    let bill = run.answer_to("bill", 1);
    assert!(
        bill.contains(&keys.account)
            && bill.contains("$0.052 per On Demand Linux t3.medium Instance Hour")
            && bill.contains("1.997 Hrs"),
        "{bill}"
    );
    let source = cloudlings_emulator::net::learner_address(&emulator.world.lock()).to_string();
    assert!(
        run.answer_to("myip", 1).starts_with(&source),
        "{}",
        run.stdout()
    );
    assert_eq!(run.answer_to(&page, 2), "<h1>through the gateway</h1>");

    // The installation's own account stayed in its own time.
    let own = emulator.world.root_credentials().expect("root").account;
    let lead = emulator.world.now_for(&keys.account) - emulator.world.now_for(&own);
    assert!((lead - time::Duration::hours(2)).abs() < time::Duration::seconds(5));

    // An instance is reached through the gateway, which knows its address: with port 80
    // open and nothing listening, the connection is refused at once, where a direct dial
    // would have gone out to whoever holds that address on the internet.
    let described = ec2
        .describe_instances()
        .instance_ids(&instance)
        .send()
        .await
        .expect("describe");
    let found = &described.reservations()[0].instances()[0];
    let address = found.public_ip_address().expect("address").to_string();
    ec2.authorize_security_group_ingress()
        .group_id(found.security_groups()[0].group_id().expect("group"))
        .ip_protocol("tcp")
        .from_port(80)
        .to_port(80)
        .cidr_ip("0.0.0.0/0")
        .send()
        .await
        .expect("open 80");
    let curl = format!("curl -m 5 http://{address}/");
    let run = learner_shell(&emulator, &keys)
        .session(&format!("{curl}\nquit\n"))
        .success();
    let refused = run.answer_to(&curl, 1);
    assert!(
        refused.starts_with(&format!(
            "curl: (7) Failed to connect to {address} port 80 after "
        )) && refused.contains("Hint: the instance answered"),
        "{refused}"
    );
}
