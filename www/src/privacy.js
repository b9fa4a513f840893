// The privacy panel: collection on/off (persisted by the package), why it is off, the instance
// UID with copy and "delete my data", when the next send is due, losses by reason, and the exact
// JSON of the next batch — refreshed live from the package's inspector.
const $ = (id) => document.getElementById(id);

const REASONS = {
  default: 'On: nothing asked for it to be off.',
  user_opted_in: 'On: you turned it on.',
  user_opted_out: 'Off: you turned it off.',
  do_not_track: 'Off: your browser sends Do Not Track.',
  global_privacy_control: 'Off: your browser sends Global Privacy Control.',
  server_flag: 'Off: the server runs with --no-analytics.',
  server_env: 'Off: the server runs with MEILI_NO_ANALYTICS=true.',
  server_config_file: 'Off: the server’s config file disables analytics.',
  server_reports_disabled: 'Off: the server runs with analytics disabled (--no-analytics or MEILI_NO_ANALYTICS).',
  invalid_server_setting: 'Off: the server’s analytics setting could not be read.',
  loading: 'Starting: nothing is sent until the telemetry engine has loaded.',
  failed: 'Off: the telemetry engine could not load on this page, so nothing is collected.',
};

export function renderPrivacy(telemetry) {
  const refresh = () => {
    const consent = telemetry.consent;
    $('collect').checked = consent.enabled;
    $('consent-reason').textContent = `${REASONS[consent.reason] ?? consent.reason}${consent.error ? ` (${consent.error})` : ''}`;
    $('uid').textContent = telemetry.instanceUid;
    const due = telemetry.nextSendInMs;
    $('next-send').textContent = !consent.enabled
      ? 'Nothing is recorded or sent.'
      : due === null ? 'Nothing is waiting to be sent.' : `Next send in ${Math.ceil(due / 1000)} s.`;
    $('losses').textContent = JSON.stringify(telemetry.stats()?.lost ?? {}, null, 2);
    $('pending').textContent = JSON.stringify(telemetry.pending(), null, 2);
  };
  $('collect').addEventListener('change', () => {
    if ($('collect').checked) telemetry.optIn(); else telemetry.optOut();
    refresh();
  });
  $('copy-uid').addEventListener('click', () => { void navigator.clipboard?.writeText(telemetry.instanceUid); });
  $('delete-data').addEventListener('click', async () => {
    $('delete-status').textContent = 'Asking the collector…';
    const result = await telemetry.requestDeletion();
    $('delete-status').textContent = result.error ?? 'Deleted. You now have a new instance UID.';
    refresh();
  });
  $('send-now').addEventListener('click', async () => {
    await telemetry.flush();
    refresh();
  });
  refresh();
  void telemetry.ready.then(refresh); // the engine's answers, as soon as it has them
  setInterval(refresh, 1000);
}
