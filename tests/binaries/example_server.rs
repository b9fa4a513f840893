//! The example server (`src/example-server`, `cargo run -p example-server`) end to end on loopback, as a Rust server author
//! runs it: started against the real collector, driven with a few hundred requests (searches,
//! settings, documents), stopped with SIGTERM; its graceful shutdown delivers the aggregates the
//! tower layer observed, one Identify with the machine's traits, and a first run's `Launched`
//! twice — which the Meilisearch server, losing its buffer at exit, would not all deliver.
#[path = "../collector_support/mod.rs"]
mod collector_support;

use collector_support::*;
use std::process::Command;
use std::time::Duration;

#[test]
fn the_example_server_sends_what_it_observed_and_its_identity_at_shutdown() {
    let collector = Server::start(&[]);
    let data = std::env::temp_dir().join(format!("meili-example-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_example-server"))
        .env("MEILI_EXAMPLE_LISTEN", format!("127.0.0.1:{port}"))
        .env("MEILI_TELEMETRY_ENDPOINT", &collector.url)
        .env("MEILI_TELEMETRY_WRITE_KEY", KEY)
        .env("MEILI_EXAMPLE_DATA", &data)
        .env_remove("MEILI_NO_ANALYTICS")
        .spawn()
        .expect("the example server starts");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let up = wait_until(Duration::from_secs(10), || {
        agent.get(&format!("{base}/health")).call().is_ok()
    });
    if !up {
        let _ = child.kill();
    }
    assert!(up, "the example server started");
    for i in 0..200 {
        let body = format!(r#"{{"q":"star wars {i}","limit":10,"filter":"year > 1977"}}"#);
        let response = agent
            .post(&format!("{base}/indexes/movies/search"))
            .header("Content-Type", "application/json")
            .header("X-Meilisearch-Client", "Meilisearch JavaScript (v0.57.0)")
            .send(body.as_bytes())
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    for _ in 0..50 {
        let settings = agent
            .patch(&format!("{base}/indexes/movies/settings"))
            .header("Content-Type", "application/json")
            .send(&br#"{"searchableAttributes":["title"]}"#[..])
            .unwrap();
        assert_eq!(settings.status(), 202);
        let documents = agent
            .post(&format!("{base}/indexes/movies/documents"))
            .header("Content-Type", "application/json")
            .send(&br#"[{"id":1,"title":"Star Wars"}]"#[..])
            .unwrap();
        assert_eq!(documents.status(), 202);
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        wait_until(Duration::from_secs(20), || {
            child.try_wait().unwrap().is_some()
        }),
        "a graceful shutdown"
    );

    let searched = collector.events("Documents Searched POST");
    assert_eq!(searched.len(), 1, "one summary of the interval");
    let search = &searched[0]["properties"];
    assert_eq!(search["requests"]["total_received"], 200);
    assert_eq!(search["filter"]["most_used_syntax"], "string");
    assert!(
        search["user-agent"]
            .to_string()
            .contains("Meilisearch JavaScript (v0.57.0)"),
        "{search}"
    );
    let settings = collector.events("Settings Updated");
    assert_eq!(
        settings[0]["properties"]["requests"]["total_received"], 50,
        "{settings:?}"
    );
    let documents = collector.events("Documents Added");
    assert_eq!(
        documents[0]["properties"]["requests"]["total_received"], 50,
        "{documents:?}"
    );
    assert_eq!(
        documents[0]["properties"]["index_creation"], true,
        "the first addition created the index, and the handler said so"
    );
    let identify = collector.events("Identify");
    assert_eq!(identify.len(), 1);
    let system = &identify[0]["properties"]["system"];
    assert!(system["cores"].as_u64().unwrap() >= 1, "{system}");
    assert!(system["ram_size"].as_u64().unwrap() > 0, "{system}");
    let launched = collector.events("Launched");
    let users: Vec<_> = launched
        .iter()
        .map(|e| e["userId"].as_str().unwrap())
        .collect();
    assert_eq!(users.len(), 2, "{users:?}");
    assert!(users.contains(&"total_launch"));
    let everything = collector.get("/v1/events").1;
    assert!(
        !everything.contains("star wars"),
        "no query text reached the collector"
    );
    let _ = std::fs::remove_dir_all(&data);
}
