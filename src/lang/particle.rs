//! Korean particles that agree with what they follow.
//!
//! A Korean particle has two forms, chosen by how the word before it sounds: 을/를, 이/가, 은/는,
//! 과/와 and 이라는/라는 take the first form after a final consonant (받침) and the second after
//! a vowel; (으)로 takes 으로 after a final consonant except ㄹ, and 로 after a vowel or ㄹ
//! (서울로, `index.html`로). A message that glues a fixed particle to a name it does not know,
//! or falls back to writing both (`key.pem을(를)`), reads as a machine wrote it; so a message
//! asks [`Particle::after`] for the form that agrees with the value it shows.
//!
//! What a particle agrees with is the word as a Korean reads it aloud, so [`ending`] reads the
//! last readable part of the text, skipping punctuation, quotes and backticks after it
//! (`` `chmod 400 key.pem` `` ends in "pem"):
//!
//! - A Hangul syllable: its final consonant, from the syllable's code point.
//! - A number, as Korean reads numbers, unless it ends a short name (`S3`, `EC2`, `IPv4`),
//!   which Koreans read in English (에스쓰리, 이씨투, 아이피브이포): the last digit (1 일, 7 칠, 8 팔 end in ㄹ; 3 삼, 6 육
//!   and 0 영 in another consonant; 2, 4, 5, 9 in a vowel), or the last unit when it ends in
//!   zeros: 10 십, 600 육백, 1000 천, 10000 만, 억, 조 (a vowel). Digits after a decimal point,
//!   and numbers with a leading zero, are read digit by digit (`12.5` 점 오).
//! - A word ending in a capital (`DNS`, `OpenSSH`), a single letter, or a lower-case run with
//!   no vowel (`html`, `png`, `ssh`) is read letter by letter: only L and R (엘, 알: ㄹ), M and
//!   N (엠, 엔) end in a consonant.
//! - Other Latin words are read as Korean writes them as loanwords (외래어 표기법): -m, -n,
//!   -ng end in a consonant (`pem`, `region`); -l and -le in ㄹ (`tool`, `table`); a final k, p,
//!   t or c after a short vowel is a consonant (`bucket` 버킷, `group` 그룹, `public`), but after
//!   a consonant or a long vowel it gets a vowel (`start` 스타트, `disk`, `root` 루트); -b is a
//!   consonant (`web` 웹, `lab` 랩), -d and -g are not (`cloud` 클라우드, `tag` 태그, but
//!   `string` 스트링); vowels, -r and -er, -s, -x, -y and a silent -e end in a vowel (`micro`, `server`,
//!   `linux`, `site`). A few words the course uses read otherwise (`type` 타입, `check` 체크,
//!   `ip` 아이피) and are listed.
//!
//! Text with nothing readable (`…`) counts as ending in a vowel.
//!
//! The `josa` crate picks particles for Hangul only and fails on anything else, while what
//! cloudlings names is mostly Latin, numbers and code (`t2.micro`, `key.pem`, `600`); hence
//! this module.

use std::ops::Range;

/// How a word ends when read aloud in Korean: all that decides a particle's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// No final consonant: 키, `start` (스타트), `t2.micro`, 2 (이).
    Vowel,
    /// The final consonant ㄹ, which takes 로 rather than 으로: 서울, `index.html` (엘), 7 (칠).
    Rieul,
    /// Any other final consonant: 버킷, `key.pem` (펨), 600 (육백).
    Consonant,
}

/// A particle with two forms, named by both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Particle {
    /// 을/를: the object (`key.pem`을, `start`를).
    EulReul,
    /// 이/가: the subject (버킷이, 키가).
    IGa,
    /// 은/는: the topic (`key.pem`은, `start`는).
    EunNeun,
    /// 과/와: "and", "with" (`key.pem`과, `start`와).
    GwaWa,
    /// 으로/로: "to", "as", "with" (`key.pem`으로, `index.html`로, `start`로).
    EuroRo,
    /// 이라는/라는: "called" (`key.pem`이라는, `start`라는).
    IRaneun,
}

impl Particle {
    /// Every particle, for reading them back out of a text.
    pub const ALL: [Particle; 6] = [
        Particle::EulReul,
        Particle::IGa,
        Particle::EunNeun,
        Particle::GwaWa,
        Particle::EuroRo,
        Particle::IRaneun,
    ];

    /// The form that agrees with `word`, as it is read (see the module doc).
    pub fn after(self, word: &str) -> &'static str {
        self.form(ending(word))
    }

    /// The form after a word that ends so.
    pub fn form(self, ending: Ending) -> &'static str {
        let closed = ending != Ending::Vowel;
        match self {
            Particle::EulReul => pick(closed, "을", "를"),
            Particle::IGa => pick(closed, "이", "가"),
            Particle::EunNeun => pick(closed, "은", "는"),
            Particle::GwaWa => pick(closed, "과", "와"),
            Particle::EuroRo => pick(ending == Ending::Consonant, "으로", "로"),
            Particle::IRaneun => pick(closed, "이라는", "라는"),
        }
    }
}

fn pick(first: bool, a: &'static str, b: &'static str) -> &'static str {
    if first { a } else { b }
}

/// `word` followed by the form of `particle` that agrees with it: `key.pem을`.
pub fn attach(word: &str, particle: Particle) -> String {
    format!("{word}{}", particle.after(word))
}

/// The particle that `text` starts with, standing alone (not the first syllable of a longer
/// word: 이 of 이고 is the copula, not the subject particle), with the form written.
pub fn leading(text: &str) -> Option<(Particle, &str)> {
    WRITTEN.iter().find_map(|&(particle, form)| {
        let rest = text.strip_prefix(form)?;
        let alone = match rest.chars().next() {
            // 로는, 로도, 로서, 로부터, 로만: (으)로 takes particles of its own.
            Some(next) if is_syllable(next) => {
                particle == Particle::EuroRo && "는도서써부만".contains(next)
            }
            _ => true,
        };
        alone.then_some((particle, &text[..form.len()]))
    })
}

/// Every form of every particle, the longest first, so that 이라는 is read before 이 and 으로
/// before 로.
const WRITTEN: [(Particle, &str); 12] = [
    (Particle::IRaneun, "이라는"),
    (Particle::IRaneun, "라는"),
    (Particle::EuroRo, "으로"),
    (Particle::EuroRo, "로"),
    (Particle::EulReul, "을"),
    (Particle::EulReul, "를"),
    (Particle::IGa, "이"),
    (Particle::IGa, "가"),
    (Particle::EunNeun, "은"),
    (Particle::EunNeun, "는"),
    (Particle::GwaWa, "과"),
    (Particle::GwaWa, "와"),
];

/// The first particle `text` writes in both forms, `을(를)`, `(으)로`, `(이)라는`: what a text
/// writes when it does not know what the particle follows, and never needs to here.
pub fn both_forms(text: &str) -> Option<&str> {
    WRITTEN
        .iter()
        .map(|(_, form)| *form)
        .chain(["으"])
        .filter_map(|form| {
            let written = format!("({form})");
            let at = text.find(&written)?;
            Some(&text[at..at + written.len()])
        })
        .min_by_key(|found| found.as_ptr())
}

/// Where `text`, which follows `value`, starts with a particle (after closing backticks or
/// quotes, or a trailing slash: `s3://{bucket}/`를) in the form that does not agree with `value`: the particle's byte range in `text`
/// and the form to write instead. A template that writes `{name}를` reads right whatever the
/// name turns out to be once its filler respells the particle so.
pub fn mismatch(value: &str, text: &str) -> Option<(Range<usize>, &'static str)> {
    let tail = text.trim_start_matches(['`', '"', '\'', '/']);
    let start = text.len() - tail.len();
    let (particle, written) = leading(tail)?;
    let agrees = particle.after(value);
    (written != agrees).then(|| (start..start + written.len(), agrees))
}

/// The first code span of `text` (`` `chmod 400 key.pem`을 ``) followed by a particle that
/// does not agree with how the span ends: the span, the form written and the form that agrees.
/// A span ending in a `{name}` is passed over: the filler respells the particle after it.
pub fn after_code(text: &str) -> Option<(&str, &str, &'static str)> {
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let inside = &rest[open + 1..];
        let close = inside.find('`')?;
        let (code, tail) = inside.split_at(close);
        if !code.trim_end_matches(['/', ' ']).ends_with('}')
            && let Some((range, agrees)) = mismatch(code, tail)
        {
            return Some((code, &tail[range], agrees));
        }
        rest = &tail[1..];
    }
    None
}

/// How `word` ends when read aloud (see the module doc for the rules).
pub fn ending(word: &str) -> Ending {
    let readable = word.trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || is_hangul(c)));
    let Some(last) = readable.chars().next_back() else {
        return Ending::Vowel;
    };
    if is_syllable(last) {
        return match (u32::from(last) - 0xAC00) % 28 {
            0 => Ending::Vowel,
            8 => Ending::Rieul,
            _ => Ending::Consonant,
        };
    }
    if is_hangul(last) {
        // A letter of the alphabet on its own, read by its name: ㄹ 리을, ㄱ 기역, ㅏ 아.
        return match last {
            'ㄹ' => Ending::Rieul,
            'ㄱ'..='ㅎ' => Ending::Consonant,
            _ => Ending::Vowel,
        };
    }
    if last.is_ascii_digit() {
        return number(readable);
    }
    latin(readable)
}

fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

fn is_hangul(c: char) -> bool {
    is_syllable(c) || ('\u{3131}'..='\u{318E}').contains(&c)
}

/// The ending of the number `text` ends with.
fn number(text: &str) -> Ending {
    let digits_start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == ',')
        .last()
        .map_or(text.len(), |(at, _)| at);
    let digits: Vec<u8> = text[digits_start..]
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let before = &text[..digits_start];
    let fraction = before.ends_with('.')
        && before[..before.len() - 1]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit());
    let last = digits.last().copied().unwrap_or(0);
    // A short name with a number, `S3`, `EC2`, `IPv4`, not an id such as `i-0abc6`.
    let word = &before[before
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric())
        .len()..];
    let named = word.starts_with(|c: char| c.is_ascii_alphabetic()) && word.len() <= 3;
    if named && digits.len() <= 2 {
        return english(&digits);
    }
    if fraction || (digits.len() > 1 && digits[0] == 0) || last != 0 {
        return digit(last);
    }
    match digits.iter().rev().take_while(|&&d| d == 0).count() {
        zeros if zeros == digits.len() => Ending::Consonant, // 영
        1..=11 => Ending::Consonant,                         // 십, 백, 천, 만, 억
        12..=15 => Ending::Vowel,                            // 조
        _ => Ending::Consonant,                              // 경
    }
}

/// Digits glued to a name, read in English as Koreans read them (S3 에스쓰리, EC2 이씨투, v1
/// 브이원): the teens (써틴), one (원), seven (세븐), eight (에잇) and nine (나인) end in a
/// consonant.
fn english(digits: &[u8]) -> Ending {
    match digits {
        [.., 1, 1 | 2] => Ending::Vowel, // 일레븐, 트웰브
        [.., 1, _] => Ending::Consonant, // 텐, 써틴
        [.., 1 | 7 | 8 | 9] => Ending::Consonant,
        _ => Ending::Vowel, // 제로, 투, 쓰리, 트웬티
    }
}

/// A digit as it is read: 영 일 이 삼 사 오 육 칠 팔 구.
fn digit(d: u8) -> Ending {
    match d {
        1 | 7 | 8 => Ending::Rieul,
        0 | 3 | 6 => Ending::Consonant,
        _ => Ending::Vowel,
    }
}

/// The ending of the Latin letters `text` ends with.
fn latin(text: &str) -> Ending {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphabetic())
        .last()
        .map_or(text.len(), |(at, _)| at);
    let run = &text[start..];
    let bytes = run.as_bytes();
    let Some(&last) = bytes.last() else {
        return Ending::Vowel;
    };
    // A capital at the end is an acronym's (`DNS`, `OpenSSH`, `myIP`).
    let lower = run.to_ascii_lowercase();
    let spelled = bytes.len() == 1
        || last.is_ascii_uppercase()
        || !lower.bytes().any(|b| b"aeiouy".contains(&b));
    if spelled {
        return letter(last.to_ascii_lowercase());
    }
    // CamelCase: the last word (`CloudFront` → `front`).
    let word = match bytes.iter().rposition(u8::is_ascii_uppercase) {
        Some(at) => &lower[at..],
        None => &lower[..],
    };
    loanword(word)
}

/// A letter read by its name: 엘 and 알 end in ㄹ, 엠 and 엔 in another consonant.
fn letter(c: u8) -> Ending {
    match c {
        b'l' | b'r' => Ending::Rieul,
        b'm' | b'n' => Ending::Consonant,
        _ => Ending::Vowel,
    }
}

/// Words the rules below read wrong, as the course meets them: whole words, then word endings.
const WORDS: [(&str, Ending); 2] = [
    ("ip", Ending::Vowel),   // 아이피
    ("myip", Ending::Vowel), // 마이 아이피
];
const WORD_ENDINGS: [(&str, Ending); 4] = [
    ("check", Ending::Vowel),    // 체크, not 첵
    ("exit", Ending::Vowel),     // 엑시트
    ("edit", Ending::Vowel),     // 에디트
    ("type", Ending::Consonant), // 타입
];

fn is_vowel(c: u8) -> bool {
    b"aeiou".contains(&c)
}

/// A lower-case English word as Korean writes it as a loanword.
fn loanword(word: &str) -> Ending {
    let known = WORDS.iter().find(|(known, _)| word == *known);
    let known = known.or_else(|| WORD_ENDINGS.iter().find(|(end, _)| word.ends_with(end)));
    if let Some((_, ending)) = known {
        return *ending;
    }
    let b = word.as_bytes();
    let n = b.len();
    let last = b[n - 1];
    let prev = if n >= 2 { b[n - 2] } else { b' ' };
    // The vowels before the final consonant, written with two letters counted once (`app`,
    // `back`).
    let body = if prev == last || (prev, last) == (b'c', b'k') {
        &b[..n - 1]
    } else {
        b
    };
    let before = &body[..body.len() - 1];
    let vowels = before.iter().rev().take_while(|&&c| is_vowel(c)).count();
    let pair = &before[before.len() - vowels.min(2)..];
    match last {
        b'm' | b'n' => Ending::Consonant,
        b'l' => Ending::Rieul,
        b'e' => match prev {
            b'l' => Ending::Rieul,            // 테이블, 파일
            b'm' | b'n' => Ending::Consonant, // 타임, 라인
            _ => Ending::Vowel,               // 사이트, 서비스
        },
        b'g' if prev == b'n' => Ending::Consonant, // 스트링
        b'b' if vowels > 0 || prev == b'm' => Ending::Consonant, // 웹, 랩
        b'c' if vowels > 0 => Ending::Consonant,   // 퍼블릭, 스펙
        b'k' | b'p' | b't' => match (vowels, pair) {
            (0, _) => Ending::Vowel,                         // 디스크, 헬프, 스타트
            (1, _) => Ending::Consonant,                     // 백, 업, 버킷
            (_, b"oo") if last == b'k' => Ending::Consonant, // 북
            (_, b"ou") if last == b't' => Ending::Consonant, // 아웃
            (_, b"ee" | b"ea") if last == b'p' => Ending::Consonant, // 딥, 힙
            (_, b"ou") if last == b'p' => Ending::Consonant, // 그룹
            _ => Ending::Vowel,                              // 루트, 웨이트, 루프
        },
        _ => Ending::Vowel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ending::{Consonant, Rieul, Vowel};

    fn endings(cases: &[(&str, Ending)]) {
        for (word, expected) in cases {
            assert_eq!(ending(word), *expected, "{word}");
        }
    }

    #[test]
    fn hangul_by_its_final_consonant() {
        endings(&[
            ("버킷", Consonant),
            ("키", Vowel),
            ("서울", Rieul),
            ("인스턴스", Vowel),
            ("보안 그룹", Consonant),
            ("ㄹ", Rieul),
            ("ㅎ", Consonant),
        ]);
    }

    #[test]
    fn numbers_as_korean_reads_them() {
        endings(&[
            ("0", Consonant),         // 영
            ("1", Rieul),             // 일
            ("2", Vowel),             // 이
            ("3", Consonant),         // 삼
            ("4", Vowel),             // 사
            ("5", Vowel),             // 오
            ("6", Consonant),         // 육
            ("7", Rieul),             // 칠
            ("8", Rieul),             // 팔
            ("9", Vowel),             // 구
            ("10", Consonant),        // 십
            ("22", Vowel),            // 이십이
            ("400", Consonant),       // 사백
            ("600", Consonant),       // 육백
            ("1000", Consonant),      // 천
            ("1,000,000", Consonant), // 백만
            ("1000000000000", Vowel), // 일조
            ("12.5", Vowel),          // 십이 점 오
            ("0.0144", Vowel),        // 영 점 영일사사
            ("8080", Consonant),      // 팔천팔십
            ("007", Rieul),           // 공공칠
            ("10.0.0.1", Rieul),
            ("203.0.113.5/32", Vowel), // 삼십이
        ]);
    }

    #[test]
    fn names_files_and_code_by_their_last_readable_part() {
        endings(&[
            ("key.pem", Consonant),
            ("`chmod 400 key.pem`", Consonant),
            ("start", Vowel),
            ("`start`", Vowel),
            ("index.html", Rieul),
            ("t2.micro", Vowel),
            ("ubuntu@<퍼블릭 DNS>", Vowel),
            ("~/Downloads/", Vowel),
            ("\"My IP\"", Vowel),
            ("OpenSSH", Vowel),
            ("URL", Rieul),
            ("IAM", Consonant),
            ("S3", Vowel),             // 에스쓰리
            ("v1", Consonant),         // 브이원
            ("IPv4", Vowel),           // 아이피브이포
            ("i-0abc1236", Consonant), // 육
            ("EC2", Vowel),
            ("CloudFront", Vowel),
            ("ssh", Vowel),
            ("png", Vowel),
            ("2h", Vowel),
            ("15m", Consonant),
            ("…", Vowel),
        ]);
    }

    #[test]
    fn english_words_as_loanwords() {
        endings(&[
            ("bucket", Consonant),
            ("region", Consonant),
            ("string", Consonant),
            ("tool", Rieul),
            ("table", Rieul),
            ("file", Rieul),
            ("time", Consonant),
            ("line", Consonant),
            ("site", Vowel),
            ("service", Vowel),
            ("server", Vowel),
            ("user", Vowel),
            ("linux", Vowel),
            ("policy", Vowel),
            ("cloud", Vowel),
            ("tag", Vowel),
            ("web", Consonant),
            ("lab", Consonant),
            ("public", Consonant),
            ("sync", Vowel),
            ("disk", Vowel),
            ("back", Consonant),
            ("book", Consonant),
            ("check", Vowel),
            ("healthcheck", Vowel),
            ("up", Consonant),
            ("app", Consonant),
            ("help", Vowel),
            ("loop", Vowel),
            ("deep", Consonant),
            ("group", Consonant),
            ("get", Consonant),
            ("secret", Consonant),
            ("list", Vowel),
            ("root", Vowel),
            ("wait", Vowel),
            ("timeout", Consonant),
            ("type", Consonant),
            ("myip", Vowel),
            ("myIP", Vowel),
            ("iOS", Vowel),
            ("ubuntu", Vowel),
        ]);
    }

    #[test]
    fn particles_take_the_form_that_agrees() {
        use Particle::*;
        assert_eq!(attach("key.pem", EulReul), "key.pem을");
        assert_eq!(attach("start", EulReul), "start를");
        assert_eq!(attach("index.html", EuroRo), "index.html로");
        assert_eq!(attach("key.pem", EuroRo), "key.pem으로");
        assert_eq!(attach("t2.micro", EuroRo), "t2.micro로");
        assert_eq!(attach("600", IGa), "600이");
        assert_eq!(attach("서울", EunNeun), "서울은");
        assert_eq!(attach("키", GwaWa), "키와");
        assert_eq!(attach("버킷", GwaWa), "버킷과");
        assert_eq!(attach("stat", IRaneun), "stat이라는");
        assert_eq!(attach("start", IRaneun), "start라는");
    }

    #[test]
    fn a_particle_is_read_only_where_it_stands_alone() {
        use Particle::*;
        assert_eq!(leading("를 입력"), Some((EulReul, "를")));
        assert_eq!(leading("으로 보관"), Some((EuroRo, "으로")));
        assert_eq!(leading("로는"), Some((EuroRo, "로")));
        assert_eq!(leading("이라는 명령어"), Some((IRaneun, "이라는")));
        assert_eq!(leading("이(가)"), Some((IGa, "이")));
        assert_eq!(leading("이고"), None, "the copula");
        assert_eq!(leading("가상"), None);
        assert_eq!(leading("에 쓸"), None);
    }

    #[test]
    fn every_form_can_be_read_back() {
        for particle in Particle::ALL {
            for ending in [Vowel, Rieul, Consonant] {
                let form = particle.form(ending);
                assert!(WRITTEN.contains(&(particle, form)), "{form}");
            }
        }
    }

    #[test]
    fn both_forms_written_are_found() {
        assert_eq!(both_forms("`start`을(를) 입력"), Some("(를)"));
        assert_eq!(both_forms("key.pem(으)로 (이)라는"), Some("(으)"));
        assert_eq!(both_forms("`stat`(이)라는"), Some("(이)"));
        assert_eq!(both_forms("보기 번호(1~3)를 입력"), None);
    }

    #[test]
    fn a_particle_that_does_not_agree_is_found_with_its_place() {
        assert_eq!(mismatch("i-0abc6", "가 실행 중"), Some((0..3, "이")));
        assert_eq!(mismatch("i-0abc6", "`를 실행"), Some((1..4, "을")));
        assert_eq!(mismatch("i-0abc6", "`로 확인"), Some((1..4, "으로")));
        assert_eq!(mismatch("i-0abc6", "이 실행 중"), None);
        assert_eq!(mismatch("i-0abc9", "`를 실행"), None);
        assert_eq!(mismatch("i-0abc9", "이고"), None, "the copula stays");
        assert_eq!(mismatch("i-0abc9", " 인스턴스"), None);
    }

    #[test]
    fn a_particle_after_a_code_span_is_read_from_the_code() {
        assert_eq!(after_code("`chmod 400 key.pem`을 실행하세요"), None);
        assert_eq!(
            after_code("`--count 1`으로 시작하세요"),
            Some(("--count 1", "으로", "로"))
        );
        assert_eq!(
            after_code("`back`으로 가서 `Values=pending,running`로 기다리세요"),
            Some(("Values=pending,running", "로", "으로"))
        );
        assert_eq!(
            after_code("`--cidr {myip}/32`를"),
            None,
            "the filler respells it"
        );
        assert_eq!(after_code("`열린 코드"), None);
    }
}
