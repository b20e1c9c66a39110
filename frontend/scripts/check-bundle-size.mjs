#!/usr/bin/env node
// The initial JavaScript budget: what a first visit downloads before the page can run, gzip-compressed.
//
// Initial JavaScript = the entry chunk of dist/index.html, every chunk it imports statically (transitively, from
// the Vite manifest dist/.vite/manifest.json) and every <link rel="modulepreload"> of dist/index.html. Chunks
// loaded by import() (the pages, the dashboard's charts, the Word preview, the notification list) are not
// initial: they are fetched when the screen needs them. Fails (exit 1) when the initial JavaScript exceeds the
// budget, or when a library that must stay lazy (charts, Word preview) is found in it.
//
// Also prints, for information, what each lazily loaded page adds on top of the initial JavaScript (what a first
// visit really downloads, screen by screen, is printed by the browser test tests/perf.spec.ts).
//
// Usage: npm run build && npm run check:bundle            (budget 250 kB; 1 kB = 1000 bytes, as Vite prints)
//        node scripts/check-bundle-size.mjs --budget=240 --dist=path/to/dist
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
const dist = resolve(root, arg('dist', 'dist'));
const budgetKb = Number(arg('budget', '250'));
const BUDGET = budgetKb * 1000;

/** Libraries that must only be in lazy chunks, recognised by a string their code always contains. */
const MUST_BE_LAZY = [
  { name: 'recharts (dashboard charts)', marker: 'recharts-surface' },
  { name: 'docx-preview (Word preview)', marker: 'docx-majorHAnsi-font' },
];

const indexHtml = join(dist, 'index.html');
const manifestFile = join(dist, '.vite', 'manifest.json');
for (const [label, file] of [
  ['dist/index.html', indexHtml],
  ['the Vite manifest (build.manifest in vite.config.ts)', manifestFile],
]) {
  if (!existsSync(file)) {
    console.error(`check:bundle: missing ${label}: ${file}\nRun "npm run build" first.`);
    process.exit(2);
  }
}

/** @type {Record<string, {file: string, src?: string, name?: string, isEntry?: boolean, imports?: string[], dynamicImports?: string[]}>} */
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const html = readFileSync(indexHtml, 'utf8');

const sizes = new Map();
function size(file) {
  if (!sizes.has(file)) {
    const body = readFileSync(join(dist, file));
    sizes.set(file, { raw: body.length, gzip: gzipSync(body, { level: 9 }).length, text: body.toString('utf8') });
  }
  return sizes.get(file);
}

/**
 * The files of `keys` and of everything they import statically; with `lazy`, also what they import() in turn,
 * except through the chunks in `lazy` (the initial ones, whose import() are the other pages).
 */
function closure(keys, lazy = null) {
  const files = new Set();
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`check:bundle: ${key} is not in the manifest`);
    files.add(chunk.file);
    for (const k of chunk.imports ?? []) visit(k);
    if (lazy && !lazy.has(chunk.file)) for (const k of chunk.dynamicImports ?? []) visit(k);
  };
  keys.forEach(visit);
  return files;
}

// ---- the initial JavaScript ----------------------------------------------------------------------

const entryKeys = Object.keys(manifest).filter((k) => manifest[k].isEntry);
if (entryKeys.length === 0) {
  console.error('check:bundle: the manifest has no entry chunk');
  process.exit(2);
}
const initial = closure(entryKeys);
const fromHtml = [...html.matchAll(/<script[^>]*type="module"[^>]*src="\/?([^"]+)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/?([^"]+)"/g)].map(
  (m) => m[1],
);
for (const file of fromHtml) initial.add(file);
const notInManifest = fromHtml.filter((f) => !Object.values(manifest).some((c) => c.file === f));
if (notInManifest.length) console.warn(`check:bundle: in index.html but not in the manifest: ${notInManifest.join(', ')}`);

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const pad = (s, n) => String(s).padStart(n);
const entryFiles = new Set(entryKeys.map((k) => manifest[k].file));
const rows = [...initial].map((file) => ({ file, ...size(file) })).sort((a, b) => b.gzip - a.gzip);
const total = rows.reduce((s, r) => ({ raw: s.raw + r.raw, gzip: s.gzip + r.gzip }), { raw: 0, gzip: 0 });

console.log(`Initial JavaScript (entry + static imports + modulepreload of index.html), ${dist}:`);
console.log(`${pad('raw', 10)} ${pad('gzip', 10)}  file`);
for (const r of rows) {
  console.log(`${pad(kb(r.raw), 10)} ${pad(kb(r.gzip), 10)}  ${r.file}${entryFiles.has(r.file) ? '  (entry)' : ''}`);
}
console.log(`${pad(kb(total.raw), 10)} ${pad(kb(total.gzip), 10)}  total of ${rows.length} files; budget ${kb(BUDGET)} gzip`);

const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/?([^"]+)"/g)].map((m) => m[1]);
for (const file of css) console.log(`(for information, not counted: ${file} ${kb(size(file).raw)} raw, ${kb(size(file).gzip)} gzip)`);

// ---- what each lazy page adds (information) ---------------------------------------------------------

const pages = new Set();
for (const key of entryKeys) for (const k of manifest[key].dynamicImports ?? []) pages.add(k);
for (const key of [...initial].flatMap((f) => Object.keys(manifest).filter((k) => manifest[k].file === f))) {
  for (const k of manifest[key].dynamicImports ?? []) pages.add(k);
}
const extra = (files) => [...files].filter((f) => !initial.has(f)).reduce((s, f) => s + size(f).gzip, 0);
const pageRows = [...pages]
  .filter((k) => !initial.has(manifest[k].file))
  .map((k) => ({ key: k, own: extra(closure([k])), withLazy: extra(closure([k], initial)) }))
  .sort((a, b) => b.withLazy - a.withLazy);
console.log('\nLazy chunks reached from the initial ones, gzip added on top of the initial JavaScript:');
console.log(`${pad('on load', 10)} ${pad('+ its lazy', 10)}  chunk`);
for (const r of pageRows) console.log(`${pad(kb(r.own), 10)} ${pad(kb(r.withLazy), 10)}  ${r.key}`);

// ---- verdict ---------------------------------------------------------------------------------------

let failed = false;
for (const lib of MUST_BE_LAZY) {
  const found = rows.filter((r) => r.text.includes(lib.marker)).map((r) => r.file);
  if (found.length) {
    console.error(`check:bundle: ${lib.name} is in the initial JavaScript (${found.join(', ')}): load it with import()`);
    failed = true;
  }
}
if (total.gzip > BUDGET) {
  console.error(`check:bundle: initial JavaScript ${kb(total.gzip)} gzip is over the budget of ${kb(BUDGET)}`);
  failed = true;
}
if (failed) process.exit(1);
console.log(`\ncheck:bundle: initial JavaScript ${kb(total.gzip)} gzip, within the budget of ${kb(BUDGET)}`);
