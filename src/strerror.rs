//! An I/O error worded as the C library words it: "No such file or directory", without the
//! standard library's "(os error 2)". The real tools the shell imitates (`chmod`, `ssh`,
//! `curl`) and the aws CLI print their errors that way, and learners search for those words.

use std::io;

/// `error` as `strerror(3)` would word it. The errors a learner meets most are worded so on
/// Windows too, whose own words ("The system cannot find the file specified.") the lessons
/// and the tools the shell imitates never print.
pub fn strerror(error: &io::Error) -> String {
    // On Unix the C library's own words are exact (EPERM and EACCES are one kind to Rust).
    let posix = match error.kind() {
        _ if !cfg!(windows) || error.raw_os_error().is_none() => None,
        io::ErrorKind::NotFound => Some("No such file or directory"),
        io::ErrorKind::PermissionDenied => Some("Permission denied"),
        io::ErrorKind::AlreadyExists => Some("File exists"),
        io::ErrorKind::IsADirectory => Some("Is a directory"),
        io::ErrorKind::NotADirectory => Some("Not a directory"),
        io::ErrorKind::DirectoryNotEmpty => Some("Directory not empty"),
        io::ErrorKind::ConnectionRefused => Some("Connection refused"),
        _ => None,
    };
    if let Some(words) = posix {
        return words.to_string();
    }
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
        // A message of cloudlings' own keeps its words, whatever its kind.
        let own = io::Error::new(io::ErrorKind::NotFound, "no such profile");
        assert_eq!(strerror(&own), "no such profile");
    }
}
