//! A client: the engine over platform traits, with its persistence. It is driven step by step
//! ([`Client::next_step`]): by [`Client::tick`] over a blocking transport (a Rust server's
//! background thread, tests), or by the async driver (`async_client.rs`) over an async one.

use crate::config::Config;
use crate::consent::Consent;
use crate::delivery::{Action, UploadOutcome, UploadRequest};
use crate::engine::{DeletionOutcome, Engine, Stats, Traits};
use crate::error::{ConfigError, RecordError};
use crate::identity::InstanceUid;
use crate::json::Value;
use crate::observe::{Observer, Request};
use crate::persistence::{self, UidOrigin};
use crate::platform::{Clock, Entropy, Storage, Transport};

/// What a client's driver does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send this batch; report with [`Client::upload_finished`].
    Upload(UploadRequest),
    /// Send the owed deletion; report with [`Client::deletion_finished`].
    DeleteOwed(UploadRequest),
    /// Come back after this many ms (`None`: once something is recorded).
    Wait(Option<u64>),
}

/// The engine plus the platform it runs on.
pub struct Client<C: Clock, E: Entropy, T: Transport> {
    engine: Engine,
    clock: C,
    entropy: E,
    transport: T,
    /// Where the instance UID is kept (a directory of files natively, as the server keeps its
    /// `instance-uid`); `None` keeps nothing.
    storage: Option<Box<dyn Storage + Send>>,
    /// How the instance UID was obtained at start.
    uid_origin: UidOrigin,
}

impl<C: Clock, E: Entropy, T: Transport> Client<C, E, T> {
    pub fn new(
        config: Config,
        clock: C,
        mut entropy: E,
        transport: T,
    ) -> Result<Self, ConfigError> {
        let engine = Engine::new(config, clock.now_ms(), &mut entropy)?;
        Ok(Self {
            engine,
            clock,
            entropy,
            transport,
            storage: None,
            uid_origin: UidOrigin::New,
        })
    }

    /// A client that keeps its instance UID in `storage` and starts with `consent`: the stored
    /// UID is reused (a corrupt one replaced), and nothing is written while collection is off.
    pub fn open(
        config: Config,
        clock: C,
        mut entropy: E,
        transport: T,
        mut storage: Box<dyn Storage + Send>,
        consent: &Consent,
    ) -> Result<Self, ConfigError> {
        let (uid, uid_origin) = persistence::load_uid(storage.as_ref(), &mut entropy)
            .ok_or_else(|| ConfigError::new("entropy", "the platform provides no random numbers (getrandom), which the instance UID needs"))?;
        let mut engine = Engine::with_instance_uid(config, clock.now_ms(), uid);
        if let Some(owed) = persistence::load_owed_deletion(storage.as_ref()) {
            engine.owe_deletion(owed);
        }
        engine.set_enabled(consent.enabled);
        if consent.enabled {
            let _ = persistence::save_uid(storage.as_mut(), uid);
            if uid_origin == UidOrigin::New {
                // A first run: `Launched`, as the server sends it.
                engine.first_run(clock.now_ms(), &mut entropy);
            }
        } else {
            // Started with collection off after it sent data (the UID file exists): the
            // deletion of that UID is owed, and sent by `tick`.
            persistence::turned_off(
                storage.as_mut(),
                &mut engine,
                &mut entropy,
                uid_origin == UidOrigin::Stored,
            );
        }
        Ok(Self {
            engine,
            clock,
            entropy,
            transport,
            storage: Some(storage),
            uid_origin,
        })
    }

    /// How the instance UID was obtained: stored, new, or replacing a corrupt value.
    pub fn uid_origin(&self) -> UidOrigin {
        self.uid_origin
    }

    /// Turns collection on or off (see [`Engine::set_enabled`]); off also removes what is stored.
    /// Returns whether anything changed.
    /// Turning it off after data was sent owes the deletion of that UID, which `tick` sends
    /// (retried under the delivery policy until the collector answers 2xx).
    pub fn set_enabled(&mut self, enabled: bool) -> bool {
        let had_data = self.engine.stats().sealed > 0
            || self
                .storage
                .as_ref()
                .is_some_and(|s| s.read(persistence::UID_KEY).is_some());
        let changed = self.engine.set_enabled(enabled);
        if let Some(storage) = self.storage.as_mut() {
            if enabled {
                let _ = persistence::save_uid(storage.as_mut(), self.engine.instance_uid());
            } else if changed {
                persistence::turned_off(
                    storage.as_mut(),
                    &mut self.engine,
                    &mut self.entropy,
                    had_data,
                );
            }
        } else if changed && !enabled && had_data {
            self.engine.owe_deletion_of_current(&mut self.entropy);
        }
        changed
    }

    /// Asks the collector to delete everything stored for this installation (also while off):
    /// the UID whose deletion is owed if there is one, else the current one; once it answers
    /// 2xx, the UID is forgotten and a new one drawn.
    pub fn request_deletion(&mut self) -> UploadOutcome {
        let request = self.engine.deletion_request(self.clock.now_ms());
        let outcome = self.transport.send(&request);
        if outcome.is_delivered() && self.engine.forget_identity(&mut self.entropy) {
            if let Some(storage) = self.storage.as_mut() {
                persistence::purge(storage.as_mut());
                let _ = persistence::save_owed_deletion(storage.as_mut(), None);
                if self.engine.is_enabled() {
                    let _ = persistence::save_uid(storage.as_mut(), self.engine.instance_uid());
                }
            }
        }
        outcome
    }

    /// The traits of the Identify call sent at every interval (see [`Engine::set_traits`]).
    pub fn set_traits(&mut self, traits: Traits) {
        self.engine.set_traits(traits);
    }

    /// Records one call of `event` (see [`Engine::record`]).
    pub fn record(&mut self, event: &str, properties: &Value) -> Result<(), RecordError> {
        self.engine.record(self.clock.now_ms(), event, properties)
    }

    /// Observes one request the server handled (see [`Engine::observe`]); returns how many
    /// events it fed.
    pub fn observe(&mut self, request: &Request) -> Result<usize, RecordError> {
        self.engine
            .observe(self.clock.now_ms(), request, Observer::Server)
    }

    /// Sends everything recorded so far, batch after batch, until the queue is empty or an upload
    /// fails. Returns the outcome of each attempt.
    pub fn flush(&mut self) -> Vec<UploadOutcome> {
        let mut outcomes = Vec::new();
        while let Some(request) = self.engine.flush(self.clock.now_ms(), &mut self.entropy) {
            let outcome = self.send(&request);
            outcomes.push(outcome);
            if !outcome.is_delivered() {
                break;
            }
        }
        outcomes
    }

    fn send(&mut self, request: &UploadRequest) -> UploadOutcome {
        let (outcome, retry_after) = self.exchange(request);
        self.upload_finished(outcome, retry_after.as_deref());
        outcome
    }

    /// One request over the blocking transport: its outcome and `Retry-After`.
    fn exchange(&mut self, request: &UploadRequest) -> (UploadOutcome, Option<String>) {
        let outcome = self.transport.send(request);
        (outcome, self.transport.last_retry_after())
    }

    /// Does what the delivery policy says is due now (the interval's send, a retry whose backoff
    /// passed), then returns the outcomes and how long to wait before calling again (`None`:
    /// until something is recorded). Call it from a timer.
    pub fn tick(&mut self) -> Vec<UploadOutcome> {
        self.tick_with_wait().0
    }

    /// [`Client::tick`], also returning the wait the policy asks for before the next call.
    pub fn tick_with_wait(&mut self) -> (Vec<UploadOutcome>, Option<u64>) {
        let mut outcomes = Vec::new();
        loop {
            match self.next_step() {
                Step::Upload(request) => outcomes.push(self.send(&request)),
                Step::DeleteOwed(request) => {
                    let (outcome, retry_after) = self.exchange(&request);
                    self.deletion_finished(outcome, retry_after.as_deref());
                    outcomes.push(outcome);
                }
                Step::Wait(wait) => return (outcomes, wait),
            }
        }
    }

    /// What the delivery policy says is due now, for a driver that performs the I/O itself (the
    /// blocking [`Client::tick`], the async driver): an upload, the owed deletion, or how long
    /// to wait (`None`: until something is recorded). Report each request's outcome with
    /// [`Client::upload_finished`] or [`Client::deletion_finished`].
    pub fn next_step(&mut self) -> Step {
        let now = self.clock.now_ms();
        if let Some(request) = self.engine.poll_deletion(now) {
            return Step::DeleteOwed(request);
        }
        let deletion_wait = self
            .engine
            .owed_deletion()
            .map(|_| self.engine.deletion_retry_in_ms(now).unwrap_or(0));
        match self.engine.poll(now, &mut self.entropy) {
            Action::Send(request) => Step::Upload(request),
            Action::Wait(ms) => Step::Wait(Some(deletion_wait.map_or(ms, |d| d.min(ms)))),
            Action::Idle => Step::Wait(deletion_wait),
        }
    }

    /// Everything recorded, sealed now whatever the interval, as the next upload (`None`: nothing
    /// queued, or an upload under way): what a driver sends when its host shuts down.
    pub fn flush_step(&mut self) -> Option<UploadRequest> {
        self.engine.flush(self.clock.now_ms(), &mut self.entropy)
    }

    /// The outcome of a [`Step::Upload`] (`retry_after`: its `Retry-After` header, if any).
    pub fn upload_finished(&mut self, outcome: UploadOutcome, retry_after: Option<&str>) {
        self.engine
            .upload_finished(self.clock.now_ms(), outcome, retry_after);
    }

    /// The outcome of a [`Step::DeleteOwed`]: once answered, the owed deletion is forgotten (in
    /// storage too).
    pub fn deletion_finished(&mut self, outcome: UploadOutcome, retry_after: Option<&str>) {
        let answer = self
            .engine
            .deletion_finished(self.clock.now_ms(), outcome, retry_after);
        if answer != DeletionOutcome::Retrying {
            if let Some(storage) = self.storage.as_mut() {
                let _ = persistence::save_owed_deletion(storage.as_mut(), None);
            }
        }
    }

    /// Whether nothing is recorded, queued or owed.
    pub fn is_idle(&self) -> bool {
        self.engine.is_idle() && self.engine.owed_deletion().is_none()
    }

    pub fn instance_uid(&self) -> InstanceUid {
        self.engine.instance_uid()
    }

    pub fn stats(&self) -> &Stats {
        self.engine.stats()
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }
}
