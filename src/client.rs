//! A synchronous client: the engine driven over platform traits, for hosts that can block on a
//! send (a Rust server's background thread, tests). Async hosts (the browser) drive the engine
//! themselves.

use crate::config::Config;
use crate::delivery::UploadOutcome;
use crate::engine::{Engine, Stats};
use crate::error::{ConfigError, RecordError};
use crate::identity::InstanceUid;
use crate::json::Value;
use crate::observe::{Observer, Request};
use crate::platform::{Clock, Entropy, Transport};

/// The engine plus the platform it runs on.
pub struct Client<C: Clock, E: Entropy, T: Transport> {
    engine: Engine,
    clock: C,
    entropy: E,
    transport: T,
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
        })
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
            let outcome = self.transport.send(&request);
            self.engine.upload_finished(outcome);
            outcomes.push(outcome);
            if !outcome.is_delivered() {
                break;
            }
        }
        outcomes
    }

    /// Flushes if the interval has elapsed; call it from a timer.
    pub fn tick(&mut self) -> Vec<UploadOutcome> {
        if self.engine.is_due(self.clock.now_ms()) {
            self.flush()
        } else {
            Vec::new()
        }
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
