//! Lesson text made safe for the book's pages. Lessons and glossaries come from anyone, and
//! the book (and the classroom, which serves it) is opened by every learner: so lesson text
//! is Markdown, never HTML. Outside code, `<` and `>` show as typed instead of opening a tag;
//! a link or a picture whose address runs a script (`javascript:`, `data:`, …) shows as the
//! text it was written as. Code spans and blocks are left alone: Markdown shows them as
//! typed.
//!
//! The spans are found with pulldown-cmark, the parser mdBook renders with, so what is taken
//! for code or a link here is what the reader's page makes of it.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// A lesson text as safe Markdown (see the module's comment).
pub fn markdown(text: &str) -> String {
    let mut code: Vec<Range<usize>> = Vec::new();
    let parser = Parser::new_ext(text, Options::empty());
    // A reference definition (`[name]: address`) to a script is made text too, or a bare
    // `[name]` elsewhere would still link to it.
    let mut unsafe_links: Vec<usize> = parser
        .reference_definitions()
        .iter()
        .filter(|(_, definition)| !safe_address(&definition.dest))
        .filter_map(|(_, definition)| {
            text[definition.span.clone()]
                .find('[')
                .map(|at| definition.span.start + at)
        })
        .collect();
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => code.push(range),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !safe_address(&dest_url) =>
            {
                // The `[` that opens it (a picture's comes after its `!`); an autolink has
                // none, and its `<` is shown as typed below.
                if let Some(at) = text[range.clone()].find('[') {
                    unsafe_links.push(range.start + at);
                }
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if code.iter().any(|span| span.contains(&at)) {
            out.push(c);
            continue;
        }
        if unsafe_links.contains(&at) {
            // Its `[` escaped: the link is text, written as it was.
            out.push('\\');
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// A name shown inside a link or a heading (a lesson's title in the course's table): plain
/// text, its Markdown characters escaped, so it can neither close the link nor open one.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '[' | ']' | '`' | '*' | '_' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A name for mdBook's own markup (the sidebar's chapter names): without angle brackets,
/// which are shown as their look-alikes `‹ ›` there.
pub fn name(text: &str) -> String {
    text.replace('<', "‹").replace('>', "›")
}

/// Whether a link may lead to `address`: the web, mail, or a place in the book. Anything with
/// another scheme (`javascript:`, `data:`, `vbscript:`) may run something.
fn safe_address(address: &str) -> bool {
    // Browsers ignore blanks and control characters inside a scheme: `java\tscript:`.
    let squeezed: String = address
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = squeezed.find(':');
    let path_start = squeezed.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (None, _) => true,
        (Some(colon), Some(slash)) if slash < colon => true,
        (Some(colon), _) => matches!(&squeezed[..colon], "http" | "https" | "mailto"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_shows_as_typed_and_code_stays_code() {
        assert_eq!(
            markdown("T<script>alert(1)</script> and `<b>`"),
            "T&lt;script&gt;alert(1)&lt;/script&gt; and `<b>`"
        );
        // A backtick that opens no code span does not shield what follows.
        assert_eq!(
            markdown("` <img src=x onerror=alert(1)>"),
            "` &lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            markdown("```\n<b>kept</b>\n```\n<i>escaped</i>"),
            "```\n<b>kept</b>\n```\n&lt;i&gt;escaped&lt;/i&gt;"
        );
    }

    #[test]
    fn links_that_run_scripts_are_text() {
        for hostile in [
            "[click](javascript:alert(1))",
            "[click](JavaScript:alert(1))",
            "[click](java\tscript:alert(1))",
            "[click](data:text/html,<b>x</b>)",
            "![pic](javascript:alert(1))",
            "[click][evil]\n\n[evil]: javascript:alert(1)",
        ] {
            let shown = markdown(hostile);
            let html = {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, Parser::new(&shown));
                html
            };
            assert!(
                !html.to_lowercase().contains("href=\"java"),
                "{hostile}: {html}"
            );
            assert!(!html.contains("<a "), "{hostile}: {html}");
            assert!(!html.contains("<img"), "{hostile}: {html}");
        }
        for fine in [
            "[AWS](https://aws.amazon.com/)",
            "[next](lessons/next.md)",
            "[top](#top)",
            "[mail](mailto:a@example.com)",
        ] {
            assert_eq!(markdown(fine), fine);
        }
        // An autolink to a script is angle brackets, shown as typed.
        assert_eq!(
            markdown("<javascript:alert(1)>"),
            "&lt;javascript:alert(1)&gt;"
        );
    }

    #[test]
    fn a_title_cannot_leave_its_link() {
        let title = "T](javascript:alert(1)) [x";
        let cell = format!("[{}](lessons/a.md)", plain(title));
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new(&cell));
        assert!(html.contains("href=\"lessons/a.md\""), "{html}");
        assert!(!html.contains("javascript:alert(1)\""), "{html}");
        assert_eq!(name("A <b>title</b>"), "A ‹b›title‹/b›");
    }
}
