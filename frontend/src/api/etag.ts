/** The If-Match value for a record read with `version`: the API's ETag is `"<version>"`. */
export function ifMatch(version: number): string {
  return `"${version}"`;
}
