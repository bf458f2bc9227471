//! File modes as chmod reads them: octal (`400`) and symbolic (`u+x`, `go-rwx`, `a=r,u+w`),
//! following coreutils' `modechange.c`, the umask and `X` included.
//!
//! Two chmods use it: the shell's own, on the learner's real files, and the emulated
//! instance's. A learner types the same modes into both, so both must read them the same way;
//! it is pure arithmetic on bits, with no file system, so the emulated OS (which may not touch
//! the host) can use it as well.

/// Permission bits a mode can change.
pub const MODE_BITS: u32 = 0o7777;
const READ: u32 = 0o444;
const WRITE: u32 = 0o222;
const EXECUTE: u32 = 0o111;

/// What a mode argument asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// `400`, `0644`: the bits themselves.
    Octal(u32),
    /// `u+x`, `go-rwx`, `a=r,u+w`: changes applied in order.
    Symbolic(Vec<Change>),
}

/// One operation of a symbolic mode, as coreutils represents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    op: char,
    /// The bits the `ugoa` letters select; 0 when none were given (then the umask applies).
    affected: u32,
    value: u32,
    kind: ChangeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangeKind {
    /// `rwxst` letters.
    Ordinary,
    /// `u`, `g` or `o` after the operator: copy that class's current bits.
    Copy,
    /// `X`: execute only for directories and files someone may already execute.
    ExecuteIfAny,
}

impl Mode {
    /// Parses a mode as chmod does; `None` for an invalid mode.
    pub fn parse(text: &str) -> Option<Mode> {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            let bits = u32::from_str_radix(text, 8).ok()?;
            return (bits <= MODE_BITS).then_some(Mode::Octal(bits));
        }
        let mut changes = Vec::new();
        for clause in text.split(',') {
            let mut chars = clause.chars().peekable();
            let mut affected = 0;
            while let Some(&c) = chars.peek() {
                affected |= match c {
                    'u' => 0o4700,
                    'g' => 0o2070,
                    'o' => 0o1007,
                    'a' => MODE_BITS,
                    _ => break,
                };
                chars.next();
            }
            // At least one operator, each followed by its permissions.
            let mut operators = 0;
            while let Some(op) = chars.next_if(|c| matches!(c, '+' | '-' | '=')) {
                operators += 1;
                let copied =
                    chars
                        .next_if(|c| matches!(c, 'u' | 'g' | 'o'))
                        .map(|class| match class {
                            'u' => 0o4700,
                            'g' => 0o2070,
                            _ => 0o1007,
                        });
                let change = match copied {
                    Some(value) => Change {
                        op,
                        affected,
                        value,
                        kind: ChangeKind::Copy,
                    },
                    None => {
                        let mut value = 0;
                        let mut kind = ChangeKind::Ordinary;
                        while let Some(c) = chars.next_if(|c| "rwxXst".contains(*c)) {
                            match c {
                                'r' => value |= READ,
                                'w' => value |= WRITE,
                                'x' => value |= EXECUTE,
                                'X' => kind = ChangeKind::ExecuteIfAny,
                                's' => value |= 0o6000,
                                _ => value |= 0o1000,
                            }
                        }
                        Change {
                            op,
                            affected,
                            value,
                            kind,
                        }
                    }
                };
                changes.push(change);
            }
            if operators == 0 || chars.next().is_some() {
                return None;
            }
        }
        Some(Mode::Symbolic(changes))
    }

    /// The new permission bits of a file with `old` bits, as chmod computes them.
    pub fn apply(&self, old: u32, is_dir: bool, umask: u32) -> u32 {
        let changes = match self {
            Mode::Octal(bits) => return *bits,
            Mode::Symbolic(changes) => changes,
        };
        let mut mode = old & MODE_BITS;
        for change in changes {
            let mut value = change.value;
            match change.kind {
                ChangeKind::Ordinary => {}
                ChangeKind::Copy => {
                    value &= mode;
                    // Spread the copied class's bits over all three classes.
                    for class in [READ, WRITE, EXECUTE] {
                        if value & class != 0 {
                            value |= class;
                        }
                    }
                }
                ChangeKind::ExecuteIfAny => {
                    if mode & EXECUTE != 0 || is_dir {
                        value |= EXECUTE;
                    }
                }
            }
            let affected = change.affected;
            value &= if affected != 0 { affected } else { !umask };
            mode = match change.op {
                '=' => {
                    let preserved = if affected != 0 { !affected } else { 0 };
                    (mode & preserved) | value
                }
                '+' => mode | value,
                _ => mode & !value,
            } & MODE_BITS;
        }
        mode
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(mode: &str, old: u32) -> u32 {
        Mode::parse(mode).expect("valid").apply(old, false, 0o022)
    }

    #[test]
    fn octal_modes_are_the_bits() {
        assert_eq!(Mode::parse("400"), Some(Mode::Octal(0o400)));
        assert_eq!(Mode::parse("0644"), Some(Mode::Octal(0o644)));
        assert_eq!(Mode::parse("7777"), Some(Mode::Octal(0o7777)));
        assert_eq!(Mode::parse("999"), None);
        assert_eq!(Mode::parse("17777"), None);
        assert_eq!(apply("600", 0o644), 0o600);
    }

    #[test]
    fn symbolic_modes_follow_coreutils() {
        assert_eq!(apply("u+x", 0o644), 0o744);
        assert_eq!(apply("go-rwx", 0o755), 0o700);
        assert_eq!(apply("a=r", 0o644), 0o444);
        assert_eq!(apply("u=rw,go=", 0o777), 0o600);
        assert_eq!(apply("og-rwx,u-w", 0o644), 0o400);
        assert_eq!(apply("a+x", 0o644), 0o755);
        assert_eq!(apply("u=rw", 0o755), 0o655);
        assert_eq!(apply("u+rw-x", 0o100), 0o600);
        // No class letters: the umask limits the change.
        assert_eq!(apply("+x", 0o644), 0o755);
        assert_eq!(apply("+w", 0o444), 0o644);
        assert_eq!(apply("=r", 0o777), 0o444);
        // Copying a class, X and the special bits.
        assert_eq!(apply("g=u", 0o640), 0o660);
        assert_eq!(apply("a+X", 0o644), 0o644);
        assert_eq!(apply("a+X", 0o744), 0o755);
        assert_eq!(
            Mode::parse("a+X").expect("valid").apply(0o644, true, 0o022),
            0o755
        );
        assert_eq!(apply("u+s", 0o755), 0o4755);
        assert_eq!(apply("+t", 0o755), 0o1755);
    }

    #[test]
    fn invalid_modes_are_refused() {
        for mode in ["", "abc", "z", "u", "u+q", "x+r", "u+r,", "+r foo"] {
            assert_eq!(Mode::parse(mode), None, "{mode:?}");
        }
    }
}
