// Answers of a Meilisearch instance (v1.x), recorded from real responses, keyed by
// "<METHOD> <path>". The loopback server serves them under `/meili/`, so the fetch wrapper can be
// tested against something that answers like Meilisearch: successes, API errors, a slow route
// (for timeouts), a non-JSON answer and a dropped connection.
export const MEILISEARCH_FIXTURES = {
  'GET /health': { status: 200, body: { status: 'available' } },
  'GET /version': { status: 200, body: { commitSha: 'b46889b5f0f2f8b91438a08a358ba8f05fc09fc1', commitDate: '2026-10-01T00:00:00Z', pkgVersion: '1.24.0' } },
  'POST /indexes/movies/search': {
    status: 200,
    body: {
      hits: [{ id: 299536, title: 'Avengers: Infinity War' }],
      query: 'avengers',
      processingTimeMs: 4,
      limit: 20,
      offset: 0,
      estimatedTotalHits: 12,
    },
  },
  'POST /indexes/missing/search': {
    status: 404,
    body: { message: 'Index `missing` not found.', code: 'index_not_found', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#index_not_found' },
  },
  'POST /multi-search': {
    status: 200,
    body: { results: [{ indexUid: 'movies', hits: [], query: 'a', processingTimeMs: 1, limit: 20, offset: 0, estimatedTotalHits: 0 }] },
  },
  'PATCH /indexes/movies/settings': {
    status: 202,
    body: { taskUid: 18, indexUid: 'movies', status: 'enqueued', type: 'settingsUpdate', enqueuedAt: '2026-11-26T07:00:00.000Z' },
  },
  'GET /stats': { status: 200, slowMs: 2_000, body: { databaseSize: 447819776, indexes: {} } },
  'GET /indexes': { status: 200, raw: '<html>502 Bad Gateway</html>' },
  'GET /keys': { status: 401, body: { message: 'The Authorization header is missing.', code: 'missing_authorization_header', type: 'auth', link: 'https://docs.meilisearch.com/errors#missing_authorization_header' } },
  'POST /dumps': { destroy: true },
};
