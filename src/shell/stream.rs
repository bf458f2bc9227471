//! A shell driven by the bytes of a terminal that is not this process's own: a browser's
//! terminal over a WebSocket, in a classroom where one server runs every learner's shell.
//!
//! Where rustyline stands at a real terminal, the line discipline of the emulated instances'
//! SSH sessions stands here ([`LineEditor`]): it echoes, edits, recalls history and completes
//! with the shell's own [`Completion`], and hands the session whole lines. What the session
//! prints goes back with `\r\n` line ends, as a terminal in raw mode needs them.
//!
//! Ctrl-C at the prompt clears the line. While a command runs, [`Stream::feed`] is busy on its
//! thread; the thread reading the terminal raises the stream's own flag
//! ([`Stream::interrupt`]), which stops that command and no other learner's.

use cloudlings_os::{Event, LineEditor, crlf};

use super::{Completion, Flow, Session};
use crate::interrupt::{self, Flag};

/// One learner's shell, fed a terminal's bytes.
#[derive(Debug)]
pub struct Stream {
    session: Session,
    editor: LineEditor,
    completion: Completion,
    flag: Flag,
    ended: bool,
}

impl Stream {
    /// Starts the shell: the greeting and the first prompt to show.
    pub fn start(session: Session) -> (Stream, Vec<u8>) {
        let mut session = session.without_terminal();
        let completion = Completion::of(&session);
        let mut printed = Vec::new();
        // Writing to memory cannot fail.
        let _ = session.greet(&mut printed);
        let mut stream = Stream {
            session,
            editor: LineEditor::new(),
            completion,
            flag: Flag::default(),
            ended: false,
        };
        let mut screen = terminal_text(&printed);
        stream.prompt(&mut screen);
        (stream, screen)
    }

    /// The flag that stops the command running now, for the thread that reads the terminal
    /// to raise on Ctrl-C.
    pub fn interrupt(&self) -> Flag {
        self.flag.clone()
    }

    /// The terminal's width, for completion lists.
    pub fn resize(&mut self, columns: usize) {
        self.editor.set_columns(columns);
    }

    /// Whether the learner quit (or the input ended).
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Takes what the terminal sent (keys, a pasted block) and returns what to show: echoes,
    /// and the output of each line entered, run in order.
    pub fn feed(&mut self, input: &[u8]) -> Vec<u8> {
        interrupt::use_on_this_thread(self.flag.clone());
        let mut screen = Vec::new();
        let mut rest = input;
        while !rest.is_empty() && !self.ended {
            let completion = &self.completion;
            let (events, used) = self.editor.feed_line(rest, &mut |before| {
                completion.candidates(before, before.len()).1
            });
            rest = &rest[used..];
            for event in events {
                match event {
                    Event::Echo(bytes) => screen.extend_from_slice(&bytes),
                    Event::Line(line) => self.run(&line, &mut screen),
                    Event::Interrupt => {
                        let mut printed = Vec::new();
                        let _ = self.session.interrupt(&mut printed);
                        screen.extend(terminal_text(&printed));
                        self.prompt(&mut screen);
                    }
                    Event::Eof => {
                        let mut printed = Vec::new();
                        let _ = self.session.end_input(&mut printed);
                        let _ = self.session.execute("quit", &mut printed);
                        screen.extend(terminal_text(&printed));
                        self.ended = true;
                    }
                }
            }
        }
        screen
    }

    /// Runs one line, as the shell's loop runs a line typed at a terminal.
    fn run(&mut self, line: &str, screen: &mut Vec<u8>) {
        let mut printed = Vec::new();
        self.flag.clear();
        let flow = self.session.execute(line, &mut printed);
        if self.flag.requested() {
            self.flag.clear();
            let _ = self.session.stopped(&mut printed);
        }
        screen.extend(terminal_text(&printed));
        match flow {
            Ok(Flow::Quit) => self.ended = true,
            // The screen is memory: a write to it does not fail, and a failed save was said.
            Ok(Flow::Continue) | Err(_) => self.prompt(screen),
        }
    }

    fn prompt(&mut self, screen: &mut Vec<u8>) {
        let prompt = self.session.prompt();
        screen.extend_from_slice(prompt.as_bytes());
        self.editor.set_prompt(&prompt);
    }
}

/// What the session printed, with the line ends a terminal in raw mode needs.
fn terminal_text(printed: &[u8]) -> Vec<u8> {
    crlf(&String::from_utf8_lossy(printed)).into_bytes()
}
