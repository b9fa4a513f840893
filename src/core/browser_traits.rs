//! The coarse traits of the browser that loaded the dashboard, for `Dashboard Opened`: the core
//! count rounded down to a power of two (at most 64), the memory bucket the browser already
//! reports, the OS family and the engine family. The user-agent string is read here and never
//! leaves; nothing finer (versions, models, screen, locale, time zone) is derived.

use crate::prelude::*;

use crate::json::Value;

/// What the browser exposes (`navigator.userAgent`, `hardwareConcurrency`, `deviceMemory`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BrowserFacts {
    pub user_agent: String,
    pub hardware_concurrency: Option<f64>,
    pub device_memory_gb: Option<f64>,
}

fn os_family(ua: &str) -> &'static str {
    let ua = ua.to_ascii_lowercase();
    if ua.contains("android") {
        "android"
    } else if ua.contains("iphone") || ua.contains("ipad") || ua.contains("ipod") {
        "ios"
    } else if ua.contains("cros") {
        "chromeos"
    } else if ua.contains("windows") {
        "windows"
    } else if ua.contains("mac os") || ua.contains("macintosh") {
        "macos"
    } else if ua.contains("linux") || ua.contains("x11") {
        "linux"
    } else {
        "other"
    }
}

fn engine(ua: &str) -> &'static str {
    if ua.contains("Firefox/") || ua.contains("Gecko/") && !ua.contains("like Gecko") {
        "gecko"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("Edg/") {
        "chromium"
    } else if ua.contains("AppleWebKit/") {
        "webkit"
    } else {
        "other"
    }
}

fn cores(n: Option<f64>) -> i64 {
    match n {
        Some(x) if x.is_finite() && x >= 1.0 => {
            let n = (x as u64).min(64);
            1i64 << (63 - n.leading_zeros())
        }
        _ => 0,
    }
}

fn memory_bucket(gb: Option<f64>) -> &'static str {
    const BUCKETS: [(f64, &str); 8] = [
        (0.25, "0.25"),
        (0.5, "0.5"),
        (1.0, "1"),
        (2.0, "2"),
        (4.0, "4"),
        (8.0, "8"),
        (16.0, "16"),
        (32.0, "32"),
    ];
    match gb {
        Some(x) if x.is_finite() && x > 0.0 => BUCKETS
            .iter()
            .rev()
            .find(|(limit, _)| x >= *limit)
            .map_or("0.25", |(_, name)| name),
        _ => "unknown",
    }
}

/// The `Dashboard Opened` property bag.
pub fn dashboard_opened(facts: &BrowserFacts, dashboard_version: &str) -> Value {
    let mut bag = Value::object();
    bag.insert("dashboard.version", dashboard_version.into());
    bag.insert("package.version", env!("CARGO_PKG_VERSION").into());
    bag.insert(
        "browser.cores",
        Value::Int(cores(facts.hardware_concurrency)),
    );
    bag.insert(
        "browser.memory_gb",
        memory_bucket(facts.device_memory_gb).into(),
    );
    bag.insert("browser.os_family", os_family(&facts.user_agent).into());
    bag.insert("browser.engine", engine(&facts.user_agent).into());
    bag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_coarse_traits_come_out() {
        let facts = BrowserFacts {
            user_agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15".into(),
            hardware_concurrency: Some(10.0),
            device_memory_gb: None,
        };
        assert_eq!(
            dashboard_opened(&facts, "0.4.2").to_json(),
            format!(
                r#"{{"dashboard.version":"0.4.2","package.version":"{}","browser.cores":8,"browser.memory_gb":"unknown","browser.os_family":"macos","browser.engine":"webkit"}}"#,
                env!("CARGO_PKG_VERSION")
            )
        );
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!((os_family(firefox), engine(firefox)), ("linux", "gecko"));
        let android = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
        assert_eq!(
            (os_family(android), engine(android)),
            ("android", "chromium")
        );
        assert_eq!(
            (cores(Some(128.0)), cores(None), cores(Some(3.0))),
            (64, 0, 2)
        );
        assert_eq!(
            (memory_bucket(Some(8.0)), memory_bucket(Some(0.1))),
            ("8", "0.25")
        );
    }
}
