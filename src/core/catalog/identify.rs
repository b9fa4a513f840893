//! The Identify call: the instance's traits, sent once per interval. Paths are relative to
//! `traits`, except `context.app.version`, which is the message's `context`. Every option that
//! holds a path, an address, a URL or a key is reduced to a boolean; none is ever sent.

use super::declare::{doc, one_of, shaped, state, text};
use super::{EventDef, EventKind, MergeRule, Origin, Privacy, PropertyDef, TextFormat, ValueType};

const DISTRIBUTIONS: &[&str] = &[
    "Ubuntu",
    "Debian GNU/Linux",
    "Alpine Linux",
    "Amazon Linux",
    "CentOS Linux",
    "CentOS Stream",
    "Fedora Linux",
    "Red Hat Enterprise Linux",
    "Rocky Linux",
    "AlmaLinux",
    "Arch Linux",
    "NixOS",
    "openSUSE",
    "Darwin",
    "macOS",
    "Windows",
    "FreeBSD",
    "other",
];
const SERVER_PROVIDERS: &[&str] = &[
    "meili_cloud",
    "aws",
    "gcp",
    "azure",
    "digitalocean",
    "railway",
    "render",
    "koyeb",
    "qovery",
    "fly",
    "heroku",
    "other",
];
const ENVS: &[&str] = &["development", "production"];
const LOGS_MODES: &[&str] = &["HUMAN", "JSON"];
const LOG_LEVELS: &[&str] = &["OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"];

/// A number describing the instance, as of the newest Identify.
const fn number(
    path: &'static str,
    description: &'static str,
    example: &'static str,
) -> PropertyDef {
    shaped(
        path,
        ValueType::Integer,
        MergeRule::Last,
        Privacy::Bucketed,
        description,
        example,
    )
}

const fn byte_size(path: &'static str, description: &'static str) -> PropertyDef {
    text(
        path,
        TextFormat::ByteSize,
        MergeRule::Last,
        description,
        "\"100 MB\"",
    )
}

const TRAITS: &[PropertyDef] = &[
    number("start_since_days", "Whole days since the first telemetry send of the running process (0 on the first day; resets on restart).", "0").unit("days"),
    one_of("system.distribution", DISTRIBUTIONS, MergeRule::Last, "Operating system name, from a known list (else `other`).", "\"Debian GNU/Linux\"").nullable(),
    text("system.kernel_version", TextFormat::Version, MergeRule::Last, "Kernel version up to the first `-`; null when it has no `-`.", "\"6.5.0\"").nullable(),
    number("system.cores", "Logical CPUs.", "8"),
    number("system.ram_size", "Total memory.", "17179869184").unit("bytes"),
    number("system.disk_size", "Largest disk; null when none is found.", "536870912000").unit("bytes").nullable(),
    one_of("system.server_provider", SERVER_PROVIDERS, MergeRule::Last, "`MEILI_SERVER_PROVIDER` up to its first `:`, from a known list (else `other`); null when unset.", "\"aws\"").nullable(),
    number("stats.database_size", "Size of every index, the task and the auth databases.", "104857600").unit("bytes"),
    number("stats.indexes_number", "Number of indexes.", "3"),
    shaped("stats.documents_number", ValueType::IntegerArray, MergeRule::Last, Privacy::Count, "Document count of each index, ordered by index uid (the uids are not sent).", "[120,3400]"),
    one_of("infos.env", ENVS, MergeRule::Last, "`--env`.", "\"production\""),
    state("infos.experimental_contains_filter", "`containsFilter` is on (launch option or runtime)."),
    state("infos.experimental_enable_metrics", "`metrics` is on (launch option or runtime)."),
    state("infos.experimental_edit_documents_by_function", "`editDocumentsByFunction` is on."),
    number("infos.experimental_search_queue_size", "`--experimental-search-queue-size`.", "1000"),
    number("infos.experimental_drop_search_after", "`--experimental-drop-search-after`.", "60").unit("s"),
    number("infos.experimental_nb_searches_per_core", "`--experimental-nb-searches-per-core`.", "4"),
    one_of("infos.experimental_logs_mode", LOGS_MODES, MergeRule::Last, "Log format.", "\"HUMAN\""),
    state("infos.upgrade_db", "`--upgrade-db` (dumpless upgrade at start)."),
    state("infos.experimental_enable_logs_route", "`logsRoute` is on (launch option or runtime)."),
    state("infos.experimental_dynamic_search_rules", "`dynamicSearchRules` is on."),
    state("infos.experimental_reduce_indexing_memory_usage", "`--experimental-reduce-indexing-memory-usage`."),
    number("infos.experimental_max_number_of_batched_tasks", "`--experimental-max-number-of-batched-tasks` (unlimited is sent as 9007199254740991).", "9007199254740991"),
    number("infos.experimental_limit_batched_tasks_total_size", "`--experimental-limit-batched-tasks-total-size`; null when unset.", "1073741824").unit("bytes").nullable(),
    state("infos.experimental_network", "`network` is on."),
    state("infos.experimental_multimodal", "`multimodal` is on."),
    state("infos.experimental_chat_completions", "`chatCompletions` is on."),
    state("infos.experimental_get_task_documents_route", "`getTaskDocumentsRoute` is on."),
    state("infos.experimental_task_queue_compaction_route", "`taskQueueCompactionRoute` is on."),
    state("infos.experimental_composite_embedders", "`compositeEmbedders` is on."),
    number("infos.experimental_embedding_cache_entries", "`--experimental-embedding-cache-entries`.", "0"),
    state("infos.experimental_no_edition_2024_for_settings", "`--experimental-no-edition-2024-for-settings`."),
    state("infos.experimental_foreign_keys", "`foreignKeys` is on."),
    state("infos.experimental_queue_documents_fetch", "Document fetches go through the search queue."),
    state("infos.experimental_legacy_search", "`legacySearch` is on."),
    state("infos.experimental_personalization", "A personalization API key is configured (the key is never sent)."),
    state("infos.experimental_allowed_ip_networks", "Allowed IP networks are configured (the networks are never sent)."),
    state("infos.experimental_render_route", "`renderRoute` is on."),
    state("infos.gpu_enabled", "Built with GPU support."),
    state("infos.db_path", "The database path differs from the default (the path is never sent)."),
    state("infos.import_dump", "A dump is imported at start."),
    state("infos.dump_dir", "The dump directory differs from the default."),
    state("infos.ignore_missing_dump", "`--ignore-missing-dump`."),
    state("infos.ignore_dump_if_db_exists", "`--ignore-dump-if-db-exists`."),
    state("infos.import_snapshot", "A snapshot is imported at start."),
    number("infos.schedule_snapshot", "Snapshot interval; null when not scheduled.", "86400").unit("s").nullable(),
    state("infos.snapshot_dir", "The snapshot directory differs from the default."),
    state("infos.uses_s3_snapshots", "Snapshots go to S3 (bucket and credentials are never sent)."),
    state("infos.ignore_missing_snapshot", "`--ignore-missing-snapshot`."),
    state("infos.ignore_snapshot_if_db_exists", "`--ignore-snapshot-if-db-exists`."),
    state("infos.http_addr", "The HTTP address differs from the default (the address is never sent)."),
    byte_size("infos.http_payload_size_limit", "Largest accepted payload."),
    state("infos.task_queue_webhook", "A task webhook URL is configured (the URL is never sent)."),
    state("infos.task_webhook_authorization_header", "A task webhook authorization header is configured."),
    one_of("infos.log_level", LOG_LEVELS, MergeRule::Last, "Log level.", "\"INFO\""),
    byte_size("infos.max_indexing_memory", "Indexing memory limit; null when unknown or unlimited.").nullable(),
    number("infos.max_indexing_threads", "Indexing threads; null for the default.", "4").nullable(),
    state("infos.with_configuration_file", "`--config-file-path` was given on the command line."),
    state("infos.ssl_auth_path", "An SSL client-auth path is set (the path is never sent)."),
    state("infos.ssl_cert_path", "An SSL certificate path is set."),
    state("infos.ssl_key_path", "An SSL key path is set."),
    state("infos.ssl_ocsp_path", "An SSL OCSP path is set."),
    state("infos.ssl_require_auth", "`--ssl-require-auth`."),
    state("infos.ssl_resumption", "`--ssl-resumption`."),
    state("infos.ssl_tickets", "`--ssl-tickets`."),
    text("context.app.version", TextFormat::Version, MergeRule::Last, "The Meilisearch version (or prototype name), sent in the message `context`.", "\"1.50.0\""),
];

pub(super) const EVENTS: &[EventDef] = &[EventDef {
    name: "Identify",
    kind: EventKind::Identify,
    origin: Origin::Server,
    description: doc("The instance's traits: system, database statistics and launch options."),
    trigger: doc(
        "Once per interval, before the Track events, when the statistics could be computed.",
    ),
    properties: TRAITS,
}];
