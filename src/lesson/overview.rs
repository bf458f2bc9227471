//! A lesson's overview: how long it takes, what the learner builds, and what it costs on a
//! real AWS account. The cost is computed here from the price table the emulator bills with,
//! so the shell, the book and the bill can never disagree about a price.

use cloudlings_core::catalog::{DEFAULT_REGION, root_gib};
use cloudlings_core::prices;
use cloudlings_emulator::billing;

pub use super::format::LightService;
use crate::lang::Lang;
use crate::text::Text;

/// What a lesson takes and gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub minutes: u32,
    pub builds: Text,
    pub aws_cost: Vec<CostItem>,
}

/// One thing a lesson bills on a real AWS account.
#[derive(Debug, Clone, PartialEq)]
pub enum CostItem {
    /// An instance for some hours, with its public IPv4 address and its root volume.
    Instance {
        instance_type: String,
        windows: bool,
        hours: f64,
    },
    /// A service used too little to price.
    Light(LightService),
}

impl CostItem {
    /// USD on demand in the course's region, before any free tier; `None` for a type the
    /// price table lacks (which loading refuses).
    pub fn on_demand(&self) -> Option<f64> {
        match self {
            CostItem::Instance {
                instance_type,
                windows,
                hours,
            } => {
                let hourly = prices::hourly(DEFAULT_REGION, instance_type, *windows)?;
                let extras = prices::instance_extras_hourly(DEFAULT_REGION, root_gib(*windows));
                Some((hourly + extras) * hours)
            }
            CostItem::Light(_) => Some(0.0),
        }
    }
}

impl Overview {
    /// USD on demand for everything the lesson bills.
    pub fn on_demand(&self) -> f64 {
        self.aws_cost.iter().filter_map(CostItem::on_demand).sum()
    }

    /// Whether the lesson uses a service too little to price.
    fn has_light(&self) -> bool {
        self.aws_cost
            .iter()
            .any(|item| matches!(item, CostItem::Light(_)))
    }

    /// The duration, `20 min` or `20분`.
    pub fn duration(&self, lang: Lang) -> String {
        duration(self.minutes, lang)
    }

    /// What the lesson costs on a real account, and what the free offers make of it.
    pub fn cost(&self, lang: Lang) -> String {
        cost_sentence(self.on_demand(), self.has_light(), lang)
    }

    /// The cost alone, short, for a table cell: `$0.02`, `< $0.01`, `$0`.
    pub fn cost_short(&self) -> String {
        short(self.on_demand(), self.has_light())
    }
}

/// `1 h 40 min`, `25 min`; `1시간 40분`, `25분`.
pub fn duration(minutes: u32, lang: Lang) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    match (lang, hours, rest) {
        (Lang::En, 0, m) => format!("{m} min"),
        (Lang::En, h, 0) => format!("{h} h"),
        (Lang::En, h, m) => format!("{h} h {m} min"),
        (Lang::Ko, 0, m) => format!("{m}분"),
        (Lang::Ko, h, 0) => format!("{h}시간"),
        (Lang::Ko, h, m) => format!("{h}시간 {m}분"),
    }
}

/// A dollar amount as a bill rounds it, or "under a cent" when it is not zero but rounds to it.
pub fn short(dollars: f64, light: bool) -> String {
    if dollars >= 0.005 {
        format!("${dollars:.2}")
    } else if dollars > 0.0 || light {
        "< $0.01".to_string()
    } else {
        "$0".to_string()
    }
}

/// The cost sentence for an amount on demand.
pub fn cost_sentence(dollars: f64, light: bool, lang: Lang) -> String {
    let amount = short(dollars, light);
    let hours = billing::FREE_TIER_HOURS;
    let credits = billing::SIGN_UP_CREDIT;
    match lang {
        Lang::En if dollars > 0.0 => format!(
            "{amount} on demand (instance hours, public IPv4 address, EBS disk); free within the \
             free tier's {hours} hours a month, or paid from the ${credits} sign-up credits."
        ),
        Lang::En if light => format!(
            "{amount}: a few KB and requests on S3 and CloudFront, free within the free tier."
        ),
        Lang::En => "$0: nothing in this lesson is billed.".to_string(),
        Lang::Ko if dollars > 0.0 => format!(
            "온디맨드로 {amount}(인스턴스 시간, 퍼블릭 IPv4 주소, EBS 디스크)입니다. 프리 티어의 \
             한 달 {hours}시간 안이면 무료이고, 크레딧 플랜이라면 가입 크레딧 ${credits}에서 \
             빠집니다."
        ),
        Lang::Ko if light => format!(
            "{amount}: S3와 CloudFront에 몇 KB와 요청 몇 번뿐이라 프리 티어 안에서 무료입니다."
        ),
        Lang::Ko => "$0: 이 수업에서는 요금이 나오는 것이 없습니다.".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(kind: &str, windows: bool, hours: f64) -> CostItem {
        CostItem::Instance {
            instance_type: kind.into(),
            windows,
            hours,
        }
    }

    #[test]
    fn an_instance_costs_its_hours_its_address_and_its_disk() {
        let item = instance("t3.micro", false, 2.0);
        let hourly = prices::hourly(DEFAULT_REGION, "t3.micro", false).expect("priced");
        let disk = prices::ebs_gb_month(DEFAULT_REGION, "gp3").expect("gp3")
            * f64::from(root_gib(false))
            / prices::HOURS_PER_MONTH;
        let expected = 2.0 * (hourly + prices::PUBLIC_IPV4_HOURLY + disk);
        let got = item.on_demand().expect("priced");
        assert!((got - expected).abs() < 1e-9, "{got} vs {expected}");
        assert_eq!(instance("z9.huge", false, 1.0).on_demand(), None);
    }

    #[test]
    fn the_sentence_says_what_the_free_offers_make_of_it() {
        let overview = Overview {
            minutes: 20,
            builds: Text {
                en: "x".into(),
                ko: None,
            },
            aws_cost: vec![instance("t3.micro", false, 1.0)],
        };
        let en = overview.cost(Lang::En);
        assert!(en.starts_with("$0.02 on demand"), "{en}");
        assert!(en.contains("free tier"), "{en}");
        assert!(overview.cost(Lang::Ko).contains("프리 티어"));
        let light = Overview {
            aws_cost: vec![CostItem::Light(LightService::S3)],
            ..overview.clone()
        };
        assert_eq!(light.cost_short(), "< $0.01");
        let nothing = Overview {
            aws_cost: Vec::new(),
            ..overview
        };
        assert_eq!(nothing.cost_short(), "$0");
    }

    #[test]
    fn durations_read_as_hours_and_minutes() {
        assert_eq!(duration(25, Lang::En), "25 min");
        assert_eq!(duration(130, Lang::En), "2 h 10 min");
        assert_eq!(duration(180, Lang::Ko), "3시간");
        assert_eq!(duration(70, Lang::Ko), "1시간 10분");
    }
}
