//! The engine's configuration and its validation: every error names the field and says what to
//! fix, so a host sees a useful message at startup instead of silent loss later.

use crate::prelude::*;

use crate::error::quoted;
use crate::error::ConfigError;

/// The default interval between two sends: one hour, as Meilisearch Cloud sends.
pub const DEFAULT_FLUSH_INTERVAL_MS: u64 = 60 * 60 * 1000;

/// The open-source server's interval: one day (self-hosted instances send daily).
pub const SERVER_DAILY_INTERVAL_MS: u64 = 24 * 60 * 60 * 1000;

/// A validated collector base URL (`http(s)://host[:port][/path]`, no credentials, no query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint(String);

impl Endpoint {
    /// Validates a collector base URL such as `http://127.0.0.1:8787`.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let fail = |why: &str| {
            ConfigError::new(
                "endpoint",
                [
                    &quoted(text),
                    " is not a collector URL (",
                    why,
                    "); pass a base URL such as \"http://127.0.0.1:8787\" or \"https://telemetry.example.com\"",
                ]
                .concat(),
            )
        };
        if text.is_empty() {
            return Err(ConfigError::new(
                "endpoint",
                "the collector URL is empty; pass a base URL such as \"http://127.0.0.1:8787\"",
            ));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(fail("it contains whitespace"));
        }
        let rest = text
            .strip_prefix("http://")
            .or_else(|| text.strip_prefix("https://"))
            .ok_or_else(|| fail("it must start with http:// or https://"))?;
        if rest.contains(['?', '#']) {
            return Err(fail("it must not have a query or a fragment"));
        }
        let (authority, path) = rest
            .split_at_checked(rest.find('/').unwrap_or(rest.len()))
            .ok_or_else(|| fail("the host name is missing or invalid"))?;
        if authority.contains('@') {
            return Err(fail("credentials belong in writeKey, not in the URL"));
        }
        let (host, port) = split_host_port(authority).ok_or_else(|| fail("the port is invalid"))?;
        let host_ok = if let Some(inner) = host.strip_prefix('[') {
            inner.strip_suffix(']').is_some_and(|ip| {
                !ip.is_empty() && ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':')
            })
        } else {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        };
        if !host_ok {
            return Err(fail("the host name is missing or invalid"));
        }
        if port == Some(0) {
            return Err(fail("the port is invalid"));
        }
        let scheme = &text[..text.len() - rest.len()];
        Ok(Self(
            [scheme, authority, path.trim_end_matches('/')].concat(),
        ))
    }

    /// The base URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Segment-compatible batch URL.
    pub(crate) fn batch_url(&self) -> String {
        [&self.0, "/v1/batch"].concat()
    }

    /// Where deletion requests go: `<endpoint>/v1/deletion`.
    pub(crate) fn deletion_url(&self) -> String {
        [&self.0, "/v1/deletion"].concat()
    }
}

fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let port_start = if authority.starts_with('[') {
        authority.find(']').map(|i| i + 1)?
    } else {
        authority.find(':').unwrap_or(authority.len())
    };
    let (host, port) = authority.split_at_checked(port_start)?;
    match port.strip_prefix(':') {
        None if port.is_empty() => Some((host, None)),
        None => None,
        Some(digits)
            if !digits.is_empty()
                && digits.len() <= 5
                && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            digits.parse().ok().map(|p| (host, Some(p)))
        }
        Some(_) => None,
    }
}

/// A validated Segment write key (HTTP Basic user name, so no `:` and visible ASCII only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteKey(String);

impl WriteKey {
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        if text.is_empty() {
            return Err(ConfigError::new(
                "writeKey",
                "the write key is empty; pass the key the collector accepts (the Segment source's write key)",
            ));
        }
        if !text.bytes().all(|b| b.is_ascii_graphic() && b != b':') || text.len() > 256 {
            return Err(ConfigError::new(
                "writeKey",
                "the write key must be 1 to 256 visible ASCII characters without ':'",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Everything the engine needs to know from its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub endpoint: Endpoint,
    pub write_key: WriteKey,
    /// How often aggregates are sent, in ms.
    pub flush_interval_ms: u64,
}

impl Config {
    /// A configuration from the two required settings, with defaults for the rest.
    pub fn new(endpoint: &str, write_key: &str) -> Result<Self, ConfigError> {
        Ok(Self {
            endpoint: Endpoint::parse(endpoint)?,
            write_key: WriteKey::parse(write_key)?,
            flush_interval_ms: DEFAULT_FLUSH_INTERVAL_MS,
        })
    }

    /// Sets the flush interval (1 s to 7 days).
    pub fn with_flush_interval_ms(mut self, ms: u64) -> Result<Self, ConfigError> {
        if !(1_000..=7 * 24 * 3_600_000).contains(&ms) {
            return Err(ConfigError::new(
                "flushIntervalMs",
                [
                    &crate::text::int(ms),
                    " is out of range; pass a number of milliseconds from 1000 (1 s) to 604800000 (7 days)",
                ]
                .concat(),
            ));
        }
        self.flush_interval_ms = ms;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_collector_urls() {
        for (input, base) in [
            ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
            (
                "https://telemetry.example.com/",
                "https://telemetry.example.com",
            ),
            (
                "http://localhost:8787/collect/",
                "http://localhost:8787/collect",
            ),
            ("http://[::1]:8787", "http://[::1]:8787"),
        ] {
            assert_eq!(Endpoint::parse(input).unwrap().as_str(), base, "{input}");
        }
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:8787")
                .unwrap()
                .batch_url(),
            "http://127.0.0.1:8787/v1/batch"
        );
    }

    #[test]
    fn rejects_malformed_urls_with_a_fix() {
        for bad in [
            "",
            "127.0.0.1:8787",
            "ftp://x",
            "http://",
            "http://:80",
            "http://a b",
            "http://u:p@host",
            "http://host:99999",
            "http://host:0",
            "http://host:x",
            "http://host?q=1",
            "http://[zz]",
        ] {
            let err = Endpoint::parse(bad).unwrap_err();
            assert_eq!(err.field, "endpoint");
            assert!(
                err.message.contains("http://127.0.0.1:8787"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn validates_write_keys_and_intervals() {
        assert!(WriteKey::parse("abc123").is_ok());
        assert!(WriteKey::parse("").is_err());
        assert!(WriteKey::parse("a:b").is_err());
        assert!(WriteKey::parse("a b").is_err());
        let config = Config::new("http://localhost:1", "k").unwrap();
        assert!(config.clone().with_flush_interval_ms(10).is_err());
        assert_eq!(
            config
                .with_flush_interval_ms(5_000)
                .unwrap()
                .flush_interval_ms,
            5_000
        );
    }
}
