// posthog-js: autocapture, pageviews, session recording and remote config off; memory persistence.
import posthog from 'posthog-js';
import { PROPERTIES } from './search.js';

export async function setup(collector) {
  posthog.init('phc_bench', {
    api_host: `${collector}/posthog`, autocapture: false, capture_pageview: false, capture_pageleave: false,
    disable_session_recording: true, advanced_disable_decide: true, advanced_disable_flags: true, persistence: 'memory',
    disable_compression: true, request_batching: true,
    opt_out_useragent_filter: true, // headless Chromium would otherwise be dropped as a bot
  });
  // posthog-js has no public flush: its request queue sends every few seconds and on unload.
  return { track: () => posthog.capture('Documents Searched POST', PROPERTIES), flush: async () => { posthog._requestQueue?.unload?.(); }, settleMs: 6000 };
}
