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

use std::io::{self, Write};

use cloudlings_os::{Event, LineEditor};

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
        let session = session.without_terminal();
        let completion = Completion::of(&session);
        let mut stream = Stream {
            session,
            editor: LineEditor::new(),
            completion,
            flag: Flag::default(),
            ended: false,
        };
        let mut screen = Vec::new();
        {
            // Writing to memory cannot fail.
            let mut crlf = Crlf::new(&mut screen);
            let _ = stream.session.greet(&mut crlf);
            let _ = stream.prompt(&mut crlf);
        }
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
        let mut screen = Vec::new();
        // Memory takes every write.
        let _ = self.feed_to(input, &mut screen);
        screen
    }

    /// As [`Stream::feed`], writing to `screen` as the shell prints, so that a long command's
    /// output shows while it runs. An error is `screen`'s own: the learner is gone.
    pub fn feed_to(&mut self, input: &[u8], screen: &mut dyn Write) -> io::Result<()> {
        interrupt::use_on_this_thread(self.flag.clone());
        let mut screen = Crlf::new(screen);
        let mut rest = input;
        while !rest.is_empty() && !self.ended {
            let completion = &self.completion;
            let (events, used) = self.editor.feed_line(rest, &mut |before| {
                completion.candidates(before, before.len()).1
            });
            rest = &rest[used..];
            for event in events {
                match event {
                    Event::Echo(bytes) => screen.write_all(&bytes)?,
                    Event::Line(line) => self.run(&line, &mut screen)?,
                    Event::Interrupt => {
                        self.session.interrupt(&mut screen)?;
                        self.prompt(&mut screen)?;
                    }
                    Event::Eof => {
                        self.session.end_input(&mut screen)?;
                        // A failed save was said on the screen.
                        let _ = self.session.execute("quit", &mut screen);
                        self.ended = true;
                    }
                }
            }
        }
        screen.flush()
    }

    /// Shows `note` above the prompt, and the prompt again with what the learner was typing:
    /// a message from the instructor.
    pub fn announce(&mut self, note: &str, screen: &mut dyn Write) -> io::Result<()> {
        let mut screen = Crlf::new(screen);
        // From the line's start, cleared, so the half-typed line does not run into the note.
        screen.write_all(b"\r\x1b[K")?;
        writeln!(screen, "{note}")?;
        screen.write_all(&self.editor.redraw())?;
        screen.flush()
    }

    /// Runs `line` for someone other than the learner (the instructor's reset), shown as if
    /// typed, then the prompt again with what the learner was typing.
    pub fn run_for(&mut self, line: &str, screen: &mut dyn Write) -> io::Result<()> {
        interrupt::use_on_this_thread(self.flag.clone());
        let mut screen = Crlf::new(screen);
        screen.write_all(b"\r\x1b[K")?;
        let prompt = self.session.prompt();
        writeln!(screen, "{prompt}{line}")?;
        let typed = self.editor.line();
        self.run(line, &mut screen)?;
        if !typed.is_empty() {
            screen.write_all(typed.as_bytes())?;
        }
        screen.flush()
    }

    /// Runs one line, as the shell's loop runs a line typed at a terminal.
    fn run(&mut self, line: &str, screen: &mut Crlf<'_>) -> io::Result<()> {
        self.flag.clear();
        let flow = self.session.execute(line, screen);
        if self.flag.requested() {
            self.flag.clear();
            self.session.stopped(screen)?;
        }
        screen.check()?;
        match flow {
            Ok(Flow::Quit) => {
                self.ended = true;
                Ok(())
            }
            // A failed save was said on the screen.
            Ok(Flow::Continue) | Err(_) => self.prompt(screen),
        }
    }

    fn prompt(&mut self, screen: &mut dyn Write) -> io::Result<()> {
        let prompt = self.session.prompt();
        screen.write_all(prompt.as_bytes())?;
        self.editor.set_prompt(&prompt);
        Ok(())
    }
}

/// Writes with the line ends a terminal in raw mode needs: `\r\n` for a lone `\n`. A
/// `\n` byte is never inside a multi-byte UTF-8 character, so bytes are mended as they come.
struct Crlf<'a> {
    inner: &'a mut dyn Write,
    after_cr: bool,
    /// The first error of the screen, which the session's own writes would swallow.
    failed: Option<io::Error>,
}

impl<'a> Crlf<'a> {
    fn new(inner: &'a mut dyn Write) -> Crlf<'a> {
        Crlf {
            inner,
            after_cr: false,
            failed: None,
        }
    }

    /// The screen's error, if a write to it failed.
    fn check(&mut self) -> io::Result<()> {
        self.failed.take().map_or(Ok(()), Err)
    }
}

impl Write for Crlf<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut mended = Vec::with_capacity(bytes.len() + bytes.len() / 16);
        for &byte in bytes {
            if byte == b'\n' && !self.after_cr {
                mended.push(b'\r');
            }
            mended.push(byte);
            self.after_cr = byte == b'\r';
        }
        if let Err(error) = self.inner.write_all(&mended) {
            let kind = error.kind();
            self.failed.get_or_insert(error);
            return Err(kind.into());
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.check()?;
        self.inner.flush()
    }
}
