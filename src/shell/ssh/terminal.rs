//! Handing the learner's terminal to a remote shell, as OpenSSH does: raw mode, a remote
//! pseudo-terminal of the same size, and bytes moved both ways until the remote ends.
//!
//! Raw mode is undone by a guard's `Drop`, so the terminal comes back on every path: the
//! remote exiting, the connection breaking, or an error here. Window size changes are noticed
//! by asking the terminal its size on each turn of the loop (at least every 100 ms), which
//! needs no signal handler. `~.` at the start of a line disconnects, as OpenSSH's escape does.

use std::io::{self, Write};
use std::os::fd::AsFd;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags, poll};
use rustix::termios::{self, OptionalActions, Termios};

use super::{Channel, Connection, Error, Pty, timespec};

/// The terminal in raw mode until dropped.
#[derive(Debug)]
pub struct RawMode {
    saved: Termios,
}

impl RawMode {
    /// Puts standard input's terminal in raw mode: keys arrive one by one, unechoed, and
    /// Ctrl-C is a byte for the remote rather than a signal for this process.
    pub fn enter() -> io::Result<RawMode> {
        let stdin = io::stdin();
        let saved = termios::tcgetattr(stdin.as_fd())?;
        let mut raw = saved.clone();
        raw.make_raw();
        termios::tcsetattr(stdin.as_fd(), OptionalActions::Flush, &raw)?;
        Ok(RawMode { saved })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(io::stdin().as_fd(), OptionalActions::Now, &self.saved);
    }
}

/// The terminal's size as (columns, rows), if standard output or input is a terminal.
pub fn window_size() -> Option<(u32, u32)> {
    let size = termios::tcgetwinsize(io::stdout().as_fd())
        .or_else(|_| termios::tcgetwinsize(io::stdin().as_fd()))
        .ok()?;
    (size.ws_col > 0 && size.ws_row > 0).then(|| (u32::from(size.ws_col), u32::from(size.ws_row)))
}

/// The pseudo-terminal to ask for: this terminal's type and size.
pub fn pty() -> Pty {
    let (columns, rows) = window_size().unwrap_or((80, 24));
    Pty {
        term: std::env::var("TERM")
            .ok()
            .filter(|term| !term.is_empty())
            .unwrap_or_else(|| "xterm".to_string()),
        columns,
        rows,
    }
}

/// Runs a login shell (or `command`) on the learner's terminal and returns its exit status.
/// `out` is the terminal's output.
pub fn interactive(
    connection: &Connection,
    command: Option<&str>,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let pty = pty();
    let mut channel = connection.shell(Some(&pty), command)?;
    let raw = RawMode::enter().map_err(|_| channel_lost(connection))?;
    let result = pump(&mut channel, (pty.columns, pty.rows), out);
    drop(raw);
    result
}

/// Moves keys to the remote and output to `out` until the remote ends.
fn pump(channel: &mut Channel, mut size: (u32, u32), out: &mut dyn Write) -> Result<i32, Error> {
    let stdin = io::stdin();
    let mut buffer = [0u8; 4096];
    let mut escape = Escape::default();
    let mut input_open = true;
    loop {
        if let Some(status) = channel.drain(out, None, Duration::ZERO)? {
            return Ok(status);
        }
        if let Some(now) = window_size()
            && now != size
        {
            size = now;
            channel.resize(size.0, size.1);
        }
        let stdin_fd = stdin.as_fd();
        let mut fds = [
            PollFd::from_borrowed_fd(stdin_fd, PollFlags::IN),
            PollFd::from_borrowed_fd(channel.readiness(), PollFlags::IN),
        ];
        let wait = timespec(Duration::from_millis(100));
        let ready = if input_open {
            poll(&mut fds, Some(&wait))
        } else {
            poll(&mut fds[1..], Some(&wait))
        };
        if ready.is_err() {
            // Interrupted by a signal (a resize, say): go round again.
            continue;
        }
        let stdin_ready = input_open
            && fds[0]
                .revents()
                .intersects(PollFlags::IN | PollFlags::HUP | PollFlags::ERR);
        if !stdin_ready {
            continue;
        }
        match rustix::io::read(stdin_fd, &mut buffer) {
            Ok(0) | Err(_) => {
                input_open = false;
                channel.send_eof()?;
            }
            Ok(n) => {
                let (keys, disconnect) = escape.filter(&buffer[..n]);
                if !keys.is_empty() {
                    channel.send(&keys)?;
                }
                if disconnect {
                    return Ok(255);
                }
            }
        }
    }
}

fn channel_lost(connection: &Connection) -> Error {
    Error::Lost {
        host: connection.host.clone(),
    }
}

/// OpenSSH's escape character: `~` right after a newline (or first) starts an escape.
/// `~.` disconnects, `~~` sends one `~`; anything else sends both characters.
#[derive(Debug)]
struct Escape {
    at_line_start: bool,
    pending: bool,
}

impl Default for Escape {
    fn default() -> Escape {
        Escape {
            at_line_start: true,
            pending: false,
        }
    }
}

impl Escape {
    /// The bytes to send, and whether `~.` asked to disconnect.
    fn filter(&mut self, input: &[u8]) -> (Vec<u8>, bool) {
        let mut keys = Vec::with_capacity(input.len());
        for &byte in input {
            if self.pending {
                self.pending = false;
                match byte {
                    b'.' => return (keys, true),
                    b'~' => {
                        keys.push(b'~');
                        self.at_line_start = false;
                        continue;
                    }
                    _ => keys.push(b'~'),
                }
            } else if self.at_line_start && byte == b'~' {
                self.pending = true;
                continue;
            }
            keys.push(byte);
            self.at_line_start = matches!(byte, b'\r' | b'\n');
        }
        (keys, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_dot_disconnects_only_at_a_line_start() {
        let mut escape = Escape::default();
        assert_eq!(escape.filter(b"ls ~.\r"), (b"ls ~.\r".to_vec(), false));
        assert_eq!(escape.filter(b"~~x"), (b"~x".to_vec(), false));
        assert_eq!(escape.filter(b"\r~a"), (b"\r~a".to_vec(), false));
        assert_eq!(escape.filter(b"\r~"), (b"\r".to_vec(), false));
        assert_eq!(escape.filter(b"."), (Vec::new(), true));
    }
}
