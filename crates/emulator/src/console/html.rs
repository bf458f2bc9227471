//! HTML as the console writes it: every text escaped on its way in, so a resource's name or
//! tag (the learner's, or a hostile one) is only ever text on the page.

use std::fmt::Write as _;

use super::words::{Lang, Word};

/// `text` with the five characters HTML gives meaning to replaced by references.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A time as the console's tables show it: `2026-12-08 01:14:02 UTC`.
pub fn when(time: time::OffsetDateTime) -> String {
    let time = time.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// A page's markup, built in order. Text goes in through [`Html::text`] (escaped); only the
/// console's own fixed markup goes in raw.
#[derive(Debug, Default)]
pub struct Html(String);

impl Html {
    pub fn new() -> Html {
        Html::default()
    }

    /// The console's own markup, never anything a request or the state supplied.
    pub fn raw(&mut self, markup: &'static str) -> &mut Html {
        self.0.push_str(markup);
        self
    }

    pub fn text(&mut self, text: &str) -> &mut Html {
        self.0.push_str(&escape(text));
        self
    }

    /// `<tag class="…">text</tag>`.
    pub fn element(&mut self, tag: &'static str, class: &'static str, text: &str) -> &mut Html {
        let _ = write!(self.0, "<{tag} class=\"{class}\">{}</{tag}>", escape(text));
        self
    }

    /// A link to one of the console's own pages (or an edge address it built).
    pub fn link(&mut self, href: &str, text: &str) -> &mut Html {
        let _ = write!(self.0, "<a href=\"{}\">{}</a>", escape(href), escape(text));
        self
    }

    /// `<th>` cells for a table's header row.
    pub fn header_row(&mut self, lang: Lang, words: &[Word]) -> &mut Html {
        self.raw("<thead><tr>");
        for word in words {
            self.element("th", "", lang.word(*word));
        }
        self.raw("</tr></thead>")
    }

    /// A hidden form field.
    pub fn hidden(&mut self, name: &'static str, value: &str) -> &mut Html {
        let _ = write!(
            self.0,
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            escape(value)
        );
        self
    }

    /// A labelled text field.
    pub fn field(
        &mut self,
        lang: Lang,
        label: Word,
        name: &'static str,
        kind: &'static str,
        value: &str,
    ) -> &mut Html {
        let _ = write!(
            self.0,
            "<label>{}<input type=\"{kind}\" name=\"{name}\" id=\"{name}\" value=\"{}\" autocomplete=\"off\"></label>",
            escape(lang.word(label)),
            escape(value)
        );
        self
    }

    /// A `POST` form's opening tag with its CSRF token.
    pub fn form(&mut self, action: &str, csrf: &str) -> &mut Html {
        let _ = write!(
            self.0,
            "<form method=\"post\" action=\"{}\">",
            escape(action)
        );
        self.hidden("csrf", csrf)
    }

    pub fn button(&mut self, lang: Lang, word: Word, class: &'static str) -> &mut Html {
        let _ = write!(
            self.0,
            "<button type=\"submit\" class=\"{class}\">{}</button>",
            escape(lang.word(word))
        );
        self
    }

    /// A labelled `<select>`; each option is `(value, text, selected)`.
    pub fn select(
        &mut self,
        label: &str,
        name: &'static str,
        options: &[(String, String, bool)],
    ) -> &mut Html {
        let _ = write!(
            self.0,
            "<label>{}<select name=\"{name}\" id=\"{name}\">",
            escape(label)
        );
        for (value, text, selected) in options {
            let _ = write!(
                self.0,
                "<option value=\"{}\"{}>{}</option>",
                escape(value),
                if *selected { " selected" } else { "" },
                escape(text)
            );
        }
        self.raw("</select></label>")
    }

    /// A checkbox or radio button with its text beside it.
    pub fn choice(
        &mut self,
        kind: &'static str,
        name: &'static str,
        value: &str,
        text: &str,
        checked: bool,
    ) -> &mut Html {
        let _ = write!(
            self.0,
            "<label class=\"choice\"><input type=\"{kind}\" name=\"{name}\" value=\"{}\"{}> {}</label>",
            escape(value),
            if checked { " checked" } else { "" },
            escape(text)
        );
        self
    }

    /// An image from one of the console's own `data:` URLs.
    pub fn image(&mut self, source: &str, alt: &str) -> &mut Html {
        let _ = write!(
            self.0,
            "<img src=\"{}\" alt=\"{}\">",
            escape(source),
            escape(alt)
        );
        self
    }

    /// A list page's heading: its title with the count, and the button that makes one more.
    pub fn list_heading(
        &mut self,
        lang: Lang,
        title: Word,
        count: usize,
        create: &str,
        button: Word,
    ) -> &mut Html {
        self.raw("<div class=\"toolbar\">");
        self.element("h1", "", &format!("{} ({count})", lang.word(title)));
        let _ = write!(
            self.0,
            "<a class=\"button primary\" href=\"{}\">{}</a></div>",
            escape(create),
            escape(lang.word(button))
        );
        self
    }

    /// What the API answered when it refused a change, as the page's error.
    pub fn refusal(&mut self, problem: Option<&super::calls::Refusal>) -> &mut Html {
        if let Some(problem) = problem {
            self.element(
                "p",
                "alert error",
                &format!("{}: {}", problem.code, problem.message),
            );
        }
        self
    }

    /// A chart the console drew itself, from numbers alone.
    pub fn svg(&mut self, svg: String) -> &mut Html {
        self.0.push_str(&svg);
        self
    }

    /// Another piece of markup, built the same way.
    pub fn append(&mut self, other: Html) -> &mut Html {
        self.0.push_str(&other.0);
        self
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        let mut html = Html::new();
        html.element("td", "name", "<img src=x onerror=alert(1)>")
            .link("/ec2/instances/\"><b>", "i-1");
        let page = html.into_string();
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("\"><b>"), "{page}");
    }
}
