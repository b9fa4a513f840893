//! Architecture rules, checked on the source tree and the workspace's manifests (`cargo
//! metadata`): one crate per role; the core is `no_std`, depends on no platform crate and picks
//! its server parts by feature, never by target; `wasm_bindgen`, `js_sys` and `web_sys` appear
//! only in the wasm binding (`src/wasm/`, a cdylib and nothing else); the size profile is the
//! wasm build's alone; every Rust module opens with a `//!` doc saying what it owns; no file
//! grows past the size that signals two ideas in one.
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// The workspace as cargo sees it.
fn metadata() -> serde_json::Value {
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(output.status.success(), "cargo metadata");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn package<'a>(metadata: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no workspace package {name}"))
}

/// The names of a package's dependencies of one kind (`null`: normal).
fn dependencies(package: &serde_json::Value, kind: serde_json::Value) -> Vec<String> {
    package["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == kind)
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn one_crate_per_role() {
    let metadata = metadata();
    let roles = [
        ("meili-telemetry-core", "src/core"),
        ("meili-telemetry-wasm", "src/wasm"),
        ("meili-telemetry", "src/native"),
        ("meili-collector", "src/collector"),
        ("meili-catalog", "src/catalog-tool"),
        ("example-server", "src/example-server"),
    ];
    for (name, dir) in roles {
        let manifest = package(&metadata, name)["manifest_path"].as_str().unwrap();
        assert!(
            manifest
                .replace('\\', "/")
                .ends_with(&format!("{dir}/Cargo.toml")),
            "{name} lives in {dir}"
        );
    }
    // Every crate under src/ is one of them.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in fs::read_dir(root.join("src")).unwrap() {
        let dir = relative(&entry.unwrap().path());
        assert!(
            roles.iter().any(|(_, d)| *d == dir),
            "{dir} is not a workspace crate"
        );
    }

    let core = package(&metadata, "meili-telemetry-core");
    let mut allowed = ["itoa", "serde", "serde_json", "uuid"]
        .map(String::from)
        .to_vec();
    allowed.sort();
    let mut deps = dependencies(core, serde_json::Value::Null);
    deps.sort();
    assert_eq!(deps, allowed, "the core depends on no platform crate");
    let lib = fs::read_to_string(root.join("src/core/lib.rs")).unwrap();
    assert!(
        lib.contains("#![cfg_attr(not(test), no_std)]"),
        "the core is no_std"
    );
    let mut core_sources = Vec::new();
    rust_files(&root.join("src/core"), &mut core_sources);
    for path in core_sources {
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("target_arch"),
            "{}: the core chooses by feature, not by target",
            relative(&path)
        );
    }

    let wasm = package(&metadata, "meili-telemetry-wasm");
    let lib = wasm["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"].as_array().unwrap().iter().any(|k| k == "cdylib"))
        .expect("the binding is a cdylib");
    assert_eq!(
        lib["crate_types"],
        serde_json::json!(["cdylib"]),
        "a cdylib only"
    );
    for package in metadata["packages"].as_array().unwrap() {
        if package["name"] == "meili-telemetry-wasm" {
            continue;
        }
        for krate in ["wasm-bindgen", "js-sys", "web-sys", "serde-wasm-bindgen"] {
            assert!(
                !dependencies(package, serde_json::Value::Null).contains(&krate.to_owned()),
                "{} depends on {krate}",
                package["name"]
            );
        }
    }
}

/// The profiles of the root manifest, section by section.
fn profiles() -> Vec<(String, String)> {
    let manifest = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in manifest.unwrap().lines() {
        let line = line.split('#').next().unwrap().trim();
        if line.starts_with('[') {
            sections.push((line.to_owned(), String::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    sections.retain(|(name, _)| name.starts_with("[profile."));
    sections
}

#[test]
fn the_size_profile_is_the_wasm_builds_alone() {
    let profiles = profiles();
    let wasm = profiles.iter().find(|(name, _)| name == "[profile.wasm]");
    let wasm = &wasm.expect("a wasm profile").1;
    assert!(wasm.contains("opt-level = \"z\"") && wasm.contains("panic = \"abort\""));
    for (name, body) in &profiles {
        if name != "[profile.wasm]" {
            assert!(
                !body.contains("panic") && !body.contains("\"z\"") && !body.contains("\"s\""),
                "{name} is a native profile: speed, and panics that unwind"
            );
        }
    }
    let build =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/build")).unwrap();
    assert!(build.contains("-p meili-telemetry-wasm --profile wasm"));
}

/// Every cargo command of `package.json`'s scripts (`npm start`, `npm run catalog`, the
/// benchmarks…) names a package, binary, bench and feature that exist.
#[test]
fn the_scripts_name_what_the_workspace_has() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("package.json")).unwrap()).unwrap();
    let metadata = metadata();
    let packages = metadata["packages"].as_array().unwrap();
    let targets = |kind: &str| -> Vec<String> {
        packages
            .iter()
            .flat_map(|p| p["targets"].as_array().unwrap())
            .filter(|t| t["kind"].as_array().unwrap().iter().any(|k| k == kind))
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut checked = 0;
    for (name, script) in manifest["scripts"].as_object().unwrap() {
        let script = script.as_str().unwrap();
        let Some(at) = script.find("cargo ") else {
            continue;
        };
        let words: Vec<&str> = script[at..]
            .split(" -- ")
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        let mut selected = None;
        for pair in words.windows(2) {
            let (flag, value) = (pair[0], pair[1]);
            match flag {
                "-p" | "--package" => {
                    assert!(
                        packages.iter().any(|p| p["name"] == value),
                        "script {name}: no package {value}"
                    );
                    selected = packages.iter().find(|p| p["name"] == value);
                }
                "--bin" => assert!(
                    targets("bin").contains(&value.to_owned()),
                    "script {name}: no binary {value}"
                ),
                "--bench" => assert!(
                    targets("bench").contains(&value.to_owned()),
                    "script {name}: no bench {value}"
                ),
                "--features" => {
                    let package =
                        selected.unwrap_or_else(|| package(&metadata, "meili-telemetry-tests"));
                    for feature in value.split(',') {
                        assert!(
                            package["features"].get(feature).is_some(),
                            "script {name}: {} has no feature {feature}",
                            package["name"]
                        );
                    }
                }
                _ => {}
            }
        }
        if words[1] == "run" {
            let package = selected
                .unwrap_or_else(|| panic!("script {name}: `cargo run` names its package (-p)"));
            assert!(
                package["targets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t["kind"][0] == "bin"),
                "script {name}: {} has no binary to run",
                package["name"]
            );
        }
        checked += 1;
    }
    assert!(checked >= 5, "{checked} cargo scripts");
}
