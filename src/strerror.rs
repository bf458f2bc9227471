//! An I/O error worded as the C library words it: "No such file or directory", without the
//! standard library's "(os error 2)". The real tools the shell imitates (`chmod`, `ssh`,
//! `curl`) and the aws CLI print their errors that way, and learners search for those words.

use std::io;

/// `error` as `strerror(3)` would word it.
pub fn strerror(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_os_error_number_is_dropped() {
        let missing = io::Error::from_raw_os_error(2);
        assert_eq!(strerror(&missing), "No such file or directory");
        assert_eq!(strerror(&io::Error::other("plain")), "plain");
    }
}
