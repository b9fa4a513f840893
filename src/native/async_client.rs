//! The async driver for tokio hosts (feature `async-client`): a [`Client`] owned by a spawned
//! task that performs its steps over an async HTTP transport (reqwest), and a cloneable handle
//! whose recording calls take a short lock and never wait on the network. `shutdown` seals what
//! was recorded, sends it, and only then stops: what the Meilisearch server loses at exit (its
//! buffered events, a first run's second `Launched`) is delivered here, within a deadline.

use crate::client::{Client, Step};
use crate::delivery::{UploadOutcome, UploadRequest, UPLOAD_TIMEOUT_MS};
use crate::engine::{Stats, Traits};
use crate::error::RecordError;
use crate::identity::InstanceUid;
use crate::json::Value;
use crate::native::{OsEntropy, SystemClock};
use crate::observe::Request;
use crate::platform::Transport;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The client the task drives: its transport is the task's, never the client's.
pub type DrivenClient = Client<SystemClock, OsEntropy, NoTransport>;

/// The transport of a client whose driver sends itself: it is never called.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoTransport;

impl Transport for NoTransport {
    fn send(&mut self, _: &UploadRequest) -> UploadOutcome {
        UploadOutcome::NetworkError
    }
}

struct Shared {
    client: Mutex<DrivenClient>,
    /// Wakes the task waiting with nothing to do: something was recorded, or the host is
    /// shutting down.
    wake: Notify,
    /// The task is (about to be) waiting for `wake`: only then does recording wake it, so a busy
    /// server's requests cost a lock, not a task wake each.
    idle: AtomicBool,
    closing: AtomicBool,
}

impl Shared {
    /// Wakes the task if it waits for something to be recorded.
    fn recorded(&self) {
        if self.idle.swap(false, SeqCst) {
            self.wake.notify_one();
        }
    }

    fn client(&self) -> MutexGuard<'_, DrivenClient> {
        // A panic while the lock was held leaves consistent state (each call is one engine
        // step): keep going rather than poison every later call.
        self.client.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A handle on the driving task; clones share it.
#[derive(Clone)]
pub struct AsyncClient {
    shared: Arc<Shared>,
    task: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl AsyncClient {
    /// Spawns the task that drives `client` (on the current tokio runtime).
    pub fn spawn(client: DrivenClient) -> Self {
        let shared = Arc::new(Shared {
            client: Mutex::new(client),
            wake: Notify::new(),
            idle: false.into(),
            closing: false.into(),
        });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(UPLOAD_TIMEOUT_MS))
            .build()
            .unwrap_or_default();
        let task = tokio::spawn(drive(Arc::clone(&shared), http));
        Self {
            shared,
            task: Arc::new(Mutex::new(Some(task))),
        }
    }

    /// Records one call of `event` (see [`Client::record`]).
    pub fn record(&self, event: &str, properties: &Value) -> Result<(), RecordError> {
        let recorded = self.shared.client().record(event, properties);
        self.shared.recorded();
        recorded
    }

    /// Observes one request the server handled (see [`Client::observe`]).
    pub fn observe(&self, request: &Request) -> Result<usize, RecordError> {
        let observed = self.shared.client().observe(request);
        self.shared.recorded();
        observed
    }

    /// The traits of the Identify call sent at every interval.
    pub fn set_traits(&self, traits: Traits) {
        self.shared.client().set_traits(traits);
        self.shared.recorded();
    }

    pub fn instance_uid(&self) -> InstanceUid {
        self.shared.client().instance_uid()
    }

    pub fn stats(&self) -> Stats {
        self.shared.client().stats().clone()
    }

    /// Seals everything recorded, sends it (batch after batch, until the queue is empty, an
    /// upload fails, or `deadline` passes), and stops the task. Returns the final counters.
    pub async fn shutdown(&self, deadline: Duration) -> Stats {
        self.shared.closing.store(true, SeqCst);
        self.shared.wake.notify_one();
        let task = self.task.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(task) = task {
            let _ = tokio::time::timeout(deadline, task).await;
        }
        self.stats()
    }
}

/// Sends one request: its status and `Retry-After`, or a network error.
async fn send(http: &reqwest::Client, request: &UploadRequest) -> (UploadOutcome, Option<String>) {
    let mut call = http.post(&request.url).body(request.body.clone());
    for (name, value) in &request.headers {
        call = call.header(name, value);
    }
    match call.send().await {
        Ok(response) => {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            (
                UploadOutcome::Status(response.status().as_u16()),
                retry_after,
            )
        }
        Err(_) => (UploadOutcome::NetworkError, None),
    }
}

/// The task: the client's steps until the host shuts down, then the final flush.
async fn drive(shared: Arc<Shared>, http: reqwest::Client) {
    let closing = || shared.closing.load(SeqCst);
    while !closing() {
        let step = { shared.client().next_step() };
        match step {
            Step::Upload(request) => {
                let (outcome, retry_after) = send(&http, &request).await;
                shared
                    .client()
                    .upload_finished(outcome, retry_after.as_deref());
            }
            Step::DeleteOwed(request) => {
                let (outcome, retry_after) = send(&http, &request).await;
                shared
                    .client()
                    .deletion_finished(outcome, retry_after.as_deref());
            }
            Step::Wait(Some(ms)) => {
                let _ =
                    tokio::time::timeout(Duration::from_millis(ms), shared.wake.notified()).await;
            }
            Step::Wait(None) => {
                // Idle first, then look again: a call recorded before the flag was up is seen
                // here, one recorded after it wakes the task.
                shared.idle.store(true, SeqCst);
                let idle = shared.client().is_idle();
                if idle && !closing() {
                    shared.wake.notified().await;
                }
                shared.idle.store(false, SeqCst);
            }
        }
    }
    loop {
        let Some(request) = shared.client().flush_step() else {
            return;
        };
        let (outcome, retry_after) = send(&http, &request).await;
        shared
            .client()
            .upload_finished(outcome, retry_after.as_deref());
        if !outcome.is_delivered() {
            return;
        }
    }
}
