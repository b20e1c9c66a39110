// Saving files the API streams (CSV/XLSX exports). The request goes through the typed client,
// so it carries the Bearer token and survives an access-token refresh like any other call.

/**
 * The file name from a Content-Disposition header: `filename*` (RFC 5987, UTF-8) first,
 * then `filename`; `fallback` when there is none.
 */
export function filenameFromDisposition(header: string | null | undefined, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (star) {
    const value = star[1].trim().replace(/^"(.*)"$/, '$1');
    const encoded = value.replace(/^[\w-]+'[^']*'/, ''); // drop "UTF-8''" (charset'lang')
    try {
      const decoded = decodeURIComponent(encoded);
      if (decoded) return sanitize(decoded, fallback);
    } catch {
      /* malformed percent-encoding: try the plain parameter */
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (plain) {
    const value = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1].trim();
    if (value) return sanitize(value, fallback);
  }
  return fallback;
}

/** A file the API answered, with the name to save it under. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** No directories in a suggested name. */
function sanitize(name: string, fallback: string): string {
  const base = name.split(/[/\\]/).pop()?.trim();
  return base || fallback;
}

/** Makes the browser save `blob` as `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // give the browser time to start the download before releasing the blob
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
