//! Every word the console shows, in English and in Korean as the AWS Korean console words it
//! (and the course's glossary: 인스턴스 유형, 보안 그룹, 중지, 종료, 청구서, 프리 티어).

/// The console's two languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// `en` or `ko`, as a cookie and a link carry it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// The language a browser asks for first, of the two; English otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        header
            .split(',')
            .filter_map(|part| Lang::from_code(part.trim().get(..2)?))
            .next()
            .unwrap_or(Lang::En)
    }

    pub fn word(self, word: Word) -> &'static str {
        let (en, ko) = word.texts();
        match self {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

macro_rules! words {
    ($($name:ident => $en:expr, $ko:expr;)*) => {
        /// A word or sentence of the console.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Word {
            $($name,)*
        }

        impl Word {
            pub const ALL: &[Word] = &[$(Word::$name,)*];

            fn texts(self) -> (&'static str, &'static str) {
                match self {
                    $(Word::$name => ($en, $ko),)*
                }
            }
        }
    };
}

words! {
    Console => "Console", "콘솔";
    ConsoleHome => "Console Home", "콘솔 홈";
    SignIn => "Sign in", "로그인";
    SignOut => "Sign out", "로그아웃";
    SignInAs => "Sign in as", "로그인 유형";
    RootUser => "Root user", "루트 사용자";
    IamUser => "IAM user", "IAM 사용자";
    RootUserHelp => "Account owner that performs tasks requiring unrestricted access. Its password is the one cloudlings env shows.", "무제한 액세스가 필요한 작업을 수행하는 계정 소유자입니다. 암호는 cloudlings env가 보여 줍니다.";
    IamUserHelp => "User within an account that performs daily tasks. Its password is the login profile made for it.", "일상적인 작업을 수행하는 계정 내 사용자입니다. 암호는 사용자에게 만든 로그인 프로필의 암호입니다.";
    AccountId => "Account ID (12 digits)", "계정 ID(12자리)";
    UserName => "IAM user name", "IAM 사용자 이름";
    Password => "Password", "암호";
    Next => "Next", "다음";
    Submit => "Submit", "제출";
    Cancel => "Cancel", "취소";
    BadSignIn => "Your authentication information is incorrect. Please try again.", "인증 정보가 올바르지 않습니다. 다시 시도하세요.";
    LockedOut => "Too many failed sign-in attempts. Wait 15 minutes, then try again.", "로그인 시도가 너무 많이 실패했습니다. 15분 후에 다시 시도하세요.";
    MfaTitle => "Multi-factor authentication", "멀티 팩터 인증";
    MfaHelp => "Enter the code your authenticator app shows now.", "인증 앱에 지금 표시된 코드를 입력하세요.";
    MfaCode => "MFA code", "MFA 코드";
    BadMfa => "The MFA code is not valid. Enter the code the app shows now.", "MFA 코드가 올바르지 않습니다. 앱에 지금 표시된 코드를 입력하세요.";
    SessionEnded => "Your session has ended. Sign in again.", "세션이 종료되었습니다. 다시 로그인하세요.";
    Forbidden => "The request could not be verified. Go back, reload the page and try again.", "요청을 확인할 수 없습니다. 페이지를 새로 고친 후 다시 시도하세요.";
    NotFound => "That page or resource does not exist in this account.", "이 계정에 해당 페이지나 리소스가 없습니다.";
    Region => "Region", "리전";
    Account => "Account", "계정";
    SignedInAs => "Signed in as", "로그인 사용자";
    Services => "Services", "서비스";
    Ec2 => "EC2", "EC2";
    Iam => "IAM", "IAM";
    S3 => "S3", "S3";
    CloudFront => "CloudFront", "CloudFront";
    Billing => "Billing and Cost Management", "결제 및 비용 관리";
    Instances => "Instances", "인스턴스";
    InstancesRunning => "Instances (running)", "인스턴스(실행 중)";
    Buckets => "Buckets", "버킷";
    Distributions => "Distributions", "배포";
    MonthToDate => "Month-to-date cost", "이번 달 누적 비용";
    Name => "Name", "이름";
    InstanceId => "Instance ID", "인스턴스 ID";
    InstanceState => "Instance state", "인스턴스 상태";
    InstanceType => "Instance type", "인스턴스 유형";
    PublicDns => "Public IPv4 DNS", "퍼블릭 IPv4 DNS";
    PublicIp => "Public IPv4 address", "퍼블릭 IPv4 주소";
    SecurityGroups => "Security groups", "보안 그룹";
    Zone => "Availability Zone", "가용 영역";
    Actions => "Actions", "작업";
    NoInstances => "No instances. Launch one with the aws CLI or the launch wizard.", "인스턴스가 없습니다. aws CLI나 인스턴스 시작 마법사로 시작하세요.";
    StopInstance => "Stop instance", "인스턴스 중지";
    StartInstance => "Start instance", "인스턴스 시작";
    TerminateInstance => "Terminate instance", "인스턴스 종료";
    Stop => "Stop", "중지";
    Start => "Start", "시작";
    Terminate => "Terminate", "종료";
    ConfirmStop => "Stop this instance? Its disk stays, and keeps costing storage.", "이 인스턴스를 중지할까요? 디스크는 남고 스토리지 요금이 계속 나옵니다.";
    ConfirmStart => "Start this instance? Its hours are billed again.", "이 인스턴스를 시작할까요? 다시 시간 단위로 요금이 나옵니다.";
    ConfirmTerminate => "Terminate this instance? Its disk is deleted and it cannot be started again.", "이 인스턴스를 종료할까요? 디스크가 삭제되고 다시 시작할 수 없습니다.";
    Done => "Done.", "완료되었습니다.";
    StatePending => "Pending", "대기 중";
    StateRunning => "Running", "실행 중";
    StateStopping => "Stopping", "중지 중";
    StateStopped => "Stopped", "중지됨";
    StateShuttingDown => "Shutting-down", "종료 중";
    StateTerminated => "Terminated", "종료됨";
    Bills => "Bills", "청구서";
    BillFor => "Charges by service", "서비스별 요금";
    Service => "Service", "서비스";
    Description => "Description", "설명";
    Usage => "Usage quantity", "사용량";
    Amount => "Amount in USD", "금액(USD)";
    NoCharges => "No charges this month.", "이번 달 요금이 없습니다.";
    FreeTier => "Free Tier", "프리 티어";
    FreeTierOffer => "Free Tier offer", "프리 티어 혜택";
    Used => "Used", "사용량";
    Allowance => "Monthly limit", "월 한도";
    Credits => "Credits applied", "적용된 크레딧";
    Total => "Total", "합계";
    Language => "Language", "언어";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_in_both_languages() {
        for word in Word::ALL {
            assert!(!Lang::En.word(*word).is_empty(), "{word:?}");
            let ko = Lang::Ko.word(*word);
            assert!(!ko.is_empty(), "{word:?}");
        }
    }

    #[test]
    fn a_browser_s_first_language_of_the_two_is_chosen() {
        assert_eq!(
            Lang::from_accept_language("ko-KR,ko;q=0.9,en;q=0.8"),
            Lang::Ko
        );
        assert_eq!(Lang::from_accept_language("en-US,ko;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr-FR,ko;q=0.5"), Lang::Ko);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }
}
