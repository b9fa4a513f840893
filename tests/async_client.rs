//! The async driver on tokio against the real collector on loopback: recording from many tasks
//! at once, the interval's send by the driving task (Identify first, a first run's `Launched`
//! twice), and a graceful shutdown that delivers what is still buffered — which the Meilisearch
//! server would lose at exit.
mod collector_support;

use collector_support::*;
use meili_telemetry::async_client::AsyncClient;
use meili_telemetry::engine::{SystemTraits, Traits};
use meili_telemetry::native::FileStorage;
use meili_telemetry::Value;
use std::time::Duration;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("meili-async-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn open(server: &Server, dir: &std::path::Path, interval_ms: u64) -> AsyncClient {
    spawn_client(&server.url, Box::new(FileStorage::new(dir)), interval_ms)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_delivers_what_is_buffered() {
    let server = Server::start(&[]);
    let dir = temp_dir("shutdown");
    // An interval far away: only the shutdown can send the tracks.
    let telemetry = open(&server, &dir, 3_600_000);
    let mut traits = Traits::new("1.50.0").unwrap();
    traits
        .system(&SystemTraits {
            cores: 2,
            ram_size: 1 << 30,
            ..SystemTraits::default()
        })
        .unwrap();
    telemetry.set_traits(traits);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let telemetry = telemetry.clone();
            tokio::spawn(async move {
                for _ in 0..25 {
                    telemetry.record("Dump Created", &Value::Null).unwrap();
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    // The first run's `total_launch` went at once, alone.
    assert!(
        wait_until(Duration::from_secs(10), || {
            server.events("Launched").len() == 1
        }),
        "total_launch sent at start"
    );
    assert!(
        server.events("Dump Created").is_empty(),
        "not before the interval"
    );
    let stats = telemetry.shutdown(Duration::from_secs(10)).await;
    assert_eq!(stats.delivered, stats.sealed, "{stats:?}");
    let dumps = server.events("Dump Created");
    assert_eq!(dumps.len(), 1, "one summary");
    assert_eq!(dumps[0]["properties"]["requests"]["total_received"], 200);
    assert_eq!(
        server.events("Launched").len(),
        2,
        "the instance's Launched too"
    );
    let identify = server.events("Identify");
    assert_eq!(identify.len(), 1);
    assert_eq!(identify[0]["properties"]["system"]["cores"], 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_task_sends_on_its_interval_and_a_restart_sends_no_launched() {
    let server = Server::start(&[]);
    let dir = temp_dir("interval");
    let first = open(&server, &dir, 1_000);
    first.shutdown(Duration::from_secs(10)).await;
    assert_eq!(server.events("Launched").len(), 2);
    let telemetry = open(&server, &dir, 1_000);
    telemetry.record("Dump Created", &Value::Null).unwrap();
    // (The test blocks one of the runtime's two workers; the driving task runs on the other.)
    let sent = wait_until(Duration::from_secs(10), || {
        !server.events("Dump Created").is_empty()
    });
    assert!(
        sent,
        "the interval's send, by the task, without a tick from the host"
    );
    telemetry.shutdown(Duration::from_secs(10)).await;
    assert_eq!(
        server.events("Launched").len(),
        2,
        "a restart is not a first run"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
