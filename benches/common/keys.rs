//! The RSA keys a server makes ahead for `create-key-pair`, kept between benchmark runs:
//! making hundreds takes minutes on two cores.

use std::path::Path;

/// Where runs leave the RSA keys their server made ahead and did not hand out, for the next
/// run: making a thousand takes minutes on two cores. Each key still goes to one run only.
pub fn key_cache() -> std::path::PathBuf {
    Path::new("/var/tmp/cloudlings-room-keys").to_path_buf()
}

static MOVED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Moves up to `most` key files from `from` to `to`; how many it moved.
pub fn move_keys(from: &Path, to: &Path, most: usize) -> usize {
    let _ = std::fs::create_dir_all(to);
    let Ok(entries) = std::fs::read_dir(from) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "der"))
        .take(most)
        .filter(|path| {
            // A name no other run used: `rename` would replace a file of the same name.
            let name = format!(
                "{}-{}.der",
                std::process::id(),
                MOVED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            );
            std::fs::rename(path, to.join(name)).is_ok()
        })
        .count()
}

/// How many RSA keys the server has ready in `dir`.
pub fn keys_ready(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|entry| entry.path().extension().is_some_and(|e| e == "der"))
            .count()
    })
}
