//! Durability of the collector binary: killed with SIGKILL in the middle of a bounded load, then
//! restarted on the same database — every message that got a 2xx is there, and retrying every
//! batch (answered or not) stores each message exactly once.
#[path = "../collector_support/mod.rs"]
mod collector_support;

use collector_support::{basic, free_port, track, wait_until, KEY, READ_KEY};
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn spawn(port: u16, db: &std::path::Path) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meili-collector"))
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--write-key",
            KEY,
            "--read-key",
            READ_KEY,
            "--db",
        ])
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let agent = agent(Duration::from_millis(500));
    let up = wait_until(Duration::from_secs(20), || {
        agent
            .get(&format!("http://127.0.0.1:{port}/health"))
            .call()
            .is_ok()
    });
    if up {
        return child;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the collector did not start");
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

fn send(agent: &ureq::Agent, port: u16, body: &str) -> Option<u16> {
    agent
        .post(&format!("http://127.0.0.1:{port}/v1/batch"))
        .header("Authorization", &format!("Basic {}", basic(KEY)))
        .send(body.as_bytes())
        .ok()
        .map(|r| r.status().as_u16())
}

fn stored_ids(port: u16) -> Vec<String> {
    let agent = agent(Duration::from_secs(10));
    let mut ids = Vec::new();
    let mut after = 0;
    loop {
        let mut response = agent
            .get(&format!(
                "http://127.0.0.1:{port}/v1/events?limit=1000&after={after}"
            ))
            .header("Authorization", &format!("Bearer {READ_KEY}"))
            .call()
            .unwrap();
        let text = response.body_mut().read_to_string().unwrap();
        let page: Vec<String> = text
            .split(r#""messageId":""#)
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .collect();
        ids.extend(page);
        match text
            .split(r#""next":"#)
            .nth(1)
            .and_then(|s| s.trim_end_matches('}').parse::<i64>().ok())
        {
            Some(next) => after = next,
            None => return ids,
        }
    }
}

#[test]
fn every_acknowledged_message_survives_a_sigkill_and_retries_store_once() {
    let dir =
        std::env::temp_dir().join(format!("meili-collector-durability-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join("db.sqlite");
    let port = free_port();
    let mut child = spawn(port, &db);

    let batches: Vec<String> = (0..400)
        .map(|b| {
            let messages: Vec<String> = (0..10)
                .map(|m| track(&format!("d{b}-{m}"), "uid-durable", "Dump Created"))
                .collect();
            format!(r#"{{"batch":[{}]}}"#, messages.join(","))
        })
        .collect();
    let acked = Arc::new(Mutex::new(Vec::new()));
    let load = {
        let (batches, acked) = (batches.clone(), Arc::clone(&acked));
        std::thread::spawn(move || {
            let agent = agent(Duration::from_millis(500));
            for (i, body) in batches.iter().enumerate() {
                if send(&agent, port, body) == Some(200) {
                    acked.lock().unwrap().push(i);
                }
            }
        })
    };
    std::thread::sleep(Duration::from_millis(400));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    load.join().unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(
        !acked.is_empty() && acked.len() < batches.len(),
        "killed mid-load ({} acked)",
        acked.len()
    );

    let mut child = spawn(port, &db);
    let stored: BTreeSet<String> = stored_ids(port).into_iter().collect();
    for &b in &acked {
        for m in 0..10 {
            assert!(
                stored.contains(&format!("d{b}-{m}")),
                "acknowledged d{b}-{m} was lost"
            );
        }
    }
    let agent = agent(Duration::from_secs(10));
    for body in &batches {
        assert_eq!(send(&agent, port, body), Some(200));
    }
    let all = stored_ids(port);
    assert_eq!(all.len(), 4_000, "every message exactly once");
    assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), 4_000);
    child.kill().unwrap();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
