//! `catalog`: prints the catalog as JSON (`catalog json`), the "What we collect" page
//! (`catalog markdown`), the batch JSON Schema (`catalog schema`), or writes every generated file
//! into the repository (`catalog write`).

fn main() {
    use meili_catalog as publish;
    // The repository root: this crate lives in `src/catalog-tool`.
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    match std::env::args().nth(1).as_deref().unwrap_or("json") {
        "json" => emit(&publish::catalog_json()),
        "markdown" => emit(&publish::what_we_collect()),
        "schema" => emit(&publish::batch_schema()),
        "write" => {
            for (path, content) in publish::generated_files() {
                let file = root.join(path);
                if let Some(dir) = file.parent() {
                    std::fs::create_dir_all(dir).expect("create the output folder");
                }
                std::fs::write(&file, content).expect("write a generated file");
                println!("wrote {path}");
            }
        }
        other => {
            eprintln!("catalog: unknown command {other:?}; use json, markdown, schema or write");
            std::process::exit(2);
        }
    }
}

/// Writes `text` to stdout; a reader that stopped early (`| head`) ends the program quietly.
fn emit(text: &str) {
    use std::io::Write;
    if let Err(error) = std::io::stdout().lock().write_all(text.as_bytes()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("catalog: {error}");
            std::process::exit(1);
        }
    }
}
