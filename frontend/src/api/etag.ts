/** The If-Match value for a record read with `version`: the API's ETag is `"<version>"`. */
export function ifMatch(version: number): string {
  return `"${version}"`;
}

/**
 * The If-Match header for an openapi-fetch call, both as the typed `params.header` (the operations
 * declare it) and as a plain header (what is actually sent).
 */
export function ifMatchHeaders(version: number) {
  const etag = ifMatch(version);
  return { header: { 'If-Match': etag }, headers: { 'If-Match': etag } };
}
