// node tools/publish-front.mjs BUILT_DIR SITE_DIR dev|release
//
// Publishes the hydrate bundle (BUILT_DIR/portico.js, portico.wasm, portico.css) into
// SITE_DIR/pkg under one name that changes with their content, `portico-<16 hex>`, so the
// files can be cached for a year (see portico_app::web::is_content_addressed); writes that
// name to SITE_DIR/bundle-name, where the server reads it at start and `make edge-build`
// compiles it into the Worker. Each file also gets a brotli (.br) and a gzip (.gz) copy for
// the server to send as they are; release builds are compressed hardest. Older bundles are
// removed. Prints the sizes a browser downloads.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const [built, site, mode] = process.argv.slice(2);
if (!built || !site || !['dev', 'release'].includes(mode)) {
  console.error('usage: node tools/publish-front.mjs BUILT_DIR SITE_DIR dev|release');
  process.exit(2);
}
const release = mode === 'release';
const kinds = ['js', 'wasm', 'css'];
const files = Object.fromEntries(kinds.map((kind) => [kind, readFileSync(join(built, `portico.${kind}`))]));

const hash = createHash('sha256');
for (const kind of kinds) hash.update(kind).update(String(files[kind].length)).update(files[kind]);
const name = `portico-${hash.digest('hex').slice(0, 16)}`;

const pkg = join(site, 'pkg');
mkdirSync(pkg, { recursive: true });
for (const old of readdirSync(pkg)) {
  if (/^portico(-[0-9a-f]{16})?\.(js|wasm|css)(\.br|\.gz)?$/.test(old)) rmSync(join(pkg, old));
}
const sizes = {};
for (const kind of kinds) {
  const raw = files[kind];
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: release ? constants.BROTLI_MAX_QUALITY : 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = gzipSync(raw, { level: release ? 9 : 6 });
  const path = join(pkg, `${name}.${kind}`);
  writeFileSync(path, raw);
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gz);
  sizes[kind] = { raw: raw.length, br: br.length, gz: gz.length };
}
writeFileSync(join(site, 'bundle-name'), `${name}\n`);

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
for (const kind of kinds) {
  const { raw, br, gz } = sizes[kind];
  console.log(`${name}.${kind}: ${kb(raw)}, brotli ${kb(br)}, gzip ${kb(gz)}`);
}
if (release) {
  // The budget (issue 10): what a phone downloads before the page can hydrate.
  const bundle = sizes.js.br + sizes.wasm.br;
  const verdict = bundle <= 200_000 ? 'within' : 'OVER';
  console.log(`hydrate bundle (JS + WASM), brotli: ${kb(bundle)}, ${verdict} the 200 kB budget`);
}
