// The search-like event every adapter records: a realistic Meilisearch search request and its
// response (what a dashboard observes), and the flat properties a peer SDK would be given for it.
export const REQUEST = {
  method: 'POST',
  path: '/indexes/movies/search',
  headers: { 'x-meilisearch-client': 'Meilisearch instant-meilisearch (v0.31.3) ; Meilisearch JavaScript (v0.57.0)' },
  body: { q: 'star wars', limit: 20, offset: 0, filter: 'genre = scifi AND year > 1977', facets: ['genre', 'year'], attributesToHighlight: ['*'] },
  response: { status: 200, body: { processingTimeMs: 3, estimatedTotalHits: 42 }, durationMs: 9 },
};

export const PROPERTIES = {
  terms: 2, filtered: true, facets: 2, limit: 20, offset: 0, highlight: true, processing_time_ms: 3, succeeded: true,
};
