//! What a server says about itself: its Identify call and, on a first run, `Launched`. The host
//! hands the engine its [`Traits`] (typed, every value checked against the catalog when set) and
//! sets them again when they change; the engine sends one Identify at every interval (however
//! often the host flushes), before that interval's tracks, with `start_since_days` counted from
//! its first Identify, as the Meilisearch server counts it. A first run sends `Launched` twice,
//! as the server does: once under the shared pseudo-user `total_launch`, in a batch of its own
//! sent at once, and once under the instance UID, with the first interval.

use crate::prelude::*;

use super::Engine;
use crate::batch::Envelope;
use crate::catalog::validate::accepts_text;
use crate::error::RecordError;
use crate::identity::message_id;
use crate::json::Value;
use crate::message::MessageBuilder;
use crate::platform::Entropy;

/// The pseudo-user under which every first run is counted once.
pub const TOTAL_LAUNCH_USER: &str = "total_launch";
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// The machine a server runs on (the `system.*` traits), as the server reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SystemTraits {
    /// The OS name (`"Debian GNU/Linux"`, `"Darwin"`); one the catalog does not list is sent as
    /// `other`.
    pub distribution: Option<String>,
    /// The kernel version as the OS reports it; sent up to its first `-`, and as `null` when it
    /// has none (the server's rule).
    pub kernel_version: Option<String>,
    /// Logical CPUs.
    pub cores: u64,
    /// Total memory, in bytes.
    pub ram_size: u64,
    /// The largest disk, in bytes.
    pub disk_size: Option<u64>,
    /// `MEILI_SERVER_PROVIDER`, sent up to its first `:` when the catalog lists it, else `other`.
    pub server_provider: Option<String>,
}

/// The instance's statistics (the `stats.*` traits).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InstanceStats {
    /// Every index, the task and the auth databases, in bytes.
    pub database_size: u64,
    pub indexes_number: u64,
    /// The document count of each index, ordered by index uid (the uids are never sent).
    pub documents_number: Vec<u64>,
}

/// What the engine keeps of a server's identity.
#[derive(Debug, Clone, Default)]
pub(super) struct ServerIdentity {
    /// The traits sent as an Identify at every interval.
    traits: Option<Traits>,
    /// When the first Identify was sealed (`start_since_days` counts from it).
    first_identify_ms: Option<u64>,
    /// When the last one was: one per interval, however often the host flushes.
    last_identify_ms: Option<u64>,
    /// A first run's `Launched` under the instance UID, owed to the first interval.
    launch_owed: bool,
}

/// An Identify call's traits, but `start_since_days`, which the engine counts.
#[derive(Debug, Clone)]
pub struct Traits {
    builder: MessageBuilder,
}

/// A count as the catalog's integers hold it.
fn count(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The part of `text` before `separator`, if it has one.
fn before(text: &str, separator: char) -> Option<&str> {
    text.split_once(separator).map(|(head, _)| head)
}

/// `value` if the catalog's vocabulary at `path` holds it, else `other`.
fn known_or_other(path: &str, value: &str) -> Value {
    let listed = crate::catalog::event("Identify")
        .and_then(|event| event.property(path))
        .is_some_and(|(_, p)| accepts_text(p, value));
    if listed { value } else { "other" }.into()
}

impl Traits {
    /// Traits for a server of `app_version` (sent as the message's `context.app.version`).
    pub fn new(app_version: &str) -> Result<Self, RecordError> {
        let mut builder = MessageBuilder::new("Identify")?;
        builder.set("context.app.version", app_version.into())?;
        Ok(Self { builder })
    }

    /// The machine's traits, reduced as the server reduces them.
    pub fn system(&mut self, system: &SystemTraits) -> Result<&mut Self, RecordError> {
        let distribution = system
            .distribution
            .as_deref()
            .map_or(Value::Null, |d| known_or_other("system.distribution", d));
        let kernel = system
            .kernel_version
            .as_deref()
            .and_then(|k| before(k, '-'))
            .map_or(Value::Null, Value::from);
        let provider = system.server_provider.as_deref().map_or(Value::Null, |p| {
            known_or_other("system.server_provider", before(p, ':').unwrap_or(p))
        });
        let b = &mut self.builder;
        b.set("system.distribution", distribution)?;
        b.set("system.kernel_version", kernel)?;
        b.set("system.cores", count(system.cores))?;
        b.set("system.ram_size", count(system.ram_size))?;
        b.set(
            "system.disk_size",
            system.disk_size.map_or(Value::Null, count),
        )?;
        b.set("system.server_provider", provider)?;
        Ok(self)
    }

    /// The instance's statistics.
    pub fn stats(&mut self, stats: &InstanceStats) -> Result<&mut Self, RecordError> {
        let b = &mut self.builder;
        b.set("stats.database_size", count(stats.database_size))?;
        b.set("stats.indexes_number", count(stats.indexes_number))?;
        let documents = stats.documents_number.iter().copied().map(count).collect();
        b.set("stats.documents_number", Value::Array(documents))?;
        Ok(self)
    }

    /// One launch option, `infos.<name>` (`"env"`, `"experimental_enable_metrics"`, …), checked
    /// against the catalog: an undeclared name, a wrong type or a value outside its vocabulary
    /// is refused.
    pub fn info(&mut self, name: &str, value: impl Into<Value>) -> Result<&mut Self, RecordError> {
        self.builder.set(&["infos.", name].concat(), value.into())?;
        Ok(self)
    }
}

impl Engine {
    /// The traits the next Identify calls carry (until set again). Ignored while collection is
    /// off.
    pub fn set_traits(&mut self, traits: Traits) {
        if self.enabled {
            self.server.traits = Some(traits);
        }
    }

    /// A first run (no instance UID could be loaded): `Launched` under `total_launch` is sealed
    /// now, in a batch of its own, and `Launched` under the instance UID goes with the first
    /// interval. Nothing while collection is off.
    pub fn first_run(&mut self, now_ms: u64, entropy: &mut dyn Entropy) {
        if !self.enabled {
            return;
        }
        self.seal_launched(TOTAL_LAUNCH_USER, now_ms, entropy);
        self.server.launch_owed = true;
    }

    /// Seals what a server owes at an interval's end, before its tracks: the instance's
    /// `Launched` after a first run, then the Identify call.
    pub(super) fn seal_identity(&mut self, now_ms: u64, entropy: &mut dyn Entropy) {
        if core::mem::take(&mut self.server.launch_owed) {
            let uid = self.instance_uid.text();
            self.seal_launched(&uid, now_ms, entropy);
        }
        let Some(traits) = &self.server.traits else {
            return;
        };
        let interval = self.config.flush_interval_ms;
        if self
            .server
            .last_identify_ms
            .is_some_and(|last| now_ms.saturating_sub(last) < interval)
        {
            return;
        }
        self.server.last_identify_ms = Some(now_ms);
        let first = *self.server.first_identify_ms.get_or_insert(now_ms);
        let mut builder = traits.builder.clone();
        let days = count(now_ms.saturating_sub(first) / DAY_MS);
        if builder.set("start_since_days", days).is_err() {
            return;
        }
        let uid = self.instance_uid.text();
        self.seal_message(&builder, &uid, now_ms, entropy);
    }

    fn seal_launched(&mut self, user_id: &str, now_ms: u64, entropy: &mut dyn Entropy) {
        if let Ok(builder) = MessageBuilder::new("Launched") {
            self.seal_message(&builder, user_id, now_ms, entropy);
        }
    }

    /// Seals one message built whole (not an aggregate) into the outbox.
    fn seal_message(
        &mut self,
        builder: &MessageBuilder,
        user_id: &str,
        now_ms: u64,
        entropy: &mut dyn Entropy,
    ) {
        let Some(id) = message_id(entropy) else {
            self.stats.entropy_unavailable += 1;
            return;
        };
        let envelope = Envelope {
            user_id,
            message_id: &id,
            timestamp_ms: now_ms,
        };
        self.enqueue(&id, &builder.message(&envelope), now_ms);
    }

    /// Whether an interval's end has something to seal besides aggregates.
    pub(super) fn owes_identity(&self) -> bool {
        self.server.launch_owed || self.server.traits.is_some()
    }
}
