//! What the shell says on the AWS target, in English and Korean.

use super::Caller;
use super::found::Found;
use super::guard::{Charge, usd};
use super::spend::Estimate;
use crate::lang::{Lang, Particle, tr};
use cloudlings_core::operation::Resource;
use cloudlings_core::prices;

/// The greeting on `--target aws`: who, where, and what the shell does about money.
pub fn banner(
    lang: Lang,
    caller: &Caller,
    region: &str,
    region_chosen: bool,
    session: &str,
    endpoint: Option<&str>,
) -> String {
    let account = &caller.account;
    let arn = &caller.arn;
    let title = prices::region_title(region);
    let title_ko = prices::region_title_ko(region);
    let ro = Particle::EuroRo.after(arn);
    let mut text = tr!(
        lang,
        "Target: AWS account {account}, as {arn}, in {region} ({title}).",
        "대상: AWS 계정 {account}, {title_ko} 리전 {region}, {arn}{ro} 로그인."
    );
    text.push('\n');
    text.push_str(&match endpoint {
        Some(url) => {
            let ga = Particle::IGa.after(url);
            tr!(
                lang,
                "{url} stands in for AWS: it answers the API, but hosts on it cannot be reached. Prices are shown as AWS bills them.",
                "{url}{ga} AWS를 대신합니다. API에는 응답하지만 그 안의 호스트에는 접속할 수 없습니다. 가격은 AWS가 청구하는 대로 보여 줍니다."
            )
        }
        None => tr!(
            lang,
            "This is a real account: what you create here costs real money.",
            "실제 계정입니다. 여기서 만드는 리소스에는 실제 요금이 부과됩니다."
        ),
    });
    text.push('\n');
    text.push_str(&tr!(
        lang,
        "  - Before a command creates something billed, the shell shows its price and asks first.
  - Everything the shell creates is tagged cloudlings:session={session}.
  - `bill` estimates what this session has spent; `cleanup` deletes what it made.",
        "  - 요금이 붙는 것을 만드는 명령은 실행 전에 가격을 보여 주고 먼저 묻습니다.
  - 셸이 만드는 모든 것에 cloudlings:session={session} 태그가 붙습니다.
  - `bill`은 이 세션에서 쓴 금액을 추정하고, `cleanup`은 이 세션이 만든 것을 지웁니다."
    ));
    if !region_chosen {
        let reul = Particle::EulReul.after(region);
        text.push('\n');
        text.push_str(&tr!(
            lang,
            "No region is configured, so the lecture's is used: {region}. `--region` picks another.",
            "설정된 리전이 없어 강의에서 쓰는 리전 {region}{reul} 사용합니다. 다른 리전은 `--region`으로 고르세요."
        ));
    }
    if caller.is_root() {
        text.push_str("\n\n");
        text.push_str(&root_warning(lang));
    }
    text
}

pub fn root_warning(lang: Lang) -> String {
    tr!(
        lang,
        "Warning: you are signed in as the account's root user. The root user can do anything,
even close the account, and nothing can limit it; the MFA lesson shows how to make an IAM user
for everyday work. Commands that create billable things are refused as root: start cloudlings
with an IAM user's credentials (`--profile`), or with `--allow-root` if you really must.",
        "경고: 계정의 루트 사용자로 로그인했습니다. 루트 사용자는 계정 해지까지 무엇이든 할 수 있고
아무것도 이를 막을 수 없습니다. MFA 수업에서 평소에 쓸 IAM 사용자를 만드는 법을 배웁니다.
요금이 붙는 것을 만드는 명령은 루트로는 거부됩니다. IAM 사용자의 자격 증명(`--profile`)으로
cloudlings를 시작하거나, 꼭 필요하다면 `--allow-root`를 붙이세요."
    )
}

pub fn root_refused(lang: Lang) -> String {
    tr!(
        lang,
        "Refused: this creates something billable, and you are the account's root user. Use an IAM user's credentials (see the MFA lesson), or start cloudlings with `--allow-root`.",
        "거부됨: 이 명령은 요금이 붙는 것을 만드는데, 지금은 계정의 루트 사용자입니다. IAM 사용자의 자격 증명을 쓰거나(MFA 수업 참고) `--allow-root`로 cloudlings를 시작하세요."
    )
}

/// What a command will create and what it costs, from the price table.
pub fn charge(lang: Lang, charge: &Charge) -> String {
    let as_of = prices::AS_OF;
    match charge {
        Charge::Instances {
            count,
            instance_type,
            windows,
            hourly: Some(each),
            region,
            root_gib,
        } => {
            let os = if *windows { "Windows" } else { "Linux" };
            let each_text = usd(*each);
            let ipv4 = usd(prices::public_ipv4_hourly(region));
            let gb_month = usd(prices::ebs_gb_month(region, "gp3").unwrap_or(0.0));
            let total = charge.hourly().unwrap_or(0.0);
            let all_each = usd(total / f64::from((*count).max(1)));
            let day = usd(total * 24.0);
            let month = usd(total * prices::HOURS_PER_MONTH);
            tr!(
                lang,
                "This launches {count} × {instance_type} ({os}) in {region}, billed per second while it runs:
  {each_text} an hour each, plus {ipv4} an hour for its public IPv4 address and
  {gb_month} per GB-month for its {root_gib} GiB EBS root volume: {all_each} an hour each.
  Left running, about {day} a day and {month} a month (730 hours); a stopped instance's
  volume goes on billing. The free tier, if your account has it, may cover part of this.
  (Prices as of {as_of}.)",
                "이 명령은 {region}에서 {instance_type}({os}) 인스턴스 {count}대를 시작합니다. 실행되는 동안 초 단위로 요금이 부과됩니다.
  한 대에 시간당 {each_text}. 여기에 퍼블릭 IPv4 주소(시간당 {ipv4})와 {root_gib}GiB EBS 루트
  볼륨(GB-월당 {gb_month})이 더해져 한 대에 시간당 {all_each}입니다.
  켜 둔 채로 두면 하루 약 {day}, 한 달(730시간) 약 {month}입니다. 중지한 인스턴스도 볼륨 요금은
  계속 나갑니다. 계정에 프리 티어가 있다면 일부가 면제될 수 있습니다. ({as_of} 기준 가격)"
            )
        }
        Charge::Instances {
            count,
            instance_type,
            region,
            ..
        } => tr!(
            lang,
            "This launches {count} × {instance_type} in {region}, billed per second while it runs.
  Its price is not in cloudlings' table ({as_of}): see https://aws.amazon.com/ec2/pricing/on-demand/ before you go on.",
            "이 명령은 {region}에서 {instance_type} 인스턴스 {count}대를 시작합니다. 실행되는 동안 초 단위로 요금이 부과됩니다.
  이 유형의 가격은 cloudlings 가격표({as_of})에 없습니다. 계속하기 전에 https://aws.amazon.com/ec2/pricing/on-demand/ 를 확인하세요."
        ),
        Charge::Restart { instances } => {
            let mut text = tr!(
                lang,
                "This starts stopped instances, billed per second again while they run:",
                "이 명령은 중지된 인스턴스를 시작합니다. 실행되는 동안 다시 초 단위로 요금이 부과됩니다:"
            );
            for (id, kind, hourly) in instances {
                let price = match hourly {
                    Some(price) => {
                        let price = usd(*price);
                        tr!(lang, "{price} an hour", "시간당 {price}")
                    }
                    None => tr!(lang, "price not in the table", "가격표에 없음"),
                };
                text.push_str(&format!("\n  {id} ({kind}): {price}"));
            }
            let total = usd(charge.hourly().unwrap_or(0.0));
            text.push('\n');
            text.push_str(&tr!(
                lang,
                "  Together {total} an hour. (Prices as of {as_of}.)",
                "  합계 시간당 {total}. ({as_of} 기준 가격)"
            ));
            text
        }
        Charge::Distribution => {
            let us = usd(prices::CLOUDFRONT_PER_GB_US_EU);
            let korea = usd(prices::CLOUDFRONT_PER_GB_KOREA);
            let free_gb = prices::CLOUDFRONT_FREE_GB;
            let free_requests = prices::CLOUDFRONT_FREE_REQUESTS;
            tr!(
                lang,
                "This creates a CloudFront distribution. It has no hourly price: it is billed per GB served
  ({us} per GB to North America and Europe, {korea} to Korea) and per request. The always-free
  tier covers {free_gb} GB and {free_requests} requests a month. (Prices as of {as_of}.)",
                "이 명령은 CloudFront 배포를 만듭니다. 시간당 요금은 없고, 전송한 데이터 GB당(북미·유럽 {us},
  한국 {korea}) 요금과 요청 수에 따라 요금이 부과됩니다. 프리 티어(상시 무료)로 매달 {free_gb} GB와
  요청 {free_requests}건까지는 요금이 부과되지 않습니다. ({as_of} 기준 가격)"
            )
        }
        Charge::Upload {
            bucket,
            bytes,
            region,
        } => {
            let per_gb = usd(prices::s3_storage(region));
            let month = usd(charge.hourly().unwrap_or(0.0) * prices::HOURS_PER_MONTH);
            tr!(
                lang,
                "This stores {bytes} bytes in s3://{bucket}: {per_gb} per GB-month in S3 Standard ({region}),
  so about {month} a month while it is kept. (Prices as of {as_of}.)",
                "이 명령은 s3://{bucket}에 {bytes}바이트를 저장합니다. S3 Standard({region})는 GB-월당 {per_gb}이므로
  보관하는 동안 한 달에 약 {month}입니다. ({as_of} 기준 가격)"
            )
        }
    }
}

pub fn go_ahead(lang: Lang) -> String {
    tr!(
        lang,
        "Go ahead? Type `y` to create it, anything else to cancel.",
        "진행할까요? 만들려면 `y`, 취소하려면 다른 것을 입력하세요."
    )
}

pub fn confirmed_by_flag(lang: Lang) -> String {
    tr!(
        lang,
        "(--yes: going ahead without asking)",
        "(--yes: 묻지 않고 진행합니다)"
    )
}

pub fn declined(lang: Lang) -> String {
    tr!(
        lang,
        "Cancelled: the command did not run.",
        "취소했습니다. 명령을 실행하지 않았습니다."
    )
}

pub fn tag_failed(lang: Lang, detail: &str) -> String {
    tr!(
        lang,
        "Could not tag or record {detail}; `cleanup` may not find it by its tags.",
        "{detail}에 태그를 붙이거나 기록하지 못했습니다. `cleanup`이 태그로 찾지 못할 수 있습니다."
    )
}

/// `bill` on AWS: the session's estimated spend.
pub fn bill(lang: Lang, session: &str, estimate: &Estimate, hourly: f64) -> String {
    let as_of = prices::AS_OF;
    let mut text = tr!(
        lang,
        "Estimated spend of session {session} (wall-clock time, cloudlings' price table of {as_of}):",
        "세션 {session}의 예상 지출 (실제 경과 시간, cloudlings 가격표 {as_of} 기준):"
    );
    text.push('\n');
    if estimate.lines.is_empty() {
        text.push_str(&tr!(
            lang,
            "  nothing billable made yet",
            "  아직 요금이 붙는 것을 만들지 않았습니다"
        ));
        text.push('\n');
    }
    for line in &estimate.lines {
        let state = match (line.running, lang) {
            (true, Lang::En) => "running",
            (true, Lang::Ko) => "실행 중",
            (false, Lang::En) => "ended",
            (false, Lang::Ko) => "종료",
        };
        let cost = match line.cost {
            Some(cost) => usd(cost),
            None => tr!(lang, "per use", "사용량 과금"),
        };
        text.push_str(&format!(
            "  {:<22} {:<26} {:<12} {:>7.2} h  {:>12}  {state}\n",
            line.kind.noun(),
            line.id,
            line.detail,
            line.hours,
            cost
        ));
    }
    let total = usd(estimate.total());
    let per_hour = usd(hourly);
    text.push_str(&tr!(
        lang,
        "Total so far: about {total}; now running: {per_hour} an hour.
AWS's own bill (Billing console, Cost Explorer) is the authority; it shows usage hours later.",
        "지금까지 합계: 약 {total}, 현재 실행 중인 것: 시간당 {per_hour}.
정확한 금액은 AWS의 청구서(Billing 콘솔, Cost Explorer)에 있으며 몇 시간 늦게 반영됩니다."
    ));
    text
}

/// On `quit`, what is still there and may cost money.
pub fn quit_warning(lang: Lang, left: &[Found]) -> String {
    let mut text = tr!(
        lang,
        "These are still in your AWS account and may cost money:",
        "다음 리소스가 아직 AWS 계정에 남아 있고 요금이 붙을 수 있습니다:"
    );
    text.push('\n');
    let mut hourly = 0.0;
    for item in left {
        let cost = match (item.hourly, item.running) {
            (Some(price), true) => {
                hourly += price;
                let price = usd(price);
                tr!(lang, "{price} an hour", "시간당 {price}")
            }
            (Some(_), false) => tr!(
                lang,
                "stopped (its disk is still billed)",
                "중지됨 (디스크는 계속 과금)"
            ),
            (None, _) if matches!(item.kind, Resource::Volume | Resource::Bucket) => {
                tr!(lang, "billed as storage", "저장 용량으로 과금")
            }
            (None, _) if item.kind.billable() => tr!(lang, "billed by use", "사용량 과금"),
            (None, _) => tr!(lang, "free", "무료"),
        };
        text.push_str(&format!("  {}  {cost}\n", item.describe()));
    }
    let total = usd(hourly);
    text.push_str(&tr!(
        lang,
        "Together about {total} an hour. Type `cleanup` to delete them, or `quit` again to leave them.",
        "모두 합쳐 시간당 약 {total}입니다. 지우려면 `cleanup`, 그대로 두고 나가려면 `quit`을 한 번 더 입력하세요."
    ));
    text
}

pub fn cleanup_cannot_look(lang: Lang, reason: &str) -> String {
    tr!(
        lang,
        "cleanup: cannot list the account's resources: {reason}",
        "cleanup: 계정의 리소스 목록을 가져올 수 없습니다: {reason}"
    )
}

pub fn cleanup_nothing(lang: Lang) -> String {
    tr!(
        lang,
        "cleanup: nothing to delete; no resource of these sessions is left.",
        "cleanup: 지울 것이 없습니다. 이 세션들의 리소스는 남아 있지 않습니다."
    )
}

pub fn cleanup_found(lang: Lang, count: usize) -> String {
    tr!(
        lang,
        "cleanup: {count} resources to delete, in the order AWS allows.",
        "cleanup: 지울 리소스 {count}개를 AWS가 허용하는 순서대로 지웁니다."
    )
}

pub fn cleanup_deleted(lang: Lang, what: &str) -> String {
    tr!(lang, "  deleted {what}", "  삭제함: {what}")
}

pub fn cleanup_failed(lang: Lang, what: &str, reason: &str) -> String {
    tr!(
        lang,
        "  could not delete {what}: {reason}",
        "  삭제하지 못함: {what}: {reason}"
    )
}

pub fn cleanup_done(lang: Lang, deleted: usize, failed: usize) -> String {
    if failed == 0 {
        tr!(
            lang,
            "cleanup: done, {deleted} deleted.",
            "cleanup: 완료, {deleted}개 삭제."
        )
    } else {
        tr!(
            lang,
            "cleanup: {deleted} deleted, {failed} could not be (above, with why); run `cleanup` again once that is fixed.",
            "cleanup: {deleted}개 삭제, {failed}개는 지우지 못했습니다(위에 이유가 있습니다). 고친 뒤 `cleanup`을 다시 실행하세요."
        )
    }
}

pub fn only_on_aws(lang: Lang) -> String {
    tr!(
        lang,
        "`cleanup` is for `--target aws`, where leftovers cost money. On the emulator, lesson 9 teaches the clean-up, and `reset all` starts over.",
        "`cleanup`은 남은 리소스에 요금이 붙는 `--target aws`용입니다. 에뮬레이터에서는 9번 수업에서 정리를 배우고, `reset all`로 처음부터 다시 시작할 수 있습니다."
    )
}

pub fn checkip_failed(lang: Lang, url: &str) -> String {
    tr!(
        lang,
        "Could not ask {url} for your public address. Look it up in a browser (search \"what is my ip\") and use it as <address>/32.",
        "{url}에서 공인 주소를 받아 오지 못했습니다. 브라우저에서(\"what is my ip\" 검색) 확인한 뒤 <주소>/32로 쓰세요."
    )
}

pub fn clock_is_real(lang: Lang) -> String {
    tr!(
        lang,
        "On AWS the clock is the real one: it cannot be moved. Wait for what you would skip (`aws … wait` commands wait for you); `bill` estimates by wall-clock time.",
        "AWS에서는 실제 시간을 쓰므로 시계를 돌릴 수 없습니다. 건너뛰려던 시간만큼 기다리세요(`aws … wait` 명령이 대신 기다려 줍니다). `bill`은 실제 경과 시간으로 추정합니다."
    )
}

pub fn edge_on_aws(lang: Lang) -> String {
    tr!(
        lang,
        "On AWS a distribution is on the internet: open https://<its domain>/ in a browser. `aws cloudfront list-distributions --query \"DistributionList.Items[].DomainName\"` lists the domains.",
        "AWS에서는 배포가 인터넷에 있습니다. 브라우저에서 https://<배포 도메인>/ 을 여세요. 도메인 목록은 `aws cloudfront list-distributions --query \"DistributionList.Items[].DomainName\"`으로 봅니다."
    )
}

pub fn journal_recovered(lang: Lang, reason: &str, moved_to: &str) -> String {
    let ro = Particle::EuroRo.after(moved_to);
    tr!(
        lang,
        "The journal of what earlier sessions made on AWS could not be read ({reason}); it was kept as {moved_to}. `cleanup --all` still finds their resources by their tags.",
        "이전 세션이 AWS에 만든 것의 기록(저널)을 읽지 못했습니다({reason}). 파일은 {moved_to}{ro} 옮겨 보관했습니다. `cleanup --all`은 태그로 그 리소스를 계속 찾을 수 있습니다."
    )
}

pub fn cleanup_keeps(lang: Lang, user: &str) -> String {
    let neun = Particle::EunNeun.after(user);
    tr!(
        lang,
        "cleanup: the IAM user {user} is the one you are signed in as, so it stays.",
        "cleanup: IAM 사용자 {user}{neun} 지금 로그인한 사용자이므로 남겨 둡니다."
    )
}

pub fn key_withheld(lang: Lang, path: &str) -> String {
    tr!(
        lang,
        "The private key is a secret on AWS, so it was saved to {path} (readable by you only) instead of shown. Keep it, or redirect it yourself: `--query KeyMaterial --output text > key.pem`.",
        "AWS에서 프라이빗 키는 비밀이므로 화면에 보이지 않고 {path}(나만 읽을 수 있음)에 저장했습니다. 잘 보관하거나 직접 저장하세요: `--query KeyMaterial --output text > key.pem`."
    )
}
