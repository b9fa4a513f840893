//! A server's Identify call and first-run `Launched`, natively: the traits (typed, checked
//! against the catalog, reduced as the server reduces them) go out once per interval before the
//! tracks, with `start_since_days` counted from the first Identify; a first run sends `Launched`
//! under `total_launch` at once, in a batch of its own, and under the instance UID with the
//! first interval; a restart (the UID file exists) sends no `Launched`; off sends nothing.
use meili_telemetry::consent::resolve_server;
use meili_telemetry::delivery::Action;
use meili_telemetry::engine::{InstanceStats, SystemTraits, Traits, TOTAL_LAUNCH_USER};
use meili_telemetry::native::FileStorage;
use meili_telemetry::platform::fakes::{ManualClock, RecordingTransport, SeededEntropy};
use meili_telemetry::{Client, Config, Engine, RecordErrorKind, Value};
use serde_json::Value as Json;

const START: u64 = 1_795_674_094_000;
const HOUR: u64 = 3_600_000;

fn config() -> Config {
    Config::new("http://127.0.0.1:8787", "server-key")
        .unwrap()
        .with_flush_interval_ms(HOUR)
        .unwrap()
}

fn system() -> SystemTraits {
    SystemTraits {
        distribution: Some("Debian GNU/Linux".into()),
        kernel_version: Some("6.5.0-1024-aws".into()),
        cores: 8,
        ram_size: 17_179_869_184,
        disk_size: Some(536_870_912_000),
        server_provider: Some("aws:eu-west-3".into()),
    }
}

fn traits() -> Traits {
    let mut traits = Traits::new("1.50.0").unwrap();
    traits
        .system(&system())
        .unwrap()
        .stats(&InstanceStats {
            database_size: 104_857_600,
            indexes_number: 2,
            documents_number: vec![120, 3400],
        })
        .unwrap()
        .info("env", "production")
        .unwrap()
        .info("experimental_enable_metrics", true)
        .unwrap();
    traits
}

/// The batch an action sends.
fn batch(action: Action) -> Vec<Json> {
    let Action::Send(request) = action else {
        panic!("expected a send, got {action:?}")
    };
    let body: Json = serde_json::from_str(&request.body).unwrap();
    body["batch"].as_array().unwrap().clone()
}

fn names(batch: &[Json]) -> Vec<String> {
    batch
        .iter()
        .map(|m| {
            m["event"]
                .as_str()
                .unwrap_or(m["type"].as_str().unwrap())
                .to_owned()
        })
        .collect()
}

#[test]
fn identify_goes_once_per_interval_before_the_tracks() {
    let mut entropy = SeededEntropy::new(1);
    let mut engine = Engine::new(config(), START, &mut entropy).unwrap();
    engine.set_traits(traits());
    engine
        .record(START + 5, "Dump Created", &Value::Null)
        .unwrap();
    assert!(matches!(
        engine.poll(START + 10, &mut entropy),
        Action::Wait(_)
    ));
    let first = batch(engine.poll(START + HOUR, &mut entropy));
    assert_eq!(names(&first), ["identify", "Dump Created"]);
    let identify = &first[0];
    assert_eq!(identify["userId"], engine.instance_uid().text());
    assert_eq!(identify["context"]["app"]["version"], "1.50.0");
    let t = &identify["traits"];
    assert_eq!(t["start_since_days"], 0);
    assert_eq!(t["system"]["distribution"], "Debian GNU/Linux");
    assert_eq!(
        t["system"]["kernel_version"], "6.5.0",
        "up to the first `-`"
    );
    assert_eq!(t["system"]["cores"], 8);
    assert_eq!(t["system"]["ram_size"], 17_179_869_184_u64);
    assert_eq!(t["system"]["server_provider"], "aws", "up to the first `:`");
    assert_eq!(
        t["stats"]["documents_number"],
        serde_json::json!([120, 3400])
    );
    assert_eq!(t["infos"]["env"], "production");
    assert_eq!(t["infos"]["experimental_enable_metrics"], true);
    engine.upload_finished(
        START + HOUR,
        meili_telemetry::UploadOutcome::Status(200),
        None,
    );
    // Every interval, even one without tracks; the days count from the first Identify.
    let later = START + HOUR + 2 * 24 * HOUR;
    let second = batch(engine.poll(later, &mut entropy));
    assert_eq!(names(&second), ["identify"]);
    assert_eq!(second[0]["traits"]["start_since_days"], 2);
    assert_ne!(second[0]["messageId"], first[0]["messageId"]);
}

#[test]
fn traits_are_checked_against_the_catalog_and_reduced_as_the_server_reduces_them() {
    let mut traits = Traits::new("1.50.0").unwrap();
    let unknown = traits.info("master_key", "secret").unwrap_err();
    assert_eq!(unknown.kind, RecordErrorKind::UnknownProperty);
    let wrong = traits.info("env", true).unwrap_err();
    assert_eq!(wrong.kind, RecordErrorKind::WrongType);
    let outside = traits.info("env", "staging").unwrap_err();
    assert_eq!(outside.kind, RecordErrorKind::OutsideVocabulary);
    assert!(Traits::new("not a version").is_err());

    let mut engine = Engine::new(config(), START, &mut SeededEntropy::new(2)).unwrap();
    let mut reduced = Traits::new("1.50.0").unwrap();
    reduced
        .system(&SystemTraits {
            distribution: Some("Gentoo/Linux 2.17".into()),
            kernel_version: Some("23.1.0".into()),
            server_provider: Some("my-own-cloud".into()),
            disk_size: None,
            ..system()
        })
        .unwrap();
    engine.set_traits(reduced);
    let sent = batch(
        engine
            .flush(START, &mut SeededEntropy::new(3))
            .map(Action::Send)
            .unwrap(),
    );
    let s = &sent[0]["traits"]["system"];
    assert_eq!(s["distribution"], "other", "an unlisted OS");
    assert_eq!(
        s["kernel_version"],
        Json::Null,
        "no `-`: null, as the server sends it"
    );
    assert_eq!(s["server_provider"], "other");
    assert_eq!(s["disk_size"], Json::Null);
}

#[test]
fn a_first_run_sends_launched_twice_as_the_server_does() {
    let mut entropy = SeededEntropy::new(4);
    let mut engine = Engine::new(config(), START, &mut entropy).unwrap();
    engine.set_traits(traits());
    engine.first_run(START, &mut entropy);
    engine
        .record(START + 5, "Dump Created", &Value::Null)
        .unwrap();
    // At once, alone: `Launched` under the shared pseudo-user.
    let launch = batch(engine.poll(START + 10, &mut entropy));
    assert_eq!(names(&launch), ["Launched"]);
    assert_eq!(launch[0]["userId"], TOTAL_LAUNCH_USER);
    assert_eq!(launch[0]["properties"], Json::Null);
    engine.upload_finished(
        START + 20,
        meili_telemetry::UploadOutcome::Status(200),
        None,
    );
    // With the first interval: `Launched` under the instance UID, then Identify, then the tracks.
    let first = batch(engine.poll(START + HOUR, &mut entropy));
    assert_eq!(names(&first), ["Launched", "identify", "Dump Created"]);
    assert_eq!(first[0]["userId"], engine.instance_uid().text());
    assert_eq!(first[0]["properties"], Json::Null);
    engine.upload_finished(
        START + HOUR,
        meili_telemetry::UploadOutcome::Status(200),
        None,
    );
    let second = batch(engine.poll(START + 2 * HOUR, &mut entropy));
    assert_eq!(names(&second), ["identify"], "Launched only once");
}

#[test]
fn collection_off_sends_no_identify_and_no_launched() {
    let mut entropy = SeededEntropy::new(5);
    let mut engine = Engine::new(config(), START, &mut entropy).unwrap();
    engine.set_enabled(false);
    engine.set_traits(traits());
    engine.first_run(START, &mut entropy);
    assert_eq!(engine.poll(START + HOUR, &mut entropy), Action::Idle);
    // Turning off forgets the traits and the owed `Launched`.
    let mut engine = Engine::new(config(), START, &mut entropy).unwrap();
    engine.set_traits(traits());
    engine.first_run(START, &mut entropy);
    engine.set_enabled(false);
    engine.set_enabled(true);
    assert_eq!(engine.poll(START + HOUR, &mut entropy), Action::Idle);
}

#[test]
fn the_client_sends_launched_on_a_first_run_only() {
    let dir = std::env::temp_dir().join(format!("meili-identify-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let on = resolve_server::<&str>(&[], None, None).unwrap();
    let clock = ManualClock::at(START);
    let open = |seed| {
        Client::open(
            config(),
            &clock,
            SeededEntropy::new(seed),
            RecordingTransport::default(),
            Box::new(FileStorage::new(&dir)),
            &on,
        )
        .unwrap()
    };
    let mut first = open(6);
    first.tick();
    let sent = &first.transport().sent;
    assert_eq!(sent.len(), 1, "the total_launch batch, at once");
    let launch: Json = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(launch["batch"].as_array().unwrap().len(), 1, "{launch}");
    assert_eq!(launch["batch"][0]["event"], "Launched");
    assert_eq!(launch["batch"][0]["userId"], TOTAL_LAUNCH_USER);
    let mut restarted = open(7);
    clock.advance(HOUR);
    restarted.tick();
    assert!(
        restarted
            .transport()
            .sent
            .iter()
            .all(|r| !r.body.contains("Launched")),
        "the UID file exists: not a first run"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_machine_is_read_as_the_server_reads_it() {
    let system = meili_telemetry::system_traits::system_traits();
    assert!(system.cores >= 1, "{system:?}");
    assert!(system.ram_size > 0, "{system:?}");
    let mut traits = Traits::new("1.50.0").unwrap();
    traits
        .system(&system)
        .expect("the catalog accepts what sysinfo reads");
}

#[test]
fn flushing_often_still_sends_one_identify_per_interval() {
    let mut entropy = SeededEntropy::new(8);
    let mut engine = Engine::new(config(), START, &mut entropy).unwrap();
    engine.set_traits(traits());
    let mut identifies = 0;
    for minute in 0..90 {
        let now = START + minute * 60_000;
        engine.record(now, "Dump Created", &Value::Null).unwrap();
        if let Some(request) = engine.flush(now, &mut entropy) {
            identifies += request.body.matches(r#""type":"identify""#).count();
            engine.upload_finished(now, meili_telemetry::UploadOutcome::Status(200), None);
        }
    }
    assert_eq!(identifies, 2, "minutes 0 and 60 of a one-hour interval");
}
