#!/usr/bin/env node
// Regenerates the typed API schema from openapi.json into a temporary file and
// fails (exit 1) when it differs from the committed src/api/schema.d.ts.
// Usage: npm run check:client
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = join(root, 'openapi.json');
const committed = join(root, 'src', 'api', 'schema.d.ts');
const cli = join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

for (const [label, file] of [['OpenAPI document', spec], ['committed client', committed], ['openapi-typescript', cli]]) {
  if (!existsSync(file)) {
    console.error(`check:client: missing ${label}: ${file}`);
    process.exit(2);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ocop-client-'));
const out = join(dir, 'schema.d.ts');
try {
  const res = spawnSync(process.execPath, [cli, spec, '-o', out], { cwd: root, encoding: 'utf8' });
  if (res.status !== 0) {
    process.stderr.write(res.stdout ?? '');
    process.stderr.write(res.stderr ?? '');
    console.error('check:client: openapi-typescript failed');
    process.exit(2);
  }
  const norm = (s) => s.replace(/\r\n/g, '\n');
  const expected = norm(readFileSync(out, 'utf8'));
  const actual = norm(readFileSync(committed, 'utf8'));
  if (expected !== actual) {
    const a = actual.split('\n');
    const e = expected.split('\n');
    let i = 0;
    while (i < a.length && i < e.length && a[i] === e[i]) i++;
    console.error('check:client: src/api/schema.d.ts is out of date with openapi.json.');
    console.error(`  first difference at line ${i + 1}:`);
    console.error(`  committed:   ${a[i] ?? '<end of file>'}`);
    console.error(`  regenerated: ${e[i] ?? '<end of file>'}`);
    console.error('  Run `npm run gen:client` and commit the result.');
    process.exit(1);
  }
  console.log('check:client: src/api/schema.d.ts is up to date.');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
