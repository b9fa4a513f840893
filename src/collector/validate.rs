//! Validation of one incoming Segment message against the catalog: its type, `messageId`,
//! `userId`, event name, and every property path, type, vocabulary and format. What is stored is
//! rebuilt from the validated parts only, so nothing the catalog does not declare — no IP, no
//! page, no user agent — is ever written to the database.

use meili_telemetry::batch::MAX_MESSAGE_BYTES;
use meili_telemetry::catalog::{self, EventDef, EventKind};
use meili_telemetry::json::Value;

/// A message that passed validation, reduced to what is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidMessage {
    pub message_id: String,
    pub user_id: String,
    pub kind: EventKind,
    /// The catalog event (`Identify` for identify calls).
    pub event: &'static str,
    /// The message's `timestamp`, as sent (RFC 3339), if any.
    pub timestamp: Option<String>,
    /// The `properties` (or `traits`, with `context.app.version` under `context`) as validated.
    pub properties: Value,
}

fn text<'a>(message: &'a Value, key: &str) -> Option<&'a str> {
    match message.get(key) {
        Some(Value::String(s)) => Some(&**s),
        _ => None,
    }
}

/// Checks every leaf under `node` against `def`, at paths starting with `prefix`.
fn check_leaves(def: &EventDef, prefix: &str, node: &Value) -> Result<(), String> {
    let Value::Object(entries) = node else {
        return Err(format!(
            "`{}` must be an object",
            prefix.trim_end_matches('.')
        ));
    };
    for (key, value) in entries {
        let path = format!("{prefix}{key}");
        match def.property(&path) {
            Some((_, prop)) => {
                catalog::check_value(def, prop, value).map_err(|e| e.message)?;
            }
            None if matches!(value, Value::Object(_)) => {
                check_leaves(def, &format!("{path}."), value)?
            }
            None => {
                return Err(format!(
                    "property {path:?} is not declared for {:?} in the catalog",
                    def.name
                ))
            }
        }
    }
    Ok(())
}

/// Validates one message of a batch (`json_len`: its serialized size, for the 32 KB limit).
pub fn validate(message: &Value, json_len: usize) -> Result<ValidMessage, String> {
    if json_len > MAX_MESSAGE_BYTES {
        return Err(format!(
            "the message is {json_len} bytes; a message may be at most {MAX_MESSAGE_BYTES}"
        ));
    }
    let Value::Object(_) = message else {
        return Err("a message must be an object".into());
    };
    let message_id = text(message, "messageId")
        .filter(|id| (1..=128).contains(&id.len()))
        .ok_or("`messageId` must be a string of 1 to 128 characters")?;
    let user_id = text(message, "userId")
        .filter(|id| (1..=128).contains(&id.len()))
        .ok_or("`userId` must be the instance UID (a string of 1 to 128 characters)")?;
    let timestamp = text(message, "timestamp").map(str::to_owned);
    let (kind, def, properties) = match text(message, "type") {
        Some("track") => {
            let name = text(message, "event").ok_or("a track message needs an `event` name")?;
            let def = catalog::event(name)
                .filter(|d| d.kind == EventKind::Track)
                .ok_or_else(|| format!("event {name:?} is not in the telemetry catalog"))?;
            let properties = match message.get("properties") {
                None | Some(Value::Null) => Value::Null,
                Some(p) => {
                    check_leaves(def, "", p)?;
                    p.clone()
                }
            };
            (EventKind::Track, def, properties)
        }
        Some("identify") => {
            let def = catalog::event("Identify").ok_or("the catalog has no Identify")?;
            let mut properties = match message.get("traits") {
                None | Some(Value::Null) => Value::object(),
                Some(traits) => {
                    check_leaves(def, "", traits)?;
                    traits.clone()
                }
            };
            if let Some(version) = message
                .get("context")
                .and_then(|c| c.get("app"))
                .and_then(|a| a.get("version"))
            {
                let mut app = Value::object();
                app.insert("version", version.clone());
                let mut context = Value::object();
                context.insert("app", app);
                let mut wrapper = Value::object();
                wrapper.insert("context", context.clone());
                check_leaves(def, "", &wrapper)?;
                properties.insert("context", context);
            }
            (EventKind::Identify, def, properties)
        }
        Some(other) => {
            return Err(format!(
                "message type {other:?} is not accepted; send track or identify"
            ))
        }
        None => return Err("a message needs a `type` (track or identify)".into()),
    };
    Ok(ValidMessage {
        message_id: message_id.to_owned(),
        user_id: user_id.to_owned(),
        kind,
        event: def.name,
        timestamp,
        properties,
    })
}
