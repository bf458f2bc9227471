//! Embeds every lesson of `lessons/` into the binary, so the shipped course works offline and
//! `reset` always returns to exactly what shipped. Adding a lesson is adding a file.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=lessons");
    // Read at run time, not baked in with env!(): a target directory shared between
    // checkouts (CI keeps one) reuses this script's binary for a checkout elsewhere.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("lessons");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                // The glossary is data for the lessons, not a lesson.
                .filter(|name| name.ends_with(".toml") && name != "glossary.toml")
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::from("/// (file name, contents) of each shipped lesson.\n");
    code.push_str("pub static LESSONS: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            code,
            "    ({:?}, include_str!({:?})),",
            format!("lessons/{name}"),
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lessons.rs");
    std::fs::write(out, code).expect("write the embedded lesson list");
}
