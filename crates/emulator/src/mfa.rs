//! Virtual MFA devices: RFC 6238 codes and the QR code an authenticator app scans.
//!
//! Codes are checked against the wall clock, never the simulated one: the learner's phone
//! knows only real time, and a learner who moved the emulator's clock forward must still be
//! able to enable their device.

use totp_rs::{Builder, Secret, Totp};

/// Seeds are 40 random bytes (64 base32 characters), as AWS's are.
const SEED_BYTES: usize = 40;
/// How many 30-second steps an authenticator's clock may be off.
const DRIFT_STEPS: i64 = 2;

/// A new random seed.
pub fn new_seed() -> Vec<u8> {
    (0..SEED_BYTES).map(|_| rand::random::<u8>()).collect()
}

/// The seed as an authenticator app takes it: base32, no padding.
pub fn base32(seed: &[u8]) -> String {
    Secret::from(seed.to_vec())
        .to_base32()
        .trim_end_matches('=')
        .to_string()
}

/// The seed from its base32 form, as a learner's tools hold it.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    Secret::try_from_base32(text.trim())
        .ok()
        .map(|secret| secret.as_ref().to_vec())
}

fn totp(seed: &[u8]) -> Option<Totp> {
    // Seeds shorter than RFC 4226's 128 bits are refused by the compliant builder; ours are 320.
    Builder::new().with_secret(seed.to_vec()).build().ok()
}

/// The 6-digit code for a Unix time.
pub fn code_at(seed: &[u8], unix: u64) -> String {
    totp(seed)
        .map(|t| t.generate(unix).to_string())
        .unwrap_or_default()
}

/// The code now.
pub fn code_now(seed: &[u8]) -> String {
    code_at(seed, now())
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// Whether `first` and `second` are two consecutive codes of the device, as EnableMFADevice
/// asks, allowing for a little clock drift.
pub fn consecutive(seed: &[u8], first: &str, second: &str) -> bool {
    consecutive_at(seed, first, second, now())
}

pub fn consecutive_at(seed: &[u8], first: &str, second: &str, unix: u64) -> bool {
    let step = (unix / 30) as i64;
    (step - DRIFT_STEPS..=step + DRIFT_STEPS).any(|second_step| {
        let at = |s: i64| (s.max(0) as u64) * 30;
        code_at(seed, at(second_step - 1)) == first.trim()
            && code_at(seed, at(second_step)) == second.trim()
    })
}

/// Whether `code` is the device's current code (within the drift).
pub fn current(seed: &[u8], code: &str) -> bool {
    let step = (now() / 30) as i64;
    (step - DRIFT_STEPS..=step + DRIFT_STEPS)
        .any(|s| code_at(seed, (s.max(0) as u64) * 30) == code.trim())
}

/// The otpauth URI of a device, as AWS puts it in the QR code.
pub fn otpauth_uri(device: &str, account: &str, seed: &[u8]) -> String {
    const LABEL: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'?')
        .add(b'#')
        .add(b'/')
        .add(b'%')
        .add(b'&');
    let label =
        percent_encoding::utf8_percent_encode(&format!("{device}@{account}"), LABEL).to_string();
    format!("otpauth://totp/{label}?secret={}", base32(seed))
}

/// A PNG of the QR code of `text`: black modules on white, 4 pixels each, with the quiet zone
/// scanners need.
pub fn qr_png(text: &str) -> Option<Vec<u8>> {
    const SCALE: usize = 4;
    const QUIET: usize = 4;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (row, col) = (index / modules + QUIET, index % modules + QUIET);
            for dy in 0..SCALE {
                let start = (row * SCALE + dy) * side + col * SCALE;
                pixels[start..start + SCALE].fill(0);
            }
        }
    }
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().ok()?;
        writer.write_image_data(&pixels).ok()?;
    }
    Some(png)
}

/// The QR code for a terminal: two rows of modules per line with half blocks.
pub fn qr_terminal(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let dark = |row: isize, col: isize| {
        row >= 0
            && col >= 0
            && (row as usize) < width
            && (col as usize) < width
            && colors[row as usize * width + col as usize] == qrcode::Color::Dark
    };
    let mut out = String::new();
    let quiet = 2isize;
    let mut row = -quiet;
    while row < width as isize + quiet {
        for col in -quiet..width as isize + quiet {
            // Light text on a dark terminal would invert the code: print light modules as blocks.
            out.push(match (dark(row, col), dark(row + 1, col)) {
                (true, true) => ' ',
                (true, false) => '▄',
                (false, true) => '▀',
                (false, false) => '█',
            });
        }
        out.push('\n');
        row += 2;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: SHA-1, the seed "12345678901234567890".
    #[test]
    fn rfc_6238_vectors() {
        let seed = b"12345678901234567890";
        assert_eq!(code_at(seed, 59), "287082");
        assert_eq!(code_at(seed, 1_111_111_109), "081804");
        assert_eq!(code_at(seed, 1_234_567_890), "005924");
    }

    #[test]
    fn consecutive_codes_in_order_only() {
        let seed = new_seed();
        let t = 1_800_000_000;
        let (a, b) = (code_at(&seed, t - 30), code_at(&seed, t));
        assert!(consecutive_at(&seed, &a, &b, t));
        assert!(
            consecutive_at(&seed, &a, &b, t + 30),
            "a little drift is fine"
        );
        assert!(!consecutive_at(&seed, &b, &a, t), "order matters");
        assert!(
            !consecutive_at(&seed, &b, &b, t),
            "the same code twice is not two codes"
        );
        assert!(
            !consecutive_at(&seed, &a, &b, t + 600),
            "ten minutes late is too late"
        );
    }

    #[test]
    fn seeds_and_codes_look_right() {
        let seed = new_seed();
        assert_eq!(base32(&seed).len(), 64);
        assert_eq!(from_base32(&base32(&seed)), Some(seed.clone()));
        assert_eq!(code_now(&seed).len(), 6);
        let uri = otpauth_uri("my-mfa", "123456789012", &seed);
        assert!(
            uri.starts_with("otpauth://totp/my-mfa@123456789012?secret="),
            "{uri}"
        );
        let png = qr_png(&uri).expect("png");
        assert_eq!(&png[1..4], b"PNG");
        assert!(qr_terminal(&uri).expect("text").lines().count() > 10);
    }
}
