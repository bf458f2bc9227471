//! Colour, on terminals only.
//!
//! Scripted sessions, logs and CI read plain text, so colour is used only when standard output
//! is a terminal, and never when `NO_COLOR` is set to anything (<https://no-color.org>) or the
//! terminal is `dumb`.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Effects, Style as Ansi};

/// Paints text for the terminal, or passes it through unchanged.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    enabled: bool,
}

impl Style {
    /// Decides from the environment whether standard output gets colour.
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
        Style {
            enabled: !no_color && !dumb && std::io::stdout().is_terminal(),
        }
    }

    /// Plain text, whatever the terminal.
    pub fn plain() -> Style {
        Style { enabled: false }
    }

    /// Colour, for a terminal known to show it (a browser's xterm.js).
    pub fn colored() -> Style {
        Style { enabled: true }
    }

    pub fn enabled(self) -> bool {
        self.enabled
    }

    fn paint(self, style: Ansi, text: &str) -> String {
        if self.enabled {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// Headings: the lesson and step banner.
    pub fn heading(self, text: &str) -> String {
        self.paint(
            Ansi::new()
                .fg_color(Some(AnsiColor::Cyan.into()))
                .effects(Effects::BOLD),
            text,
        )
    }

    /// Something the learner got right.
    pub fn good(self, text: &str) -> String {
        self.paint(Ansi::new().fg_color(Some(AnsiColor::Green.into())), text)
    }

    /// Something that failed or is missing.
    pub fn bad(self, text: &str) -> String {
        self.paint(Ansi::new().fg_color(Some(AnsiColor::Red.into())), text)
    }

    /// A command the learner can type.
    pub fn command(self, text: &str) -> String {
        self.paint(
            Ansi::new()
                .fg_color(Some(AnsiColor::Yellow.into()))
                .effects(Effects::BOLD),
            text,
        )
    }

    /// Secondary information.
    pub fn dim(self, text: &str) -> String {
        self.paint(Ansi::new().effects(Effects::DIMMED), text)
    }
}
