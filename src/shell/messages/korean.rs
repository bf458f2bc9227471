//! The Korean catalogue rendered whole, the shell's messages and the AWS target's: no message
//! writes a particle in both forms (`을(를)`), and every particle right after a value agrees
//! with that value. Each message is rendered with values that end in a vowel, in ㄹ and in
//! another consonant, so a particle glued by hand after a value is wrong for one of them.

use super::*;
use crate::aws_target::Caller;
use crate::aws_target::found::Found;
use crate::aws_target::guard::Charge;
use crate::aws_target::messages as aws;
use crate::aws_target::spend::{Estimate, Line};
use crate::lang::particle;
use cloudlings_core::operation::Resource;

/// Names, files and code, each kind ending in a vowel, ㄹ and another consonant.
const NAMES: [&str; 9] = [
    "t2.micro",
    "index.html",
    "key.pem",
    "start",
    "ap-northeast-2",
    "i-0abc1236",
    "키",
    "서울",
    "버킷",
];

/// Numbers as Korean reads them: 이, 칠, 육백, 십, 사백, 일.
const NUMBERS: [u16; 6] = [2, 7, 600, 10, 400, 1];

/// Every Korean message, rendered with `name` for each text and `number` for each number.
fn catalogue(name: &str, number: u16) -> Vec<(&'static str, String)> {
    let ko = Lang::Ko;
    let s = name;
    let n = usize::from(number);
    let mut all: Vec<(&'static str, String)> = vec![
        ("help_heading", help_heading(ko)),
        ("help_footer", help_footer(ko)),
        ("welcome", welcome(ko, false)),
        ("welcome emulated", welcome(ko, true)),
        ("welcome_back", welcome_back(ko, s, n, n)),
        ("broken_lessons", broken_lessons(ko)),
        ("no_lessons", no_lessons(ko)),
        ("progress_recovered", progress_recovered(ko, s, s)),
        ("save_failed", save_failed(ko, s)),
        ("unknown_command", unknown_command(ko, s)),
        ("did_you_mean", did_you_mean(ko, s)),
        ("see_help", see_help(ko)),
        ("usage", usage(ko, s)),
        ("no_lesson_started", no_lesson_started(ko)),
        ("unknown_lesson", unknown_lesson(ko, s)),
        ("requires_first", requires_first(ko, s)),
        ("lessons_heading", lessons_heading(ko)),
        ("status_done", status_done(ko)),
        ("status_not_started", status_not_started(ko)),
        ("start_hint", start_hint(ko)),
        ("step_banner", step_banner(ko, u32::from(number), s, n, n)),
        ("quiz_prompt_choice", quiz_prompt_choice(ko)),
        ("quiz_prompt_number", quiz_prompt_number(ko, s)),
        ("quiz_prompt_number bare", quiz_prompt_number(ko, "")),
        ("quiz_prompt_text", quiz_prompt_text(ko)),
        ("read_prompt", read_prompt(ko)),
        ("task_checks_heading", task_checks_heading(ko)),
        ("task_prompt", task_prompt(ko, false)),
        ("task_prompt watching", task_prompt(ko, true)),
        ("noticed", noticed(ko)),
        ("watch_now on", watch_now(ko, true)),
        ("watch_now off", watch_now(ko, false)),
        ("watch_switched on", watch_switched(ko, true)),
        ("watch_switched off", watch_switched(ko, false)),
        ("step_already_passed", step_already_passed(ko)),
        ("hint", hint(ko, n, n)),
        ("no_hints", no_hints(ko)),
        ("no_more_hints", no_more_hints(ko)),
        ("nothing_to_check_read", nothing_to_check_read(ko)),
        ("check_is_for_tasks", check_is_for_tasks(ko)),
        ("checks_passed", checks_passed(ko, n, n)),
        ("check_unavailable", check_unavailable(ko, s)),
        ("server_unanswered", server_unanswered(ko, s)),
        ("joined", joined(ko, s, s, s)),
        ("unavailable_is_not_failure", unavailable_is_not_failure(ko)),
        ("task_passed", task_passed(ko)),
        ("right_answer", right_answer(ko)),
        ("wrong_answer", wrong_answer(ko)),
        ("not_a_choice", not_a_choice(ko, n)),
        ("not_a_number", not_a_number(ko)),
        ("offer_hint", offer_hint(ko)),
        ("offer_solution", offer_solution(ko)),
        ("no_question_here", no_question_here(ko)),
        ("type_next", type_next(ko)),
        ("finish_step_first", finish_step_first(ko)),
        ("first_step", first_step(ko)),
        ("lesson_complete", lesson_complete(ko, s)),
        ("next_lesson", next_lesson(ko, s, s)),
        ("course_complete", course_complete(ko)),
        ("last_step", last_step(ko)),
        ("nothing_to_solve", nothing_to_solve(ko)),
        ("confirm_solution", confirm_solution(ko)),
        ("solution_heading", solution_heading(ko)),
        ("solution_answer", solution_answer(ko, s)),
        ("solution_then", solution_then(ko)),
        ("cancelled", cancelled(ko)),
        ("confirm_reset_all", confirm_reset_all(ko)),
        ("reset_step_done", reset_step_done(ko)),
        ("reset_lesson_done", reset_lesson_done(ko, s)),
        ("reset_all_done", reset_all_done(ko)),
        ("cloud_emptied", cloud_emptied(ko)),
        ("not_utf8", not_utf8(ko)),
        ("reset_scope_unknown", reset_scope_unknown(ko, s)),
        ("progress_heading", progress_heading(ko, n, n)),
        ("progress_here", progress_here(ko, s, n, n)),
        ("progress_saved_in", progress_saved_in(ko, s)),
        ("lang_now", lang_now(ko)),
        ("lang_switched", lang_switched(ko)),
        ("lang_unknown", lang_unknown(ko, s)),
        ("goodbye", goodbye(ko)),
        ("run_failed", run_failed(ko, s)),
        ("run_status", run_status(ko, s)),
        ("run_needs_command", run_needs_command(ko)),
        ("clock_now", clock_now(ko, s, s)),
        ("clock_advanced", clock_advanced(ko, s)),
        ("clock_bad_duration", clock_bad_duration(ko, s)),
        ("aws_unsupported", aws_unsupported(ko, s)),
        ("aws_help", aws_help(ko)),
        ("aws_elsewhere", aws_elsewhere(ko)),
        ("aws_waiting", aws_waiting(ko, s)),
        ("aws_no_target", aws_no_target(ko)),
        ("aws_cannot_write", aws_cannot_write(ko, s, s)),
        ("no_emulator", no_emulator(ko)),
        ("bill_heading", bill_heading(ko, s, s, s)),
        ("edge_empty", edge_empty(ko)),
        ("edge_line", edge_line(ko, s, s, s)),
        ("bill_empty", bill_empty(ko)),
        ("bill_service ec2", bill_service(ko, billing::Service::Ec2)),
        ("bill_service vpc", bill_service(ko, billing::Service::Vpc)),
        (
            "bill_free_tier linux",
            bill_free_tier(ko, billing::Pool::Linux, s),
        ),
        (
            "bill_free_tier windows",
            bill_free_tier(ko, billing::Pool::Windows, s),
        ),
        (
            "bill_free_tier ipv4",
            bill_free_tier(ko, billing::Pool::PublicIpv4, s),
        ),
        (
            "bill_free_tier ebs",
            bill_free_tier(ko, billing::Pool::Storage, s),
        ),
        ("bill_credits", bill_credits(ko)),
        ("bill_total", bill_total(ko)),
        ("bill_hours", bill_hours(ko, s)),
        ("bill_gb_months", bill_gb_months(ko, s)),
        ("bill_prices", bill_prices(ko, s)),
        ("unterminated_quote", unterminated_quote(ko, '"')),
        ("ssh_key_too_open_hint", ssh_key_too_open_hint(ko, s)),
        ("ssh_key_missing_hint", ssh_key_missing_hint(ko, s, s)),
        ("ssh_key_refused_hint", ssh_key_refused_hint(ko)),
        ("ssh_no_key_hint", ssh_no_key_hint(ko)),
        ("net_timed_out_hint", net_timed_out_hint(ko, number)),
        ("net_refused_hint", net_refused_hint(ko, number)),
        ("net_refused_hint 80", net_refused_hint(ko, 80)),
        ("host_key_changed_hint", host_key_changed_hint(ko)),
        ("known_hosts_unreadable", known_hosts_unreadable(ko, s, s)),
        ("curl_https_unsupported", curl_https_unsupported(ko)),
        ("myip_hint", myip_hint(ko, s)),
        ("totp_usage", totp_usage(ko)),
        ("totp_unreadable", totp_unreadable(ko, s, s)),
        ("totp_not_a_seed", totp_not_a_seed(ko, s)),
        ("totp_now", totp_now(ko, u64::from(number))),
        ("totp_next", totp_next(ko)),
        ("totp_scan", totp_scan(ko)),
        ("on_aws_heading", on_aws_heading(ko)),
        ("on_windows_heading", on_windows_heading(ko)),
        ("check_skipped_here", check_skipped_here(ko)),
        ("nothing_checkable_here", nothing_checkable_here(ko)),
        ("confirm_reset_step", confirm_reset_step(ko)),
        ("solution_from_here", solution_from_here(ko)),
        ("confirm_reset_lesson", confirm_reset_lesson(ko, s, n)),
        ("aws_option_meant", aws_option_meant(ko, s, s)),
        ("host_command", host_command(ko, s, s)),
        ("no_cd", no_cd(ko, s)),
        ("port_taken", port_taken(ko, number, number)),
        ("edge_port_taken", edge_port_taken(ko, number, number)),
    ];
    for (enabled, deployed) in [(false, false), (true, false), (true, true)] {
        all.push(("edge_state", edge_state(ko, enabled, deployed)));
    }
    for command in COMMANDS {
        all.push((command.name, command.describe(ko).to_string()));
    }
    all.extend(aws_catalogue(s, number));
    all
}

/// The AWS target's messages, rendered as [`catalogue`] renders the shell's.
fn aws_catalogue(s: &str, number: u16) -> Vec<(&'static str, String)> {
    let ko = Lang::Ko;
    let n = usize::from(number);
    let caller = Caller {
        account: "123456789012".into(),
        arn: format!("arn:aws:iam::123456789012:user/{s}"),
    };
    let root = Caller {
        account: "123456789012".into(),
        arn: "arn:aws:iam::123456789012:root".into(),
    };
    let charges = [
        Charge::Instances {
            count: i32::from(number),
            instance_type: s.into(),
            windows: false,
            hourly: Some(0.0144),
            region: s.into(),
            root_gib: u32::from(number),
        },
        Charge::Instances {
            count: i32::from(number),
            instance_type: s.into(),
            windows: true,
            hourly: None,
            region: s.into(),
            root_gib: u32::from(number),
        },
        Charge::Restart {
            instances: vec![
                (s.into(), s.into(), Some(0.0144)),
                (s.into(), s.into(), None),
            ],
        },
        Charge::Distribution,
        Charge::Upload {
            bucket: s.into(),
            bytes: u64::from(number),
            region: s.into(),
        },
    ];
    let estimate = Estimate {
        lines: vec![Line {
            kind: Resource::Instance,
            id: s.into(),
            detail: s.into(),
            hours: 1.0,
            cost: Some(0.0144),
            running: true,
        }],
    };
    let found = |kind, hourly, running| Found {
        kind,
        id: s.into(),
        region: s.into(),
        label: Some(s.into()),
        hourly,
        running,
    };
    let left = [
        found(Resource::Instance, Some(0.0144), true),
        found(Resource::Instance, Some(0.0144), false),
        found(Resource::Bucket, None, false),
        found(Resource::Distribution, None, false),
        found(Resource::KeyPair, None, false),
    ];
    let mut all = vec![
        ("banner", aws::banner(ko, &caller, s, false, s, Some(s))),
        ("banner root", aws::banner(ko, &root, s, true, s, None)),
        ("root_warning", aws::root_warning(ko)),
        ("root_refused", aws::root_refused(ko)),
        ("go_ahead", aws::go_ahead(ko)),
        ("confirmed_by_flag", aws::confirmed_by_flag(ko)),
        ("declined", aws::declined(ko)),
        ("tag_failed", aws::tag_failed(ko, s)),
        ("bill", aws::bill(ko, s, &estimate, 0.0144)),
        (
            "bill empty",
            aws::bill(ko, s, &Estimate { lines: vec![] }, 0.0),
        ),
        ("quit_warning", aws::quit_warning(ko, &left)),
        ("cleanup_cannot_look", aws::cleanup_cannot_look(ko, s)),
        ("cleanup_nothing", aws::cleanup_nothing(ko)),
        ("cleanup_found", aws::cleanup_found(ko, n)),
        ("cleanup_deleted", aws::cleanup_deleted(ko, s)),
        ("cleanup_failed", aws::cleanup_failed(ko, s, s)),
        ("cleanup_done", aws::cleanup_done(ko, n, 0)),
        ("cleanup_done failed", aws::cleanup_done(ko, n, n)),
        ("only_on_aws", aws::only_on_aws(ko)),
        ("checkip_failed", aws::checkip_failed(ko, s)),
        ("clock_is_real", aws::clock_is_real(ko)),
        ("edge_on_aws", aws::edge_on_aws(ko)),
        ("journal_recovered", aws::journal_recovered(ko, s, s)),
        ("cleanup_keeps", aws::cleanup_keeps(ko, s)),
        ("key_withheld", aws::key_withheld(ko, s)),
    ];
    for charge in &charges {
        all.push(("charge", aws::charge(ko, charge)));
    }
    all
}

/// What is wrong with the particles of `message`, rendered with the values `values`.
fn particle_problems(message: &str, values: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(both) = particle::both_forms(message) {
        problems.push(format!("writes both forms: {both}"));
    }
    for value in values {
        for (at, _) in message.match_indices(value.as_str()) {
            let after = &message[at + value.len()..];
            if let Some((written, agrees)) = particle::mismatch(value, after) {
                let written = &after[written];
                problems.push(format!("{value}{written}, not {value}{agrees}"));
            }
        }
    }
    problems
}

#[test]
fn every_korean_message_agrees_with_what_it_shows() {
    let mut problems = Vec::new();
    for name in NAMES {
        for number in NUMBERS {
            let values = [name.to_string(), number.to_string()];
            for (builder, message) in catalogue(name, number) {
                for problem in particle_problems(&message, &values) {
                    problems.push(format!("{builder}: {problem}\n    {message}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_check_sees_a_particle_glued_by_hand() {
    let values = ["key.pem".to_string()];
    assert_eq!(
        particle_problems("`chmod 400 key.pem`로 바꾸세요", &values),
        ["key.pem로, not key.pem으로"]
    );
    assert_eq!(
        particle_problems("`key.pem`을(를) 읽을 수", &values),
        ["writes both forms: (를)"]
    );
    assert!(particle_problems("key.pem을 읽고 key.pem이고", &values).is_empty());
}
