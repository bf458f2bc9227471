//! `totp FILE`: what an authenticator app shows for a virtual MFA device whose Base32 seed
//! `aws iam create-virtual-mfa-device --bootstrap-method Base32StringSeed --outfile FILE`
//! saved: the current code and the next, the two consecutive codes `enable-mfa-device`
//! asks for. `totp --qr FILE` draws the device's QR code, for a real app to scan.

use std::io::{self, Write};
use std::path::Path;

use super::messages as msg;
use crate::lang::Lang;
use crate::workstation::Workstation;
use cloudlings_emulator::mfa;

/// Runs `totp` with its words; returns its exit status.
pub fn run(
    words: &[String],
    files: &Workstation,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<i32> {
    let (qr, file) = match words {
        [flag, file] if flag == "--qr" => (true, file),
        [file] if !file.starts_with('-') => (false, file),
        _ => {
            writeln!(out, "{}", msg::totp_usage(lang))?;
            return Ok(2);
        }
    };
    let text = match files.read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            writeln!(
                out,
                "{}",
                msg::totp_unreadable(lang, file, &crate::strerror::strerror(&error))
            )?;
            return Ok(1);
        }
    };
    let Some(seed) = mfa::from_base32(text.trim()) else {
        writeln!(out, "{}", msg::totp_not_a_seed(lang, file))?;
        return Ok(1);
    };
    if qr {
        let name = Path::new(file)
            .file_stem()
            .map_or("cloudlings".into(), |stem| stem.to_string_lossy());
        let uri = mfa::otpauth_uri(&name, "cloudlings", &seed);
        match mfa::qr_terminal(&uri) {
            Some(drawn) => write!(out, "{drawn}")?,
            None => writeln!(out, "{uri}")?,
        }
        writeln!(out, "{}", msg::totp_scan(lang))?;
        return Ok(0);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let left = 30 - now % 30;
    writeln!(
        out,
        "{}  {}",
        mfa::code_at(&seed, now),
        msg::totp_now(lang, left)
    )?;
    writeln!(
        out,
        "{}  {}",
        mfa::code_at(&seed, now + 30),
        msg::totp_next(lang)
    )?;
    Ok(0)
}
