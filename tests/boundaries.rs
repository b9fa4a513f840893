//! Architecture rules, checked on the source tree: `wasm_bindgen`, `js_sys` and `web_sys` appear
//! only under `src/wasm/`; every Rust module opens with a `//!` doc saying what it owns; no file
//! grows past the size that signals two ideas in one.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

const WASM_EDGE: &str = "src/wasm";
const PLATFORM_CRATES: [&str; 3] = ["wasm_bindgen", "js_sys", "web_sys"];
const MAX_LINES: usize = 600;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 5, "found the sources");
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn platform_crates_only_in_the_wasm_edge() {
    let mut offenders = Vec::new();
    for path in sources() {
        let name = relative(&path);
        if name.starts_with(WASM_EDGE) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for krate in PLATFORM_CRATES {
                if code.contains(krate) {
                    offenders.push(format!("{name}:{}: {krate}", n + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "wasm_bindgen/js_sys/web_sys outside {WASM_EDGE}/:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn every_module_says_what_it_owns() {
    for path in sources() {
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("//!"),
            "{} must open with a //! doc",
            relative(&path)
        );
        let lines = text.lines().count();
        assert!(
            lines <= MAX_LINES,
            "{} has {lines} lines (> {MAX_LINES}): split it",
            relative(&path)
        );
    }
}
