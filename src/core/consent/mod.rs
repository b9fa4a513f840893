//! Consent: whether telemetry may collect at all, resolved from every source in one function for
//! both targets, with the reason. Precedence, first match wins:
//!
//! 1. an unreadable server setting (`MEILI_NO_ANALYTICS` or `--no-analytics` misspelt): **off**
//!    (fail closed; natively the host refuses to start, as the server does);
//! 2. the server's own setting: `--no-analytics`, else `MEILI_NO_ANALYTICS`, else the config
//!    file's `no_analytics` (the server's order) — `true` is **off**;
//! 3. the server tells the dashboard it runs with analytics off: **off**;
//! 4. the user's persisted choice: opted out is **off**, opted in is **on** (an explicit choice in
//!    this dashboard outranks the browser-wide signals below);
//! 5. Global Privacy Control, then Do Not Track, unless the host turned browser signals off: **off**;
//! 6. otherwise **on**.

use crate::prelude::*;

mod page;
mod server_flag;

pub use page::{page_meta, PAGE_META_NAME};
pub use server_flag::{parse_args, parse_env, ServerFlagError};

/// What the user chose in this dashboard (persisted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserChoice {
    OptedIn,
    OptedOut,
}

impl UserChoice {
    pub fn as_str(self) -> &'static str {
        match self {
            UserChoice::OptedIn => "opted-in",
            UserChoice::OptedOut => "opted-out",
        }
    }

    /// Reads a stored choice; anything else is no choice.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "opted-in" => Some(UserChoice::OptedIn),
            "opted-out" => Some(UserChoice::OptedOut),
            _ => None,
        }
    }
}

/// Every input consent depends on. `Default` is: nothing set, browser signals honoured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentInputs {
    /// The server's command line (only `--no-analytics` is read).
    pub server_args: Vec<String>,
    /// The raw `MEILI_NO_ANALYTICS` value, if set.
    pub env_no_analytics: Option<String>,
    /// `no_analytics` from the server's config file, if set.
    pub config_file_no_analytics: Option<bool>,
    /// What the server told the dashboard: `Some(false)` when it runs with analytics off.
    pub server_analytics_enabled: Option<bool>,
    /// The user's persisted choice.
    pub user_choice: Option<UserChoice>,
    /// `navigator.doNotTrack === "1"`.
    pub do_not_track: bool,
    /// `navigator.globalPrivacyControl === true`.
    pub global_privacy_control: bool,
    /// Whether DNT and GPC are honoured (default: yes).
    pub honor_browser_signals: bool,
}

impl Default for ConsentInputs {
    fn default() -> Self {
        Self {
            server_args: Vec::new(),
            env_no_analytics: None,
            config_file_no_analytics: None,
            server_analytics_enabled: None,
            user_choice: None,
            do_not_track: false,
            global_privacy_control: false,
            honor_browser_signals: true,
        }
    }
}

/// Why collection is on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    InvalidServerSetting,
    ServerFlag,
    ServerEnv,
    ServerConfigFile,
    ServerReportsDisabled,
    UserOptedOut,
    UserOptedIn,
    GlobalPrivacyControl,
    DoNotTrack,
    Default,
}

crate::words::serialize_as_word!(Reason);

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InvalidServerSetting => "invalid_server_setting",
            Reason::ServerFlag => "server_flag",
            Reason::ServerEnv => "server_env",
            Reason::ServerConfigFile => "server_config_file",
            Reason::ServerReportsDisabled => "server_reports_disabled",
            Reason::UserOptedOut => "user_opted_out",
            Reason::UserOptedIn => "user_opted_in",
            Reason::GlobalPrivacyControl => "global_privacy_control",
            Reason::DoNotTrack => "do_not_track",
            Reason::Default => "default",
        }
    }
}

/// The resolved consent, serialized as the JS `consent` getter shows it: `{ enabled, reason, error }`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Consent {
    pub enabled: bool,
    pub reason: Reason,
    /// The server-setting error behind [`Reason::InvalidServerSetting`].
    pub error: Option<ServerFlagError>,
}

impl Consent {
    fn on(reason: Reason) -> Self {
        Self {
            enabled: true,
            reason,
            error: None,
        }
    }

    fn off(reason: Reason) -> Self {
        Self {
            enabled: false,
            reason,
            error: None,
        }
    }
}

/// The server's own `no_analytics`, by its precedence (flag, environment, config file), with the
/// source that decided it; `None` when nothing says so.
fn server_setting(inputs: &ConsentInputs) -> Result<Option<(bool, Reason)>, ServerFlagError> {
    let flag = parse_args(&inputs.server_args)?;
    let env = parse_env(inputs.env_no_analytics.as_deref())?;
    if flag {
        return Ok(Some((true, Reason::ServerFlag)));
    }
    if let Some(no_analytics) = env {
        return Ok(Some((no_analytics, Reason::ServerEnv)));
    }
    Ok(inputs
        .config_file_no_analytics
        .map(|no_analytics| (no_analytics, Reason::ServerConfigFile)))
}

/// Resolves consent from every source (see the module documentation for the precedence).
pub fn resolve(inputs: &ConsentInputs) -> Consent {
    match server_setting(inputs) {
        Err(error) => {
            return Consent {
                error: Some(error),
                ..Consent::off(Reason::InvalidServerSetting)
            }
        }
        Ok(Some((true, reason))) => return Consent::off(reason),
        Ok(_) => {}
    }
    if inputs.server_analytics_enabled == Some(false) {
        return Consent::off(Reason::ServerReportsDisabled);
    }
    match inputs.user_choice {
        Some(UserChoice::OptedOut) => return Consent::off(Reason::UserOptedOut),
        Some(UserChoice::OptedIn) => return Consent::on(Reason::UserOptedIn),
        None => {}
    }
    if inputs.honor_browser_signals && inputs.global_privacy_control {
        return Consent::off(Reason::GlobalPrivacyControl);
    }
    if inputs.honor_browser_signals && inputs.do_not_track {
        return Consent::off(Reason::DoNotTrack);
    }
    Consent::on(Reason::Default)
}

/// The server's consent from its command line, environment and config file: `Err` when the
/// setting is misspelt, which must stop the server from starting, as Meilisearch does.
pub fn resolve_server<S: AsRef<str>>(
    args: &[S],
    env_no_analytics: Option<&str>,
    config_file_no_analytics: Option<bool>,
) -> Result<Consent, ServerFlagError> {
    let inputs = ConsentInputs {
        server_args: args.iter().map(|a| a.as_ref().to_owned()).collect(),
        env_no_analytics: env_no_analytics.map(str::to_owned),
        config_file_no_analytics,
        honor_browser_signals: false,
        ..ConsentInputs::default()
    };
    let consent = resolve(&inputs);
    match consent.error {
        Some(error) => Err(error),
        None => Ok(consent),
    }
}
