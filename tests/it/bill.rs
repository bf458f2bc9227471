//! The shell's `clock`, `bill` and `edge` on the embedded emulator, after real SDK calls.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{Filter, InstanceType};
use cloudlings_emulator::Emulator;

use crate::Cloudlings;
use crate::emulator::root;

/// Launches instances in the shell's own emulator state, as a learner's second terminal would.
async fn launch(shell: &Cloudlings, instance_type: InstanceType, windows: bool) {
    let emulator = Emulator::start(0, Some(&shell.data_dir().join("emulator"))).expect("emulator");
    let ec2 = Client::new(&root(&emulator));
    let filter = if windows {
        ("platform", "windows")
    } else {
        ("name", "ubuntu/*")
    };
    let images = ec2
        .describe_images()
        .filters(Filter::builder().name(filter.0).values(filter.1).build())
        .send()
        .await
        .expect("images");
    ec2.run_instances()
        .image_id(images.images()[0].image_id().expect("id"))
        .instance_type(instance_type)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("run");
}

#[tokio::test]
async fn the_bill_grows_with_the_clock() {
    let shell = Cloudlings::new().arg("--lang").arg("en");
    shell
        .session("bill\n")
        .success()
        .stdout_has("No charges this month")
        .stdout_has("$0.00");
    launch(&shell, InstanceType::T3Medium, false).await;
    let run = shell
        .session("clock advance 2h\nbill\nclock advance soon\n")
        .success();
    let clock = run.answer_to("clock advance 2h", 1);
    assert!(
        clock.contains("The clock moved forward 2h.") && clock.contains("(2h ahead of real time)"),
        "{clock}"
    );
    let bill = run.answer_to("bill", 1);
    assert!(bill.contains("Asia Pacific (Seoul)"), "{bill}");
    assert!(
        bill.contains("$0.052 per On Demand Linux t3.medium Instance Hour"),
        "{bill}"
    );
    // Two hours less the ten seconds of boot: 1.997 hours, $0.10.
    assert!(
        bill.contains("1.997 Hrs") && bill.contains("$0.10"),
        "{bill}"
    );
    assert!(
        run.answer_to("clock advance soon", 1)
            .contains("`soon` is not a duration")
    );
}

#[tokio::test]
async fn the_free_tier_pays_for_a_t2_micro() {
    let shell = Cloudlings::new().arg("--lang").arg("ko");
    launch(&shell, InstanceType::T2Micro, false).await;
    let run = shell.session("clock advance 10h\nbill\n").success();
    let bill = run.answer_to("bill", 1);
    assert!(
        bill.contains("$0.0144 per On Demand Linux t2.micro Instance Hour"),
        "{bill}"
    );
    assert!(
        bill.contains("프리 티어: t2.micro/t3.micro (Linux) 월 750시간 중 9.997시간 사용"),
        "{bill}"
    );
    assert!(bill.contains("월 청구서 · 계정"), "{bill}");
    // The region as the Korean console names it.
    assert!(bill.contains("\n  아시아 태평양(서울)\n"), "{bill}");
    assert!(
        bill.lines()
            .any(|l| l.starts_with("합계") && l.ends_with("$0.00")),
        "{bill}"
    );
}

#[tokio::test]
async fn edge_shows_where_each_distribution_opens() {
    let shell = Cloudlings::new().arg("--lang").arg("en");
    shell
        .session("edge\n")
        .success()
        .stdout_has("No CloudFront distributions yet");
    let domain = {
        let emulator =
            Emulator::start(0, Some(&shell.data_dir().join("emulator"))).expect("emulator");
        let cloudfront = aws_sdk_cloudfront::Client::new(&root(&emulator));
        let created = cloudfront
            .create_distribution()
            .distribution_config(crate::cloudfront::s3_config("shell", "photos", None))
            .send()
            .await
            .expect("distribution");
        created.distribution().expect("d").domain_name().to_string()
    };
    let label = domain.trim_end_matches(".cloudfront.net");
    let run = shell
        .session("edge\nclock advance 3m\nedge\nlang ko\nedge\n")
        .success();
    let first = run.answer_to("edge", 1);
    assert!(
        first.contains(&domain)
            && first.contains("deploying")
            && first.contains(&format!("open http://{label}.cloudfront.localhost:")),
        "{first}"
    );
    let output = run.stdout();
    assert!(output.contains("serving"), "{output}");
    assert!(
        output.contains("서비스 중") && output.contains("열기: http://"),
        "{output}"
    );
}
