//! The capstone, "Your page, your images", taken as a learner takes it, through piped standard
//! input: its solutions are held back until a `check` has failed, its checks fail before each
//! step and pass after it, and the last one follows the page's picture, so a page that takes
//! the very same bytes from the bucket's own (public) address still fails, for that reason.

use cloudlings::check::{self, Bindings};
use cloudlings::lesson::{Course, StepKind, Task};

use crate::Cloudlings;

const LESSON: &str = "your-page";

/// The values the learner's cloud gave so far, with `{myip}`, as the course walk reads them.
fn bindings(shell: &Cloudlings, myip: &str) -> Bindings {
    crate::walk::bindings(shell, myip).1
}

fn passed(shell: &Cloudlings, step: &str) -> bool {
    let (saved, _) = crate::walk::bindings(shell, "");
    saved["lessons"][LESSON][step]["passed"] == true
}

/// The lines of `check`'s answer about the check labelled `label`: its mark and its reason.
fn verdict(answer: &str, label: &str) -> String {
    let mut lines = answer.lines().skip_while(|line| !line.contains(label));
    let head = lines
        .next()
        .unwrap_or_else(|| panic!("no {label:?} in\n{answer}"));
    let reason = lines
        .next()
        .filter(|line| !line.trim_start().starts_with(['✓', '✗']))
        .unwrap_or_default();
    format!("{head}\n{reason}")
}

fn task<'a>(course: &'a Course, step: &str) -> &'a Task {
    let lesson = course
        .lessons
        .iter()
        .find(|lesson| lesson.id == LESSON)
        .expect("the capstone ships");
    let index = lesson.step_index(step).expect("the step");
    match &lesson.steps[index].kind {
        StepKind::Task(task) => task,
        _ => panic!("{step} is a task"),
    }
}

/// Moves on to `step` (the one after where the learner is), checks it and asks for its
/// solution: the check fails, and the solution is shown since it did.
fn try_first(shell: &Cloudlings, course: &Course, index: usize, step: &str) {
    let mut script = vec![format!("start {LESSON}")];
    if index > 0 {
        script.push("next".to_string());
    }
    script.extend(["check", "solution", "quit"].map(String::from));
    let run = shell.session(&script.join("\n")).success();
    let answer = run.answer_to("check", 1);
    assert!(
        answer.contains('✗') && !passed(shell, step),
        "step {index} ({step}) passes before the learner did anything:\n{answer}"
    );
    let solution = run.answer_to("solution", 1);
    let first = &task(course, step).solution[0];
    let shown = first
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        solution.contains("Solution:") && solution.contains(&shown),
        "after a failed check, `solution` shows the commands of {step}:\n{solution}"
    );
}

/// Types `lines` (filled as the learner copies them), then `check`; the check's answer.
fn type_and_check(shell: &Cloudlings, myip: &str, lines: &[String]) -> String {
    let known = bindings(shell, myip);
    let mut script = vec![format!("start {LESSON}")];
    script.extend(
        lines
            .iter()
            .map(|line| check::fill_command(line, &known, &shell.files())),
    );
    script.extend(["check".to_string(), "quit".to_string()]);
    let run = shell.session(&script.join("\n")).success();
    run.answer_to("check", 1)
}

#[test]
fn the_capstone_fails_before_passes_after_and_refuses_a_picture_from_the_bucket() {
    let shell = Cloudlings::new().arg("--lang").arg("en");
    let myip = shell.session("myip\nquit\n").success().answer_to("myip", 1);
    let myip = myip.lines().next().unwrap_or_default().to_string();
    let course = Course::embedded();

    // Before any attempt, `solution` explains itself instead; `hint` helps meanwhile.
    let run = shell
        .session(&format!("start {LESSON}\nnext\nsolution\nhint\nquit\n"))
        .success();
    let refused = run.answer_to("solution", 1);
    assert!(
        refused.contains("only after you have tried") && !refused.contains("Solution:"),
        "{refused}"
    );
    assert!(
        run.answer_to("hint", 1).contains("Hint 1/"),
        "{}",
        run.stdout()
    );

    for (index, step) in ["server", "bucket", "distribution", "let-cloudfront-in"]
        .into_iter()
        .enumerate()
    {
        try_first(&shell, &course, index, step);
        let answer = type_and_check(&shell, &myip, &task(&course, step).solution);
        assert!(passed(&shell, step), "{step} after its solution:\n{answer}");
    }

    // The page step: checked before anything is there, then done the wrong way, with a
    // picture that is really reachable at the bucket's public address (same bytes), so the
    // only thing wrong is where the page takes it from.
    try_first(&shell, &course, 4, "page");
    let known = bindings(&shell, &myip);
    let bucket = &known["page_bucket"];
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{bucket}/*"}}, {{"Sid": "AllowCloudFrontServicePrincipal", "Effect": "Allow", "Principal": {{"Service": "cloudfront.amazonaws.com"}}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{bucket}/*", "Condition": {{"StringEquals": {{"AWS:SourceArn": "arn:aws:cloudfront::{account}:distribution/{distribution}"}}}}}}]}}"#,
        account = known["account_id"],
        distribution = known["page_distribution_id"],
    );
    std::fs::write(shell.work_dir().join("public.json"), policy).expect("write the policy");
    let wrong: Vec<String> = [
        "ssh -i \"my-page.pem\" ubuntu@{page_dns}",
        "yes",
        "sudo apt update",
        "sudo apt install -y nginx",
        "echo '<!doctype html><title>Me</title><h1>Me</h1><img src=https://{page_bucket}.s3.amazonaws.com/avatar.svg alt=me>' | sudo tee /var/www/html/index.html",
        "exit",
        "aws s3api put-public-access-block --bucket {page_bucket} --public-access-block-configuration BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false",
        "aws s3api put-bucket-policy --bucket {page_bucket} --policy file://public.json",
    ]
    .map(String::from)
    .to_vec();
    let answer = type_and_check(&shell, &myip, &wrong);
    let public = shell
        .session(&check::fill_command(
            "curl -s http://{page_bucket}.s3.amazonaws.com/avatar.svg\nquit\n",
            &known,
            &shell.files(),
        ))
        .success();
    assert!(
        public.stdout().contains("<svg"),
        "the bucket's own address serves the picture to anyone now:\n{}",
        public.stdout()
    );
    let source = verdict(&answer, "the page's picture comes from your distribution");
    assert!(
        source.contains('✗')
            && source.contains(&format!("straight from S3 ({bucket}.s3.amazonaws.com)")),
        "the page's source is refused, and said to be S3:\n{answer}"
    );
    let bytes = verdict(&answer, "byte for byte");
    assert!(
        bytes.contains('✓'),
        "the bytes themselves are the learner's, so only the source is wrong:\n{answer}"
    );
    assert!(!passed(&shell, "page"), "{answer}");

    // The reason's own command points the page at the distribution, and the step passes.
    let reason = source.lines().nth(1).unwrap_or_default();
    let commands = cloudlings::rehearsal::suggested(reason);
    assert_eq!(commands.len(), 1, "{reason}");
    let answer = type_and_check(&shell, &myip, &commands);
    assert!(
        passed(&shell, "page"),
        "the page after the advice:\n{answer}"
    );

    // The solution as written passes as well, from a page that points elsewhere.
    let elsewhere: Vec<String> = [
        "ssh -i \"my-page.pem\" ubuntu@{page_dns} \"echo '<img src=http://example.com/avatar.svg>' | sudo tee /var/www/html/index.html\"",
    ]
    .map(String::from)
    .to_vec();
    let answer = type_and_check(&shell, &myip, &elsewhere);
    let source = verdict(&answer, "the page's picture comes from your distribution");
    assert!(source.contains('✗'), "another site is refused:\n{answer}");
    let mut solution = task(&course, "page").solution.clone();
    // The host key is known by now: ssh asks no more.
    solution.retain(|line| line != "yes");
    let answer = type_and_check(&shell, &myip, &solution);
    assert!(
        !answer.contains('✗'),
        "every check holds after the solution:\n{answer}"
    );
}
