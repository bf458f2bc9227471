//! Example values for the names a learner's own cloud fills in (`{myip}`, `{instance_id}`):
//! the book cannot know them, so it shows a readable example in their place, from the ranges
//! documentation uses (203.0.113.0/24, account 123456789012), and says on each page what each
//! example stands for.

use std::collections::BTreeSet;

use crate::lang::Lang;

/// A name a lesson binds, with its example and what it stands for.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Placeholder {
    pub name: &'static str,
    pub example: &'static str,
    pub en: &'static str,
    pub ko: &'static str,
}

/// Every name the shipped lessons bind or the session gives; a test fails when a lesson uses
/// one that is not here.
pub const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder {
        name: "myip",
        example: "203.0.113.25",
        en: "your address on the internet",
        ko: "내 인터넷 주소(퍼블릭 IP)",
    },
    Placeholder {
        name: "account_id",
        example: "123456789012",
        en: "your account's number",
        ko: "내 계정 번호",
    },
    Placeholder {
        name: "user_name",
        example: "admin",
        en: "the name of your IAM user with an MFA device",
        ko: "MFA 디바이스가 있는 내 IAM 사용자의 이름",
    },
    Placeholder {
        name: "mfa_serial",
        example: "arn:aws:iam::123456789012:mfa/admin-phone",
        en: "your MFA device's serial number (its ARN)",
        ko: "내 MFA 디바이스의 일련 번호(ARN)",
    },
    Placeholder {
        name: "totp_now:mfa-seed.txt",
        example: "123456",
        en: "the code your authenticator app shows now",
        ko: "인증 앱에 지금 보이는 코드",
    },
    Placeholder {
        name: "totp_next:mfa-seed.txt",
        example: "654321",
        en: "the next code it shows, 30 seconds later",
        ko: "30초 뒤 인증 앱에 보이는 다음 코드",
    },
    Placeholder {
        name: "instance_id",
        example: "i-0123456789abcdef0",
        en: "your instance's id",
        ko: "내 인스턴스의 ID",
    },
    Placeholder {
        name: "windows_id",
        example: "i-0fedcba9876543210",
        en: "your Windows instance's id",
        ko: "내 윈도우 인스턴스의 ID",
    },
    Placeholder {
        name: "old_id",
        example: "i-0aaaabbbbccccdddd",
        en: "the id of the instance you launched before",
        ko: "앞서 띄운 인스턴스의 ID",
    },
    Placeholder {
        name: "forgotten_id",
        example: "i-0f0e0d0c0b0a09080",
        en: "the id of the instance named forgotten",
        ko: "이름이 forgotten인 인스턴스의 ID",
    },
    Placeholder {
        name: "instances_left",
        example: "i-0123456789abcdef0 i-0f0e0d0c0b0a09080",
        en: "the ids of the instances still there",
        ko: "아직 남아 있는 인스턴스들의 ID",
    },
    Placeholder {
        name: "instance_dns",
        example: "ec2-203-0-113-10.ap-northeast-2.compute.amazonaws.com",
        en: "your instance's public DNS name",
        ko: "내 인스턴스의 퍼블릭 DNS 이름",
    },
    Placeholder {
        name: "ubuntu_ami",
        example: "ami-0a1b2c3d4e5f67890",
        en: "the Ubuntu image you looked up",
        ko: "직접 찾은 우분투 이미지의 ID",
    },
    Placeholder {
        name: "bucket",
        example: "cat-images-20261207",
        en: "your bucket's name",
        ko: "내 버킷의 이름",
    },
    Placeholder {
        name: "oac_id",
        example: "E1OACEXAMPLE12",
        en: "your origin access control's id",
        ko: "내 원본 액세스 제어(OAC)의 ID",
    },
    Placeholder {
        name: "oac_etag",
        example: "ETVPDKIKX0DER",
        en: "the ETag of your origin access control",
        ko: "내 원본 액세스 제어의 ETag",
    },
    Placeholder {
        name: "distribution_id",
        example: "E2QWRUHEXAMPLE",
        en: "your distribution's id",
        ko: "내 배포의 ID",
    },
    Placeholder {
        name: "distribution_domain",
        example: "d111111abcdef8.cloudfront.net",
        en: "your distribution's domain name",
        ko: "내 배포의 도메인 이름",
    },
    Placeholder {
        name: "distribution_etag",
        example: "E2QWRUHAPOMQZL",
        en: "the ETag of your distribution's settings",
        ko: "내 배포 설정의 ETag",
    },
    Placeholder {
        name: "disabled_etag",
        example: "E3UN6WX5RRO2AG",
        en: "the ETag of the settings once disabled",
        ko: "비활성화한 뒤 설정의 ETag",
    },
    Placeholder {
        name: "group_id",
        example: "sg-0123456789abcdef0",
        en: "the id of your security group web",
        ko: "내 보안 그룹 web의 ID",
    },
    Placeholder {
        name: "page_instance_id",
        example: "i-0fedcba9876543210",
        en: "your capstone server's id",
        ko: "종합 실습 서버의 ID",
    },
    Placeholder {
        name: "page_dns",
        example: "ec2-203-0-113-20.ap-northeast-2.compute.amazonaws.com",
        en: "your capstone server's public DNS name",
        ko: "종합 실습 서버의 퍼블릭 DNS 이름",
    },
    Placeholder {
        name: "page_bucket",
        example: "my-page-111122223333",
        en: "your capstone bucket's name",
        ko: "종합 실습 버킷의 이름",
    },
    Placeholder {
        name: "image_sha256",
        example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        en: "the SHA-256 of the picture you uploaded",
        ko: "내가 올린 그림의 SHA-256",
    },
    Placeholder {
        name: "page_oac_id",
        example: "E2OACEXAMPLE34",
        en: "your capstone origin access control's id",
        ko: "종합 실습 원본 액세스 제어의 ID",
    },
    Placeholder {
        name: "page_oac_etag",
        example: "E2QWRUHAPOMQZL",
        en: "the ETag of your capstone origin access control",
        ko: "종합 실습 원본 액세스 제어의 ETag",
    },
    Placeholder {
        name: "page_distribution_id",
        example: "E3PAGEEXAMPLE5",
        en: "your capstone distribution's id",
        ko: "종합 실습 배포의 ID",
    },
    Placeholder {
        name: "page_distribution_domain",
        example: "d222222abcdef8.cloudfront.net",
        en: "your capstone distribution's domain name",
        ko: "종합 실습 배포의 도메인 이름",
    },
    Placeholder {
        name: "page_distribution_etag",
        example: "E1PAGEETAG5678",
        en: "the ETag of your capstone distribution's settings",
        ko: "종합 실습 배포 설정의 ETag",
    },
    Placeholder {
        name: "page_disabled_etag",
        example: "E4PAGEDISABLED9",
        en: "the ETag of your capstone distribution once disabled",
        ko: "비활성화한 뒤 종합 실습 배포 설정의 ETag",
    },
];

impl Placeholder {
    pub fn means(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ko => self.ko,
        }
    }
}

/// `text` with each placeholder replaced by its example; the ones used are added to `used`.
pub fn fill(text: &str, used: &mut BTreeSet<&'static str>) -> String {
    let mut out = text.to_string();
    for placeholder in PLACEHOLDERS {
        let written = format!("{{{}}}", placeholder.name);
        if out.contains(&written) {
            out = out.replace(&written, placeholder.example);
            used.insert(placeholder.name);
        }
    }
    out
}

/// The note that says what the examples of a page stand for, or nothing when it has none.
pub fn note(used: &BTreeSet<&'static str>, lang: Lang) -> String {
    if used.is_empty() {
        return String::new();
    }
    let (title, yours) = match lang {
        Lang::En => (
            "Example values",
            "This page shows examples where the shell fills in values of your own cloud:",
        ),
        Lang::Ko => (
            "예시 값",
            "셸이 내 클라우드의 값으로 채우는 자리에 이 페이지는 예시를 보여 줍니다.",
        ),
    };
    let mut note =
        format!("\n<details class=\"examples\">\n<summary>{title}</summary>\n\n{yours}\n\n");
    for placeholder in PLACEHOLDERS.iter().filter(|p| used.contains(p.name)) {
        note.push_str(&format!(
            "- `{}`: {}\n",
            placeholder.example,
            placeholder.means(lang)
        ));
    }
    note.push_str("\n</details>\n");
    note
}

/// The names in braces left in `text`: what no fact and no example filled.
#[cfg(test)]
pub fn unfilled(text: &str) -> Vec<String> {
    let mut left = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('}') else { break };
        let name = &rest[..close];
        let plain = !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_:.-".contains(c));
        if plain {
            left.push(name.to_string());
        }
    }
    left
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_of_the_shipped_lessons_has_an_example() {
        let course = crate::lesson::Course::embedded();
        for lesson in &course.lessons {
            for lang in [Lang::En, Lang::Ko] {
                let page = super::super::lesson_page::render(lesson, lang);
                let left = unfilled(&page);
                assert!(
                    left.is_empty(),
                    "{}: the book has no example for {left:?}: add it to PLACEHOLDERS",
                    lesson.file
                );
            }
        }
    }

    #[test]
    fn a_page_says_what_its_examples_stand_for() {
        let mut used = BTreeSet::new();
        let text = fill("ssh from {myip} to {instance_dns}, not {later}", &mut used);
        assert_eq!(
            text,
            "ssh from 203.0.113.25 to ec2-203-0-113-10.ap-northeast-2.compute.amazonaws.com, not {later}"
        );
        assert_eq!(unfilled(&text), ["later"]);
        let note = note(&used, Lang::Ko);
        assert!(
            note.contains("- `203.0.113.25`: 내 인터넷 주소(퍼블릭 IP)"),
            "{note}"
        );
        assert!(!note.contains("i-0123"), "only the page's own: {note}");
        assert!(super::note(&BTreeSet::new(), Lang::En).is_empty());
    }
}
