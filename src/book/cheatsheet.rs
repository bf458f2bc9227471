//! The prices on the cheat sheet (`<!-- cloudlings: costs -->`), read from the same table the
//! emulator bills with; the sheet's commands and terms come from the shell's help and the
//! glossary.

use crate::facts;
use crate::lang::Lang;

/// The key prices of the course's region, each read from the facts.
pub fn costs(lang: Lang) -> String {
    let fact = |name: &str| facts::value(name).unwrap_or_else(|| "?".to_string());
    let rows: [(&str, &str, String); 7] = [
        (
            "t2.micro, an hour",
            "t2.micro 한 시간",
            format!("${}", fact("price:t2.micro")),
        ),
        (
            "t3.micro, an hour",
            "t3.micro 한 시간",
            format!("${}", fact("price:t3.micro")),
        ),
        (
            "t2.micro left on a month (instance + IPv4 + disk)",
            "t2.micro를 한 달 켜 두면(인스턴스+IPv4+디스크)",
            format!("${}", fact("month:t2.micro")),
        ),
        (
            "a public IPv4 address, an hour",
            "퍼블릭 IPv4 주소 한 시간",
            format!("${}", fact("ipv4_price")),
        ),
        (
            "EBS gp3, a GB for a month",
            "EBS gp3 1GB 한 달",
            format!("${}", fact("ebs_price")),
        ),
        (
            "legacy free tier, a month",
            "예전 프리 티어, 한 달",
            format!("{} h", fact("free_tier_hours")),
        ),
        (
            "credit plan's sign-up credits",
            "크레딧 플랜의 가입 크레딧",
            format!("${}", fact("free_credits")),
        ),
    ];
    let (what, price) = match lang {
        Lang::En => ("Seoul, on demand", "USD"),
        Lang::Ko => ("서울 리전, 온디맨드", "USD"),
    };
    let mut table = format!("| {what} | {price} |\n|---|---:|\n");
    for (en, ko, value) in rows {
        let label = match lang {
            Lang::En => en,
            Lang::Ko => ko,
        };
        table.push_str(&format!("| {label} | {value} |\n"));
    }
    let as_of = match lang {
        Lang::En => format!("Prices as of {}.", fact("prices_as_of")),
        Lang::Ko => format!("{} 기준 가격입니다.", fact("prices_as_of")),
    };
    table.push_str(&format!("\n{as_of}\n"));
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_costs_are_the_facts() {
        let table = costs(Lang::En);
        let price = facts::value("price:t3.micro").expect("priced");
        assert!(
            table.contains(&format!("| t3.micro, an hour | ${price} |")),
            "{table}"
        );
        assert!(!table.contains('?'), "every fact exists: {table}");
    }
}
