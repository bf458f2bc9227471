//! The companion book, built from the lesson files in both languages: every lesson a chapter,
//! no broken links, a lesson's change in the book, and the mdbook CLI's preprocessor protocol.

use std::path::{Path, PathBuf};

use crate::{BIN, Cloudlings, repo};

/// A copy of the shipped lessons, to change and build books of.
fn lessons() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    for entry in std::fs::read_dir(repo("lessons"))
        .expect("lessons")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            std::fs::copy(&path, dir.path().join(entry.file_name())).expect("copy a lesson");
        }
    }
    dir
}

fn build(lessons: &Path, out: &Path) -> String {
    Cloudlings::new()
        .arg("--lessons")
        .arg(lessons.display().to_string())
        .run(&["book", "--out", &out.display().to_string()])
        .success()
        .stdout()
}

/// Every HTML page under `dir`.
fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "html") {
                found.push(path);
            }
        }
    }
    found
}

/// The local targets of `href` and `src` attributes in `html` that do not exist.
fn broken_links(page: &Path, html: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for (at, _) in html.match_indices(attribute) {
            // Only attributes of real tags: text that shows `&lt;img src="…"&gt;` is not one.
            let before = &html[..at];
            if before.rfind('<') < before.rfind('>') {
                continue;
            }
            let piece = &html[at + attribute.len()..];
            let link = piece.split('"').next().unwrap_or_default();
            let local = !(link.is_empty()
                || link.starts_with('#')
                || link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with("javascript:"));
            if !local {
                continue;
            }
            let file = link.split(['#', '?']).next().unwrap_or_default();
            if file.is_empty() {
                continue;
            }
            let target = page.parent().expect("folder").join(file);
            if !target.exists() {
                broken.push(link.to_string());
            }
        }
    }
    broken
}

#[test]
fn the_book_has_a_chapter_per_lesson_in_both_languages_and_no_broken_links() {
    let lessons = lessons();
    let out = tempfile::tempdir().expect("out");
    let printed = build(lessons.path(), out.path());
    for lang in ["en", "ko"] {
        let index = out.path().join(lang).join("index.html");
        assert!(printed.contains(&index.display().to_string()), "{printed}");
        let chapter = out.path().join(lang).join("lessons/what-is-the-cloud.html");
        let html = std::fs::read_to_string(&chapter).expect("the lesson's chapter");
        let title = if lang == "en" {
            "What is the cloud?"
        } else {
            "클라우드란 무엇일까?"
        };
        assert!(html.contains(title), "{lang}");
        assert!(html.contains("<details>"), "hints and answers are folded");
        assert!(!html.contains("{price:"), "facts are filled in");
        // How a step goes on a real account is in the chapter, as the shell shows it there.
        let ec2 = std::fs::read_to_string(out.path().join(lang).join("lessons/ec2-and-cost.html"))
            .expect("the EC2 chapter");
        let on_aws = if lang == "en" {
            "On a real AWS account:"
        } else {
            "실제 AWS 계정에서는:"
        };
        assert!(ec2.contains(on_aws), "{lang}: on_aws");
        // And how it goes on Windows: the text, and the solution with PowerShell's lines.
        let on_windows = if lang == "en" {
            "On Windows:"
        } else {
            "윈도우에서는:"
        };
        assert!(html.contains(on_windows), "{lang}: on_windows");
        assert!(html.contains("icacls.exe cloudlings-lab"), "{lang}");
        assert!(html.contains("!mkdir -Force cloudlings-lab"), "{lang}");
        assert!(ec2.contains("wait password-data-available"), "{lang}");
        assert!(
            !ec2.contains("{ami_"),
            "{lang}: images are named by the emulator's ids"
        );
        let real = std::fs::read_to_string(out.path().join(lang).join("real-aws.html"))
            .expect("the real-AWS page");
        assert!(real.contains("--target aws") && real.contains("cleanup"));
        let toc = std::fs::read_to_string(out.path().join(lang).join("toc.html")).expect("toc");
        let course = cloudlings::lesson::Course::embedded();
        assert_eq!(course.lessons.len(), 9);
        for lesson in &course.lessons {
            let page = format!("lessons/{}.html", lesson.id);
            assert!(toc.contains(&page), "{lang}: {page} is not in the contents");
            assert!(out.path().join(lang).join(&page).exists(), "{lang}: {page}");
        }
        for page in pages(&out.path().join(lang)) {
            let html = std::fs::read_to_string(&page).expect("page");
            let broken = broken_links(&page, &html);
            assert!(broken.is_empty(), "{}: {broken:?}", page.display());
        }
    }
    let korean = std::fs::read_to_string(out.path().join("ko/learners.html")).expect("learners");
    assert!(korean.contains("학습자를 위한 안내") && korean.contains("totp"));
    let reference =
        std::fs::read_to_string(out.path().join("en/instructors.html")).expect("instructors");
    assert!(reference.contains("ProbeFile") && reference.contains("holds_before"));
}

/// A page of one built language.
fn page(out: &Path, lang: &str, name: &str) -> String {
    std::fs::read_to_string(out.join(lang).join(name))
        .unwrap_or_else(|error| panic!("{lang}/{name}: {error}"))
}

#[test]
fn the_overview_glossary_and_cheat_sheet_are_there_in_each_language() {
    let lessons = lessons();
    let out = tempfile::tempdir().expect("out");
    build(lessons.path(), out.path());
    let course = cloudlings::lesson::Course::embedded();
    let minutes: u32 = course.lessons.iter().map(|l| l.overview.minutes).sum();
    let t3 = cloudlings::facts::value("price:t3.micro").expect("a price");
    // (language, its own words, the other language's words that must not be there)
    let cases = [
        (
            "en",
            cloudlings::lang::Lang::En,
            [
                "Course overview",
                "Glossary",
                "Cheat sheet",
                "What it costs",
                "Reference",
            ],
            [
                "강의 한눈에 보기",
                "용어집",
                "치트 시트",
                "요금",
                "참고 자료",
            ],
        ),
        (
            "ko",
            cloudlings::lang::Lang::Ko,
            [
                "강의 한눈에 보기",
                "용어집",
                "치트 시트",
                "요금",
                "참고 자료",
            ],
            [
                "Course overview",
                "Glossary",
                "Cheat sheet",
                "What it costs",
                ">Reference<",
            ],
        ),
    ];
    for (lang, code, own, other) in cases {
        let overview = page(out.path(), lang, "overview.html");
        assert!(overview.contains(own[0]), "{lang}: overview title");
        assert!(
            !overview.contains(other[0]),
            "{lang}: overview untranslated"
        );
        for lesson in &course.lessons {
            assert!(
                overview.contains(lesson.title.get(code)),
                "{lang}: {}",
                lesson.id
            );
        }
        let total = cloudlings::lesson::overview::duration(minutes, code);
        assert!(
            overview.contains(&format!("<strong>{total}</strong>")),
            "{lang}: total"
        );

        // mdBook's smart punctuation curls apostrophes.
        let glossary = page(out.path(), lang, "glossary.html").replace('’', "'");
        assert!(
            glossary.contains(own[1]) && !glossary.contains(other[1]),
            "{lang}"
        );
        for term in &course.glossary.terms {
            assert!(
                glossary.contains(&term.ko) && glossary.contains(&term.en),
                "{lang}: {}",
                term.en
            );
            assert!(
                glossary.contains(term.means.get(code)),
                "{lang}: {}",
                term.en
            );
        }

        let sheet = page(out.path(), lang, "cheatsheet.html");
        assert!(
            sheet.contains(own[2]) && !sheet.contains(other[2]),
            "{lang}: sheet title"
        );
        assert!(
            sheet.contains(own[3]) && !sheet.contains(other[3]),
            "{lang}: sheet headings"
        );
        assert!(
            sheet.contains(&format!("${t3}")),
            "{lang}: the sheet's prices are the facts"
        );
        assert!(
            sheet.contains("icacls key.pem") && sheet.contains("totp"),
            "{lang}"
        );
        assert!(
            sheet.contains("class=\"cheatsheet\""),
            "{lang}: the print layout"
        );

        let toc = page(out.path(), lang, "toc.html");
        assert!(
            toc.contains(own[4]) && !toc.contains(other[4]),
            "{lang}: sidebar headings"
        );
        for name in ["overview.html", "glossary.html", "cheatsheet.html"] {
            assert!(toc.contains(name), "{lang}: {name} is not in the contents");
        }

        let ssh = page(out.path(), lang, "lessons/ssh.html");
        let time = if lang == "en" {
            "Time:"
        } else {
            "소요 시간:"
        };
        assert!(
            ssh.contains(time),
            "{lang}: the lesson opens with its overview"
        );
        assert!(
            ssh.contains("203.0.113.25"),
            "{lang}: {{myip}} shows as an example"
        );
        assert!(
            !ssh.contains("{myip}") && !ssh.contains("{instance_dns}"),
            "{lang}"
        );
        let means = if lang == "en" {
            "your address on the internet"
        } else {
            "내 인터넷 주소"
        };
        assert!(
            ssh.contains(means),
            "{lang}: the page says what the example stands for"
        );
    }
}

#[test]
fn a_change_to_a_lesson_shows_in_the_book() {
    let lessons = lessons();
    let file = lessons.path().join("01-what-is-the-cloud.toml");
    let text = std::fs::read_to_string(&file).expect("lesson");
    let changed = text.replacen(
        "Cloud computing, at its simplest,",
        "Cloud computing, as this test words it,",
        1,
    );
    assert_ne!(text, changed);
    std::fs::write(&file, changed).expect("write");
    let out = tempfile::tempdir().expect("out");
    build(lessons.path(), out.path());
    let html = std::fs::read_to_string(out.path().join("en/lessons/what-is-the-cloud.html"))
        .expect("chapter");
    assert!(html.contains("Cloud computing, as this test words it,"));
}

/// The mdbook CLI's way: book.toml names `cloudlings book preprocess` as a command, which mdBook
/// asks whether it supports the renderer, then hands the book over as JSON.
#[test]
fn the_mdbook_cli_runs_cloudlings_as_its_preprocessor() {
    let supports = Cloudlings::new().run(&["book", "preprocess", "supports", "html"]);
    assert_eq!(supports.code(), Some(0));
    let refuses = Cloudlings::new().run(&["book", "preprocess", "supports", "epub"]);
    assert_eq!(refuses.code(), Some(1));

    let lessons = lessons();
    let book = tempfile::tempdir().expect("book");
    std::fs::create_dir(book.path().join("src")).expect("src");
    std::fs::copy(
        repo("book/cheatsheet.css"),
        book.path().join("cheatsheet.css"),
    )
    .expect("copy the cheat sheet's style");
    for file in [
        "SUMMARY.md",
        "index.md",
        "overview.md",
        "lessons.md",
        "learners.md",
        "glossary.md",
        "cheatsheet.md",
        "instructors.md",
        "real-aws.md",
    ] {
        std::fs::copy(
            repo(&format!("book/src/{file}")),
            book.path().join("src").join(file),
        )
        .expect("copy the frame");
    }
    let command = format!(
        "{BIN} --lessons {} book preprocess",
        lessons.path().display()
    );
    let config = std::fs::read_to_string(repo("book/book.toml"))
        .expect("book.toml")
        .replace(
            "command = \"cloudlings book preprocess\"",
            &format!("command = {command:?}"),
        );
    std::fs::write(book.path().join("book.toml"), config).expect("config");
    let loaded = mdbook_driver::MDBook::load(book.path()).expect("load the book");
    loaded.build().expect("build with the command preprocessor");
    let chapter = book.path().join("build/en/lessons/what-is-the-cloud.html");
    assert!(
        std::fs::read_to_string(chapter)
            .expect("the lesson's chapter")
            .contains("What is the cloud?")
    );
}

#[test]
fn lesson_text_is_never_html_in_the_book() {
    // HTML, a script and a javascript: link in every kind of text a lesson has.
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>[go](javascript:alert(3))";
    let text = |label: &str| {
        format!(
            "{{ en = \"{label} {}\", ko = \"{label} {}\" }}",
            hostile.replace('"', "\\\""),
            hostile.replace('"', "\\\"")
        )
    };
    let lesson = format!(
        r#"format_version = 1
id = "hostile"
order = 1
title = {title}
summary = {summary}

[[steps]]
id = "read"
kind = "read"
title = {step_title}
text = {text}
hints = [{hint}]

[[steps]]
id = "quiz"
kind = "quiz"
text = {quiz}
choices = [{choice_a}, {choice_b}]
answer = 1
explanation = {explanation}

[[steps]]
id = "task"
kind = "task"
text = {task}
solution = ["aws sts get-caller-identity ``` <script>alert(4)</script>"]

[[steps.checks]]
label = {label}
reason = {reason}
probe.aws = "sts get-caller-identity"
query = "Account"
expect = "not-empty"

[overview]
minutes = 1
builds = {builds}
"#,
        title = text("T"),
        summary = text("S"),
        step_title = text("ST"),
        text = text("X"),
        hint = text("H"),
        quiz = text("Q"),
        choice_a = text("A"),
        choice_b = text("B"),
        explanation = text("E"),
        task = text("K"),
        label = text("L"),
        reason = text("R"),
        builds = text("O"),
    );
    let lessons = tempfile::tempdir().expect("lessons");
    std::fs::write(lessons.path().join("01-hostile.toml"), lesson).expect("lesson");
    let out = tempfile::tempdir().expect("out");
    build(lessons.path(), out.path());
    let pages = pages(out.path());
    assert!(!pages.is_empty());
    let mut seen_text = false;
    for page in pages {
        let html = std::fs::read_to_string(&page).expect("page");
        let lower = html.to_lowercase();
        for (n, marker) in ["alert(1)", "alert(2)", "alert(3)", "alert(4)"]
            .iter()
            .enumerate()
        {
            // The text may show, as text; never as markup that runs.
            let script = format!("<script>{marker}");
            assert!(!lower.contains(&script), "{}: script {n}", page.display());
        }
        assert!(!lower.contains("<img src=x"), "{}", page.display());
        assert!(!lower.contains("href=\"javascript:"), "{}", page.display());
        seen_text |= html.contains("&lt;script&gt;alert(1)");
    }
    assert!(seen_text, "the hostile text shows, as text");
}
