/**
 * Renders one page of the demo's December bulletin as docs/bulletin-page.png, the picture
 * in the README. The PNG is committed; rerun this after a change to the bulletin's look:
 *
 *   npx duban demo                                  # writes out/2023-12/bulletin-2023-12-v1.pdf
 *   npx tsx scripts/render-docs-picture.ts [--pdf <file>] [--page 2] [--out docs/bulletin-page.png]
 *
 * It rasterises with `pdftoppm` from poppler-utils (on Debian/Ubuntu:
 * `sudo apt-get install poppler-utils`), a system tool rather than an npm package, because
 * every pure-npm PDF rasteriser needs a native canvas binary.
 */
import { spawnSync } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const DEFAULT_OUT = path.join(ROOT, 'docs', 'bulletin-page.png');
const DECEMBER = path.join(ROOT, 'out', '2023-12');
/** The overview page: headline, status chart and the first section's table. */
const DEFAULT_PAGE = 2;
/** Wide enough to read the table, small enough for a README (A4 at 110 dpi ≈ 910 × 1286). */
const DPI = 110;

function fail(message: string): never {
  process.stderr.write(`render-docs-picture: ${message}\n`);
  process.exit(2);
}

/** The newest version of the December bulletin the demo copied out. */
async function demoPdf(): Promise<string> {
  const names = await readdir(DECEMBER).catch(() => [] as string[]);
  const versions = names
    .map((n) => /^bulletin-2023-12-v(\d+)\.pdf$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  const newest = versions[0]?.[0];
  if (!newest)
    fail(`no December bulletin in ${DECEMBER}; run \`npx duban demo\` first (or pass --pdf <file>)`);
  return path.join(DECEMBER, newest);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { pdf: { type: 'string' }, page: { type: 'string' }, out: { type: 'string' } },
  });
  const pdf = values.pdf ? path.resolve(values.pdf) : await demoPdf();
  await access(pdf).catch(() => fail(`cannot read ${pdf}`));
  const page = Number(values.page ?? DEFAULT_PAGE);
  if (!Number.isInteger(page) || page < 1) fail(`--page must be a page number, got "${values.page}"`);
  const out = path.resolve(values.out ?? DEFAULT_OUT);

  const work = await mkdtemp(path.join(tmpdir(), 'duban-picture-'));
  try {
    const prefix = path.join(work, 'page');
    const run = spawnSync(
      'pdftoppm',
      ['-png', '-r', String(DPI), '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix],
      { encoding: 'utf8' },
    );
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
      fail(
        'pdftoppm is not installed; install poppler-utils (e.g. `sudo apt-get install poppler-utils`) and rerun',
      );
    }
    if (run.status !== 0) fail(`pdftoppm failed on page ${page} of ${pdf}: ${run.stderr.trim()}`);
    await mkdir(path.dirname(out), { recursive: true });
    await rename(`${prefix}.png`, out);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  process.stdout.write(`${path.relative(ROOT, out)} ← page ${page} of ${path.relative(ROOT, pdf)}\n`);
}

await main();
