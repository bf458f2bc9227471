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
    let widest = bill.lines().map(console::measure_text_width).max();
    assert!(widest <= Some(80), "{widest:?} columns:\n{bill}");
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

/// Moves the shell's simulated clock to a minute into the next month of 31 days, so that 30
/// days of it stay inside one bill.
fn to_the_start_of_a_long_month(shell: &Cloudlings) {
    let emulator = Emulator::start(0, Some(&shell.data_dir().join("emulator"))).expect("emulator");
    let now = emulator.world.now();
    let mut month = cloudlings_emulator::billing::month_start(now);
    loop {
        month = cloudlings_emulator::billing::month_start(month + time::Duration::days(32));
        if cloudlings_emulator::billing::month_seconds(month) == 31 * 86_400 {
            break;
        }
    }
    emulator
        .world
        .advance_clock(month + time::Duration::minutes(1) - now)
        .expect("save");
}

/// A t2.micro forgotten for 30 days in Seoul, with its public IPv4 address and its 8 GiB gp3
/// root volume, billed on each free plan as AWS would bill it. The credit plan launches no
/// t2.micro, so there it is the plan's t3.micro.
#[tokio::test]
async fn a_forgotten_instance_bills_instance_address_and_volume_on_every_plan() {
    use cloudlings_core::prices;
    let region = "ap-northeast-2";
    let ipv4 = prices::public_ipv4_hourly(region);
    let gp3 = prices::ebs_gb_month(region, "gp3").expect("priced");
    // 30 days = 720 hours of the instance (less its 10-second boot) and of its address; the
    // volume is 8 GB for 30 of the month's 31 days: 8 x 30/31 GB-months.
    let address = 720.0 * ipv4; // 3.60
    let volume = 8.0 * 30.0 / 31.0 * gp3; // 0.70606
    let cents = |usd: f64| format!("${usd:.2}");
    let t2 = 720.0 * prices::hourly(region, "t2.micro", false).expect("priced"); // 10.368
    let t3 = 720.0 * prices::hourly(region, "t3.micro", false).expect("priced"); // 9.36
    assert_eq!(
        [
            t2,
            address,
            volume,
            t2 + address + volume,
            t3 + address + volume
        ]
        .map(cents),
        ["$10.37", "$3.60", "$0.71", "$14.67", "$13.67"]
    );

    for (plan, kind, instance) in [
        ("none", InstanceType::T2Micro, t2),
        ("legacy", InstanceType::T2Micro, t2),
        ("credits", InstanceType::T3Micro, t3),
    ] {
        let shell = Cloudlings::new()
            .arg("--lang")
            .arg("en")
            .arg("--free-plan")
            .arg(plan);
        shell.session("quit\n").success();
        to_the_start_of_a_long_month(&shell);
        launch(&shell, kind.clone(), false).await;
        let run = shell.session("clock advance 30d\nbill\n").success();
        let bill = run.answer_to("bill", 1);
        let line = |what: &str| {
            bill.lines()
                .find(|line| line.contains(what))
                .unwrap_or_else(|| panic!("{plan}: no `{what}` in\n{bill}"))
                .to_string()
        };
        let instance_line = line(&format!(
            "per On Demand Linux {} Instance Hour",
            kind.as_str()
        ));
        assert!(instance_line.ends_with(&cents(instance)), "{plan}: {bill}");
        let address_line = line("$0.005 per In-use public IPv4 address per hour");
        assert!(
            address_line.contains("720.0") && address_line.ends_with(&cents(address)),
            "{plan}: {bill}"
        );
        // The console's long description wraps under itself, the amounts beside its start,
        // so that the bill fits an 80-column terminal.
        let volume_line = line("$0.0912 per GB-month of General Purpose SSD (gp3)");
        assert!(
            volume_line.contains("7.742 GB-Mo") && volume_line.ends_with(&cents(volume)),
            "{plan}: {bill}"
        );
        assert!(
            bill.contains("\n      provisioned storage - Asia Pacific (Seoul)\n"),
            "{plan}: {bill}"
        );
        let widest = bill.lines().map(console::measure_text_width).max();
        assert!(widest <= Some(80), "{plan}: {widest:?} columns:\n{bill}");
        assert!(bill.contains("\nVirtual Private Cloud\n"), "{plan}: {bill}");
        let total = line("Total");
        let owed = match plan {
            "none" => cents(instance + address + volume),
            "legacy" => {
                // Each allowance covers its line whole: 720 of 750 hours, 720 of 750
                // address-hours, 7.742 of 30 GB-months.
                let free = |what: &str, usd: f64| {
                    assert!(line(what).ends_with(&format!("-{}", cents(usd))), "{bill}");
                };
                free("t2.micro/t3.micro (Linux)", instance);
                free("of public IPv4", address);
                free("of EBS storage", volume);
                "$0.00".into()
            }
            _ => {
                let credits = line("Credits (free plan)");
                assert!(
                    credits.ends_with(&format!("-{}", cents(instance + address + volume))),
                    "{bill}"
                );
                "$0.00".into()
            }
        };
        assert!(total.ends_with(&owed), "{plan}: {bill}");
    }
}
