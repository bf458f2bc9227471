//! How cloudlings' SSH client tells an emulated instance the learner's language, so that the
//! emulation's notes inside it follow the shell's. Both sides read this one name.

/// The environment variable the client sends with the learner's language (`ko`, `en`): an
/// `LC_` name, which real servers' `AcceptEnv LANG LC_*` lets in and the C library ignores.
pub const LANGUAGE_VARIABLE: &str = "LC_CLOUDLINGS_LANG";
