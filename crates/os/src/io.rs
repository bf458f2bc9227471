//! A process's standard streams. What a command writes is kept in order, stdout and stderr
//! apart, and routed by the shell afterwards (to the terminal, a pipe, a file), which keeps
//! their interleaving as a terminal would show it.

/// The most one command's streams hold: room for a file as large as the disk allows, while
/// what reaches the terminal is cut at [`OUTPUT_LIMIT`](super::OUTPUT_LIMIT) by the session.
pub(crate) const IO_LIMIT: usize = 2 * super::DISK_LIMIT as usize;

/// Where standard input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    /// The terminal: a command that reads it finds nothing (the emulated terminal cannot wait
    /// for keystrokes in the middle of a line), except that `apt` may ask a question.
    Tty,
    Data(Vec<u8>),
}

/// One command's streams.
#[derive(Debug, Clone)]
pub(crate) struct Io {
    pub stdin: Input,
    /// Whether stdout is the terminal (curl's progress meter, `ls` columns and apt's
    /// warning depend on it).
    pub tty_out: bool,
    /// Whether stderr is the terminal too, so a program that keeps the terminal may print
    /// its errors when it ends.
    pub tty_err: bool,
    chunks: Vec<(u32, Vec<u8>)>,
    size: usize,
}

impl Io {
    pub fn new(stdin: Input, tty_out: bool) -> Io {
        Io {
            stdin,
            tty_out,
            tty_err: tty_out,
            chunks: Vec::new(),
            size: 0,
        }
    }

    /// Writes to a stream (1 or 2), dropping what passes [`IO_LIMIT`].
    pub fn write(&mut self, fd: u32, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let room = IO_LIMIT.saturating_sub(self.size);
        let data = &data[..data.len().min(room)];
        if data.is_empty() {
            return;
        }
        self.size += data.len();
        match self.chunks.last_mut() {
            Some((last, bytes)) if *last == fd => bytes.extend_from_slice(data),
            _ => self.chunks.push((fd, data.to_vec())),
        }
    }

    pub fn out(&mut self, data: impl AsRef<[u8]>) {
        self.write(1, data.as_ref());
    }

    pub fn err(&mut self, data: impl AsRef<[u8]>) {
        self.write(2, data.as_ref());
    }

    /// What stdin holds; nothing for the terminal.
    pub fn input(&self) -> &[u8] {
        match &self.stdin {
            Input::Tty => b"",
            Input::Data(data) => data,
        }
    }

    pub fn stdin_is_tty(&self) -> bool {
        self.stdin == Input::Tty
    }

    /// Takes what was written, in order.
    pub fn take(&mut self) -> Vec<(u32, Vec<u8>)> {
        self.size = 0;
        std::mem::take(&mut self.chunks)
    }

    /// Everything written, both streams, as text.
    pub fn text(&self) -> String {
        let bytes: Vec<u8> = self
            .chunks
            .iter()
            .flat_map(|(_, bytes)| bytes.iter().copied())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_keep_their_order_and_a_bound() {
        let mut io = Io::new(Input::Tty, true);
        io.out("a");
        io.out("b");
        io.err("c");
        io.out("d");
        assert_eq!(
            io.take(),
            vec![(1, b"ab".to_vec()), (2, b"c".to_vec()), (1, b"d".to_vec())]
        );
        io.out(vec![b'x'; IO_LIMIT + 10]);
        io.err("lost");
        assert_eq!(io.text().len(), IO_LIMIT);
    }
}
