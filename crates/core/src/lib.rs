//! What every layer of cloudlings shares, kept in one place so that no layer reaches up into
//! another for it.
//!
//! # Layout
//!
//! - [`access`]: who may open a file on this machine, as permission bits, read from and
//!   written to Windows' access lists there, so that `chmod 400` and a check of it mean the
//!   same on every platform.
//! - [`atomic`]: crash-safe replacement of the files cloudlings keeps (progress, state,
//!   journals), so that an interrupted save never leaves half a file.
//! - [`catalog`]: the fixed facts of the AWS world the course runs in: regions and their
//!   zones, the images the lessons launch, the instance types.
//! - [`locale`]: the name cloudlings' SSH client sends the learner's language under, which the
//!   emulated instances read to write their notes in it.
//! - [`mode`]: file modes as chmod reads them, so that the shell's chmod and the emulated
//!   instance's understand the same modes the same way.
//! - [`operation`]: one declaration per AWS operation the project knows, which the emulator's
//!   routes, the shell's `aws`, the checks and the real-AWS safeguards all read.
//! - [`prices`]: the dated on-demand price table, which the emulator bills with, the lessons
//!   quote and the cost guard asks before spending real money.

pub mod access;
pub mod atomic;
pub mod catalog;
pub mod locale;
pub mod mode;
pub mod operation;
pub mod prices;
