// Sample mode: when no Meilisearch is reachable, searches go to this small responder of recorded
// Meilisearch responses instead — through the same instrumented fetch and the same client, so
// the telemetry path is the real one. Everything it returns is labelled sample data.
export const SAMPLE_HOST = 'https://sample.meilisearch.invalid';

const MOVIES = [
  { id: 1, title: 'Star Wars', genre: 'Science fiction', year: 1977 },
  { id: 2, title: 'Alien', genre: 'Horror', year: 1979 },
  { id: 3, title: 'Dune', genre: 'Science fiction', year: 2021 },
  { id: 4, title: 'Amélie', genre: 'Comedy', year: 2001 },
  { id: 5, title: 'Spirited Away', genre: 'Animation', year: 2001 },
  { id: 6, title: 'The Matrix', genre: 'Science fiction', year: 1999 },
  { id: 7, title: 'Heat', genre: 'Crime', year: 1995 },
  { id: 8, title: 'Arrival', genre: 'Science fiction', year: 2016 },
];

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fetch answering like Meilisearch 1.x for the sample `movies` index. */
export async function sampleFetch(input, init = {}) {
  const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
  const method = (init.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  if (path === '/health') return json(200, { status: 'available' });
  if (path === '/version') return json(200, { pkgVersion: '1.24.0 (sample)' });
  if (path === '/indexes' && method === 'GET') {
    return json(200, { results: [{ uid: 'movies', primaryKey: 'id', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }], offset: 0, limit: 20, total: 1 });
  }
  if (path === '/stats') return json(200, { databaseSize: 1048576, indexes: { movies: { numberOfDocuments: MOVIES.length, isIndexing: false } } });
  const search = /^\/indexes\/([^/]+)\/search$/.exec(path);
  if (search && method === 'POST') {
    if (search[1] !== 'movies') return json(404, { message: `Index \`${search[1]}\` not found.`, code: 'index_not_found', type: 'invalid_request' });
    const started = performance.now();
    const body = JSON.parse(init.body ?? '{}');
    const terms = String(body.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const hits = MOVIES.filter((m) => terms.every((t) => `${m.title} ${m.genre}`.toLowerCase().includes(t)));
    const limit = body.limit ?? 20;
    return json(200, {
      hits: hits.slice(body.offset ?? 0, (body.offset ?? 0) + limit),
      query: body.q ?? '',
      processingTimeMs: Math.max(1, Math.round(performance.now() - started)),
      limit,
      offset: body.offset ?? 0,
      estimatedTotalHits: hits.length,
    });
  }
  return json(404, { message: 'not in the sample', code: 'not_found', type: 'invalid_request' });
}
