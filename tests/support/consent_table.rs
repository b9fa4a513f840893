//! The consent table: every source and the precedence between them, and every spelling of
//! `MEILI_NO_ANALYTICS` and `--no-analytics`. One table, run natively (`tests/consent.rs`) and in
//! the browsers (`tests/browser/consent_table.rs`).

use meili_telemetry_core::consent::{resolve, resolve_server, ConsentInputs, Reason, UserChoice};

fn inputs(edit: impl FnOnce(&mut ConsentInputs)) -> ConsentInputs {
    let mut inputs = ConsentInputs::default();
    edit(&mut inputs);
    inputs
}

fn env(value: &str) -> impl FnOnce(&mut ConsentInputs) + '_ {
    move |i| i.env_no_analytics = Some(value.to_owned())
}

/// (case, inputs, enabled, reason)
fn table() -> Vec<(&'static str, ConsentInputs, bool, Reason)> {
    use Reason::*;
    let mut rows = vec![
        ("nothing set", inputs(|_| {}), true, Default),
        (
            "--no-analytics",
            inputs(|i| i.server_args = vec!["--no-analytics".into()]),
            false,
            ServerFlag,
        ),
        ("env true", inputs(env("true")), false, ServerEnv),
        ("env false", inputs(env("false")), true, Default),
        (
            "flag wins over env false",
            inputs(|i| {
                i.server_args = vec!["--no-analytics".into()];
                i.env_no_analytics = Some("false".into());
            }),
            false,
            ServerFlag,
        ),
        (
            "config file true",
            inputs(|i| i.config_file_no_analytics = Some(true)),
            false,
            ServerConfigFile,
        ),
        (
            "env false wins over config file true",
            inputs(|i| {
                i.env_no_analytics = Some("false".into());
                i.config_file_no_analytics = Some(true);
            }),
            true,
            Default,
        ),
        (
            "--no-analytics=false is an error",
            inputs(|i| i.server_args = vec!["--no-analytics=false".into()]),
            false,
            InvalidServerSetting,
        ),
        (
            "empty env is an error",
            inputs(env("")),
            false,
            InvalidServerSetting,
        ),
        (
            "server reports off",
            inputs(|i| i.server_analytics_enabled = Some(false)),
            false,
            ServerReportsDisabled,
        ),
        (
            "server reports on",
            inputs(|i| i.server_analytics_enabled = Some(true)),
            true,
            Default,
        ),
        (
            "user opted out",
            inputs(|i| i.user_choice = Some(UserChoice::OptedOut)),
            false,
            UserOptedOut,
        ),
        (
            "user opted in",
            inputs(|i| i.user_choice = Some(UserChoice::OptedIn)),
            true,
            UserOptedIn,
        ),
        ("DNT", inputs(|i| i.do_not_track = true), false, DoNotTrack),
        (
            "GPC",
            inputs(|i| i.global_privacy_control = true),
            false,
            GlobalPrivacyControl,
        ),
        (
            "GPC before DNT",
            inputs(|i| {
                i.global_privacy_control = true;
                i.do_not_track = true;
            }),
            false,
            GlobalPrivacyControl,
        ),
        (
            "signals not honoured by the host",
            inputs(|i| {
                i.global_privacy_control = true;
                i.do_not_track = true;
                i.honor_browser_signals = false;
            }),
            true,
            Default,
        ),
        (
            "an explicit opt-in outranks DNT and GPC",
            inputs(|i| {
                i.user_choice = Some(UserChoice::OptedIn);
                i.do_not_track = true;
                i.global_privacy_control = true;
            }),
            true,
            UserOptedIn,
        ),
        (
            "the server outranks an opt-in",
            inputs(|i| {
                i.user_choice = Some(UserChoice::OptedIn);
                i.server_analytics_enabled = Some(false);
            }),
            false,
            ServerReportsDisabled,
        ),
        (
            "the server flag outranks an opt-in",
            inputs(|i| {
                i.user_choice = Some(UserChoice::OptedIn);
                i.env_no_analytics = Some("true".into());
            }),
            false,
            ServerEnv,
        ),
        (
            "an invalid setting fails closed even when the user opted in",
            inputs(|i| {
                i.user_choice = Some(UserChoice::OptedIn);
                i.env_no_analytics = Some("yes".into());
            }),
            false,
            InvalidServerSetting,
        ),
        (
            "opt-out outranks server on",
            inputs(|i| {
                i.server_analytics_enabled = Some(true);
                i.user_choice = Some(UserChoice::OptedOut);
            }),
            false,
            UserOptedOut,
        ),
    ];
    for bad in [
        "TRUE", "True", "1", "0", "yes", "no", "on", "off", " true", "true ", "garbage",
    ] {
        rows.push((
            "misspelt env fails closed",
            inputs(env(bad)),
            false,
            InvalidServerSetting,
        ));
    }
    rows
}

pub fn check_table() {
    for (case, inputs, enabled, reason) in table() {
        let consent = resolve(&inputs);
        assert_eq!(
            (consent.enabled, consent.reason),
            (enabled, reason),
            "{case}: {inputs:?}"
        );
        assert_eq!(
            consent.error.is_some(),
            reason == Reason::InvalidServerSetting,
            "{case}"
        );
    }
}

pub fn check_server_errors() {
    // Natively the server refuses to start: the error is returned, with clap's wording.
    let err = resolve_server::<&str>(&[], Some("TRUE"), None).unwrap_err();
    assert!(
        err.0.contains("invalid value 'TRUE' for '--no-analytics'"),
        "{err}"
    );
    let err = resolve_server::<&str>(&[], Some(""), None).unwrap_err();
    assert!(err.0.contains("a value is required"), "{err}");
    let err = resolve_server(&["--no-analytics=false"], None, None).unwrap_err();
    assert!(err.0.contains("unexpected value 'false'"), "{err}");
    let on = resolve_server::<&str>(&[], None, None).unwrap();
    assert!(on.enabled);
    let off = resolve_server(&["--no-analytics"], Some("false"), None).unwrap();
    assert_eq!((off.enabled, off.reason), (false, Reason::ServerFlag));
}
