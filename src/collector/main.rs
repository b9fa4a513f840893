//! `meili-collector`: the collector binary. See
//! `meili-collector --help` and the README's collector section.

use clap::Parser;
use meili_collector::{run, CollectorConfig};

#[tokio::main]
async fn main() {
    let config = CollectorConfig::parse();
    if let Err(e) = run(config).await {
        eprintln!("meili-collector: {e}");
        std::process::exit(1);
    }
}
