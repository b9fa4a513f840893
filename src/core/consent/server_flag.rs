//! The server's `--no-analytics` option, parsed exactly as Meilisearch's command-line parser
//! (clap 4.6.1, `#[clap(long, env = MEILI_NO_ANALYTICS)] no_analytics: bool`) parses it: the
//! environment value must be exactly `true` or `false`; an empty value is "a value is required";
//! the flag takes no value; the flag wins over the environment.

use crate::prelude::*;

use core::fmt;

/// Why the server's analytics option could not be read (the server refuses to start).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServerFlagError(pub String);

impl fmt::Display for ServerFlagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for ServerFlagError {}

/// `MEILI_NO_ANALYTICS`: `None` when unset, else the boolean it spells.
pub fn parse_env(value: Option<&str>) -> Result<Option<bool>, ServerFlagError> {
    match value {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some("") => Err(ServerFlagError(
            "error: a value is required for '--no-analytics' but none was supplied (MEILI_NO_ANALYTICS is empty; set it to true or false, or unset it)".into(),
        )),
        Some(other) => Err(ServerFlagError(
            [
                "error: invalid value '",
                other,
                "' for '--no-analytics' (from MEILI_NO_ANALYTICS)\n  [possible values: true, false]",
            ]
            .concat(),
        )),
    }
}

/// Whether the command line has `--no-analytics`. The flag takes no value.
pub fn parse_args<S: AsRef<str>>(args: &[S]) -> Result<bool, ServerFlagError> {
    let mut seen = false;
    for arg in args.iter().map(AsRef::as_ref) {
        if arg == "--" {
            break;
        }
        if arg == "--no-analytics" {
            if seen {
                return Err(ServerFlagError(
                    "error: the argument '--no-analytics' cannot be used multiple times".into(),
                ));
            }
            seen = true;
        } else if let Some(value) = arg.strip_prefix("--no-analytics=") {
            return Err(ServerFlagError(
                [
                    "error: unexpected value '",
                    value,
                    "' for '--no-analytics' found; no more were expected",
                ]
                .concat(),
            ));
        }
    }
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_spellings_as_clap_parses_them() {
        assert_eq!(parse_env(None), Ok(None));
        assert_eq!(parse_env(Some("true")), Ok(Some(true)));
        assert_eq!(parse_env(Some("false")), Ok(Some(false)));
        for bad in [
            "TRUE", "True", "1", "0", "yes", "no", "on", "off", " true", "true ", "garbage",
        ] {
            let err = parse_env(Some(bad)).unwrap_err();
            assert!(err.0.contains("invalid value"), "{bad:?}: {err}");
            assert!(err.0.contains(&format!("'{bad}'")), "{err}");
        }
        assert!(parse_env(Some(""))
            .unwrap_err()
            .0
            .contains("a value is required"));
    }

    #[test]
    fn the_flag_takes_no_value() {
        assert_eq!(parse_args::<&str>(&[]), Ok(false));
        assert_eq!(parse_args(&["meilisearch", "--no-analytics"]), Ok(true));
        assert_eq!(
            parse_args(&["--db-path", "x", "--", "--no-analytics"]),
            Ok(false)
        );
        for bad in [
            "--no-analytics=false",
            "--no-analytics=true",
            "--no-analytics=",
        ] {
            assert!(
                parse_args(&[bad])
                    .unwrap_err()
                    .0
                    .contains("unexpected value"),
                "{bad}"
            );
        }
        assert!(parse_args(&["--no-analytics", "--no-analytics"]).is_err());
    }
}
