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
    AccountId => "Account ID (12 digits) or account alias", "계정 ID(12자리) 또는 계정 별칭";
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
    BillingShort => "Billing", "결제";
    Seoul => "Seoul", "서울";
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
    CostOverTime => "Usage this month before the free tier, day by day (simulated time)", "이번 달 프리 티어 적용 전 사용 요금, 일별 누적(시뮬레이션 시간)";
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
    LaunchInstance => "Launch instance", "인스턴스 시작";
    LaunchHelp => "Amazon EC2 lets you create virtual machines, or instances, that run on the AWS Cloud.", "Amazon EC2를 사용하면 AWS 클라우드에서 실행되는 가상 머신, 즉 인스턴스를 생성할 수 있습니다.";
    NameAndTags => "Name and tags", "이름 및 태그";
    Images => "Application and OS Images (Amazon Machine Image)", "애플리케이션 및 OS 이미지(Amazon Machine Image)";
    KeyPairLogin => "Key pair (login)", "키 페어(로그인)";
    KeyPairName => "Key pair name", "키 페어 이름";
    NoKeyPair => "Proceed without a key pair (Not recommended)", "키 페어 없이 계속 진행(권장되지 않음)";
    CreateKeyPair => "Create new key pair", "새 키 페어 생성";
    KeyPairHelp => "You can use a key pair to securely connect to your instance. Create it here first: the private key file downloads once, and AWS keeps no copy.", "키 페어를 사용하여 인스턴스에 안전하게 연결할 수 있습니다. 먼저 여기서 만드세요. 프라이빗 키 파일은 한 번만 다운로드되며 AWS는 사본을 보관하지 않습니다.";
    KeyPairs => "Key pairs", "키 페어";
    KeyPairType => "Key pair type", "키 페어 유형";
    KeyFileFormat => "Private key file format", "프라이빗 키 파일 형식";
    Fingerprint => "Fingerprint", "지문";
    Delete => "Delete", "삭제";
    NoKeyPairs => "No key pairs in this Region.", "이 리전에 키 페어가 없습니다.";
    NetworkSettings => "Network settings", "네트워크 설정";
    Firewall => "Firewall (security groups)", "방화벽(보안 그룹)";
    CreateSecurityGroup => "Create security group", "보안 그룹 생성";
    SelectSecurityGroup => "Select existing security group", "기존 보안 그룹 선택";
    AllowSsh => "Allow SSH traffic from", "SSH 트래픽 허용";
    Anywhere => "Anywhere 0.0.0.0/0", "위치 무관 0.0.0.0/0";
    MyIp => "My IP", "내 IP";
    AllowHttps => "Allow HTTPS traffic from the internet", "인터넷에서 HTTPS 트래픽 허용";
    AllowHttp => "Allow HTTP traffic from the internet", "인터넷에서 HTTP 트래픽 허용";
    ConfigureStorage => "Configure storage", "스토리지 구성";
    SizeGib => "Size (GiB)", "크기(GiB)";
    VolumeType => "Volume type", "볼륨 유형";
    Summary => "Summary", "요약";
    NumberOfInstances => "Number of instances", "인스턴스 개수";
    FreeTierEligible => "Free tier eligible", "프리 티어 사용 가능";
    Launched => "Successfully initiated launch of instance", "인스턴스를 시작했습니다";
    ViewInstances => "View all instances", "모든 인스턴스 보기";
    ConnectToInstance => "Connect to instance", "인스턴스에 연결";
    Connect => "Connect", "연결";
    SshClient => "SSH client", "SSH 클라이언트";
    ConnectStep1 => "Open an SSH client.", "SSH 클라이언트를 엽니다.";
    ConnectStep2 => "Locate your private key file. The key used to launch this instance is", "프라이빗 키 파일을 찾습니다. 이 인스턴스를 시작하는 데 사용된 키는 다음과 같습니다.";
    ConnectStep3 => "Run this command, if necessary, to ensure your key is not publicly viewable.", "필요한 경우 이 명령을 실행하여 키를 공개적으로 볼 수 없도록 합니다.";
    ConnectStep4 => "Connect to your instance using its Public DNS:", "퍼블릭 DNS를 사용하여 인스턴스에 연결합니다.";
    Example => "Example:", "예:";
    NoPublicDns => "This instance has no public DNS name now: start it (or give it a public IP) to connect from outside.", "이 인스턴스에는 지금 퍼블릭 DNS 이름이 없습니다. 밖에서 연결하려면 인스턴스를 시작하거나 퍼블릭 IP를 할당하세요.";
    Details => "Details", "세부 정보";
    KeyName => "Key pair assigned at launch", "시작 시 할당된 키 페어";
    ImageId => "AMI ID", "AMI ID";
    LaunchTime => "Launch time", "시작 시간";
    PrivateIp => "Private IPv4 addresses", "프라이빗 IPv4 주소";
    InboundRules => "Inbound rules", "인바운드 규칙";
    EditInboundRules => "Edit inbound rules", "인바운드 규칙 편집";
    OutboundRules => "Outbound rules", "아웃바운드 규칙";
    EditOutboundRules => "Edit outbound rules", "아웃바운드 규칙 편집";
    Destination => "Destination", "대상";
    RuleType => "Type", "유형";
    Protocol => "Protocol", "프로토콜";
    PortRange => "Port range", "포트 범위";
    Source => "Source", "소스";
    AddRule => "Add rule", "규칙 추가";
    SaveRules => "Save rules", "규칙 저장";
    Custom => "Custom", "사용자 지정";
    AllTraffic => "All traffic", "모든 트래픽";
    CustomTcp => "Custom TCP", "사용자 지정 TCP";
    GroupId => "Security group ID", "보안 그룹 ID";
    GroupName => "Security group name", "보안 그룹 이름";
    NoRules => "No inbound rules: nothing can connect in.", "인바운드 규칙이 없습니다. 들어오는 연결이 모두 차단됩니다.";
    Users => "Users", "사용자";
    CreateUser => "Create user", "사용자 생성";
    ConsoleAccessBox => "Provide user access to the AWS Management Console", "AWS Management Console에 대한 사용자 액세스 권한 제공";
    ConsolePassword => "Console password", "콘솔 암호";
    ConsoleAccess => "Console access", "콘솔 액세스";
    Enabled => "Enabled", "활성화됨";
    Disabled => "Disabled", "비활성화됨";
    Created => "Created", "생성 시간";
    NoUsers => "No IAM users yet. The root user should not do daily work: create one.", "아직 IAM 사용자가 없습니다. 일상 작업은 루트 사용자로 하지 말고 사용자를 만드세요.";
    UserCreated => "User created. Its sign-in details are shown this once:", "사용자를 생성했습니다. 로그인 정보는 지금 한 번만 표시됩니다.";
    SignInUrl => "Console sign-in URL", "콘솔 로그인 URL";
    SecurityCredentials => "Security credentials", "보안 자격 증명";
    MyCredentials => "My security credentials", "내 보안 자격 증명";
    MfaDevices => "Multi-factor authentication (MFA)", "멀티 팩터 인증(MFA)";
    NoMfa => "No MFA device assigned. Assign one to protect this sign-in.", "할당된 MFA 디바이스가 없습니다. 로그인을 보호하려면 할당하세요.";
    AssignMfa => "Assign MFA device", "MFA 디바이스 할당";
    DeviceName => "Device name", "디바이스 이름";
    ScanQr => "Open your authenticator app and scan this QR code, or type the secret key. Then enter two consecutive codes.", "인증 앱을 열고 이 QR 코드를 스캔하거나 시드를 입력하세요. 그런 다음 연속된 코드 두 개를 입력하세요.";
    SecretKey => "Secret key (seed)", "시드(비밀 값)";
    Code1 => "MFA code 1", "MFA 코드 1";
    Code2 => "MFA code 2", "MFA 코드 2";
    AddMfa => "Add MFA", "MFA 추가";
    Identifier => "Identifier", "식별자";
    AccessKeys => "Access keys", "액세스 키";
    Status => "Status", "상태";
    CreateBucket => "Create bucket", "버킷 만들기";
    BucketName => "Bucket name", "버킷 이름";
    BlockAll => "Block all public access", "모든 퍼블릭 액세스 차단";
    BlockAllHelp => "Keep this on: CloudFront reads the bucket through origin access control, and nobody else needs to.", "이 설정을 유지하세요. CloudFront는 원본 액세스 제어(OAC)로 버킷을 읽으므로 다른 누구도 접근할 필요가 없습니다.";
    NoBuckets => "No buckets yet.", "아직 버킷이 없습니다.";
    Objects => "Objects", "객체";
    Permissions => "Permissions", "권한";
    Upload => "Upload", "업로드";
    ChooseFile => "File to upload", "업로드할 파일";
    Key => "Name", "이름";
    Size => "Size", "크기";
    LastModified => "Last modified", "마지막 수정";
    ObjectUrl => "Object URL", "객체 URL";
    ObjectUrlHelp => "Opening an object's URL asks S3 directly, without signing: with public access blocked it answers AccessDenied, as on AWS.", "객체 URL을 열면 서명 없이 S3에 직접 요청합니다. 퍼블릭 액세스가 차단되어 있으므로 AWS와 마찬가지로 AccessDenied로 응답합니다.";
    NoObjects => "No objects. Upload one.", "객체가 없습니다. 업로드하세요.";
    BucketPolicy => "Bucket policy", "버킷 정책";
    NoPolicy => "No policy.", "정책이 없습니다.";
    SavePolicy => "Save changes", "변경 사항 저장";
    DeletePolicy => "Delete policy", "정책 삭제";
    BlockPublicAccess => "Block public access (bucket settings)", "퍼블릭 액세스 차단(버킷 설정)";
    On => "On", "켜짐";
    Off => "Off", "꺼짐";
    CreateDistribution => "Create distribution", "배포 생성";
    NoDistributions => "No distributions yet.", "아직 배포가 없습니다.";
    DistributionId => "ID", "ID";
    DomainName => "Distribution domain name", "배포 도메인 이름";
    OriginDomain => "Origin domain", "원본 도메인";
    OriginAccess => "Origin access", "원본 액세스";
    OacRecommended => "Origin access control settings (recommended): the bucket stays private and only this distribution reads it.", "원본 액세스 제어 설정(권장): 버킷은 비공개로 유지되고 이 배포만 버킷을 읽습니다.";
    PublicOrigin => "Public: the bucket must allow public reads.", "퍼블릭: 버킷이 퍼블릭 읽기를 허용해야 합니다.";
    OacName => "Origin access control name (empty: named after the origin)", "원본 액세스 제어 이름(비워 두면 원본 이름을 씁니다)";
    DefaultRootObject => "Default root object", "기본 루트 객체";
    Deploying => "Deploying", "배포 중";
    Deployed => "Deployed", "배포됨";
    LastModifiedAt => "Last modified", "마지막 수정";
    PolicyBanner => "The S3 bucket policy needs to be updated. Copy this policy and paste it into the bucket's policy on its Permissions tab:", "S3 버킷 정책을 업데이트해야 합니다. 이 정책을 복사하여 버킷의 권한 탭에 있는 버킷 정책에 붙여 넣으세요.";
    GoToBucketPermissions => "Go to S3 bucket permissions to update policy", "S3 버킷 권한으로 이동하여 정책 업데이트";
    Invalidations => "Invalidations", "무효화";
    CreateInvalidation => "Create invalidation", "무효화 생성";
    ObjectPaths => "Object paths, one per line", "객체 경로(한 줄에 하나씩)";
    NoInvalidations => "No invalidations.", "무효화가 없습니다.";
    NoBucketForOrigin => "Create an S3 bucket first: it is the distribution's origin.", "먼저 S3 버킷을 만드세요. 버킷이 배포의 원본입니다.";
    DeleteSecurityGroup => "Delete security group", "보안 그룹 삭제";
    DeleteObjects => "Delete the chosen objects", "선택한 객체 삭제";
    EmptyBucket => "Empty bucket", "버킷 비우기";
    DeleteBucket => "Delete bucket", "버킷 삭제";
    DeleteBucketHelp => "A bucket must be empty before it can be deleted.", "버킷을 삭제하려면 먼저 비워야 합니다.";
    Disable => "Disable", "비활성화";
    Enable => "Enable", "활성화";
    DeleteDistribution => "Delete", "삭제";
    DeleteDistributionHelp => "A distribution can be deleted once it is disabled and deployed.", "배포는 비활성화된 뒤 전파가 끝나야 삭제할 수 있습니다.";
    OriginAccessControls => "Origin access controls", "원본 액세스 제어";
    CreateOriginAccessControl => "Create control setting", "제어 설정 생성";
    OriginAccessControlHelp => "For an S3 origin, signing every request with SigV4: the lecture's setting.", "S3 원본용으로, 모든 요청에 SigV4로 서명합니다. 강의에서 쓰는 설정입니다.";
    NoOriginAccessControls => "No origin access controls.", "원본 액세스 제어가 없습니다.";
    Deactivate => "Deactivate", "비활성화";
    DeleteDevice => "Delete device", "디바이스 삭제";
    RemoveConsoleAccess => "Remove console access", "콘솔 액세스 제거";
    DeleteUser => "Delete user", "사용자 삭제";
    NewRuleHelp => "Fill in a row to add a rule; tick Delete to remove one.", "규칙을 추가하려면 빈 행을 채우고, 삭제하려면 삭제를 선택하세요.";
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
