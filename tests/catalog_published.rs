//! The generated catalog files in the repository are current: regenerating them gives the same
//! bytes. When this fails, run `npm run catalog:write` and commit the result.
use meili_catalog::generated_files;

#[test]
fn generated_files_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (path, expected) in generated_files() {
        let actual = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        if actual != expected {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run `npm run catalog:write` and commit the result"
    );
}

#[test]
fn the_schema_and_listing_are_json() {
    for (path, content) in generated_files() {
        if path.ends_with(".json") {
            let parsed: serde_json::Value = serde_json::from_str(&content).unwrap();
            assert!(parsed.is_object(), "{path}");
        }
    }
}
