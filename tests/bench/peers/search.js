// The search-like event every adapter records: a realistic Meilisearch search request and its
// response (what a dashboard observes), and the flat properties a peer SDK would be given for it.
export const REQUEST = {
  method: 'POST',
  path: '/indexes/movies/search',
  headers: { 'x-meilisearch-client': 'Meilisearch instant-meilisearch (v0.31.3) ; Meilisearch JavaScript (v0.57.0)' },
  body: { q: 'star wars', limit: 20, offset: 0, filter: 'genre = scifi AND year > 1977', facets: ['genre', 'year'], attributesToHighlight: ['*'] },
  // Pure: the peers import only PROPERTIES, and their bundles must not carry this page.
  response: { status: 200, body: /* @__PURE__ */ page(), durationMs: 9 },
};

/** A page of 20 movie hits with their highlighted copies and the facet counts, as Meilisearch
 * answers the request above (about 9 KB of JSON: what a dashboard's fetch wrapper observes). */
export function page() {
  const hits = Array.from({ length: 20 }, (_, i) => {
    const movie = {
      id: 11 + i, title: `Star Wars: Episode ${i + 1}`, year: 1977 + i, genre: ['scifi', 'adventure'],
      overview: 'Princess Leia is captured and held hostage by the evil Imperial forces in their effort to take over the galactic Empire.',
      poster: `https://image.tmdb.org/t/p/w500/${i}.jpg`,
    };
    return { ...movie, _formatted: { ...movie, title: movie.title.replace('Star Wars', '<em>Star Wars</em>') } };
  });
  return {
    hits, query: 'star wars', processingTimeMs: 3, limit: 20, offset: 0, estimatedTotalHits: 42,
    facetDistribution: { genre: { scifi: 42, adventure: 30 }, year: { 1977: 1, 1980: 1, 1983: 1 } }, facetStats: { year: { min: 1977, max: 2019 } },
  };
}

export const PROPERTIES = {
  terms: 2, filtered: true, facets: 2, limit: 20, offset: 0, highlight: true, processing_time_ms: 3, succeeded: true,
};
