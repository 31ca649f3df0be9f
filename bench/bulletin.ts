/**
 * Bulletin benchmark (issue #5 §10): model, HTML, PDF, XLSX and total for the seed catalog
 * and a scaled one (300 indicators, 60 departments), cold (browser launch) and warm, with
 * pages and bytes; in the same run the floor: Chromium printing the same finished HTML with
 * no data work (no model, no view, no glyph check, no metadata), both on a fresh page from the
 * whole HTML and on a new warm page as the renderer shows it. Each month also renders every
 * department's slice, as the bulletin run archives them: "bulletin + all dept PDFs" is what a
 * month costs the demo.
 *
 *   npm run bench:bulletin            # both catalogs
 *   npm run bench:bulletin -- --seed  # seed only
 */
import { existsSync } from 'node:fs';
import { renderBulletinWorkbook } from '../functions/adapters/excel-bulletin.ts';
import { type BrowserSession, createBrowserSession } from '../functions/adapters/pdf/browser-session.ts';
import { buildBulletinView } from '../functions/adapters/pdf/bulletin-view.ts';
import { ChartRenderer } from '../functions/adapters/pdf/chart-svg.ts';
import { createHtmlRenderer } from '../functions/adapters/pdf/html-renderer.ts';
import { createPdfRenderer, PAGE_MARGIN, printHtml } from '../functions/adapters/pdf/pdf-renderer.ts';
import { WarmPage } from '../functions/adapters/pdf/warm-page.ts';
import { buildBulletinModel } from '../functions/core/bulletin/bulletin-builder.ts';
import type { BulletinModel } from '../functions/core/bulletin/bulletin-model.ts';
import { submissionVersionsByPeriod } from '../functions/core/bulletin/inputs-hash.ts';
import type { Catalog, Indicator } from '../functions/core/catalog/catalog-schema.ts';
import {
  seedCatalog,
  seedCatalogVersion,
  seedCorrection,
  seedSubmissions,
} from '../test/fixtures/bulletin/seed-inputs.ts';

const PERIOD = '2023-06';
const MONTH = 6;

/** The seed catalog stretched to `indicators` over `departments` (copies get new codes). */
function scaledCatalog(base: Catalog, indicators: number, departments: number): Catalog {
  const extra = Array.from({ length: departments - base.departments.length }, (_, i) => ({
    id: `dx${String(i + 1).padStart(2, '0')}`,
    name: `区属责任单位${i + 1}号`,
    shortName: `单位${i + 1}`,
    emails: [],
  }));
  const depts = [...base.departments, ...extra];
  const out: Indicator[] = [];
  for (let n = 0; out.length < indicators; n++) {
    const src = base.indicators[n % base.indicators.length];
    if (src === undefined) break;
    const round = Math.floor(n / base.indicators.length);
    const dept = depts[n % depts.length]?.id ?? src.dept;
    out.push(
      round === 0 ? src : { ...src, code: `${src.code}-S${round}`, name: `${src.name}（${round}）`, dept },
    );
  }
  return { ...base, departments: depts, indicators: out };
}

function buildModel(catalog: Catalog): BulletinModel {
  const v1 = seedSubmissions(catalog, MONTH);
  const correction = seedCorrection(catalog, v1);
  return buildBulletinModel({
    catalog: seedCatalogVersion(catalog),
    period: PERIOD,
    version: 2,
    now: new Date('2023-07-05T00:00:00.000Z'),
    generatorVersion: 'duban bench',
    submissions: [...v1, correction],
    previous: { version: 1, submissionVersions: submissionVersionsByPeriod(v1) },
  });
}

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (x: number) => `${Math.round(x)} ms`;

interface RunFigures {
  model: number;
  html: number;
  pdf: number;
  xlsx: number;
  total: number;
  /** The bulletin's department slices, asked for one after another as a run archives them. */
  depts: number;
  /** What a month costs a run: model, bulletin PDF, every department PDF, XLSX. */
  month: number;
  pages: number;
  pdfBytes: number;
  xlsxBytes: number;
}

/**
 * One month as the bulletin run does it, with a renderer of its own (no chart or font state
 * from an earlier document): the first run launches the browser (cold), later runs share it.
 */
async function runMonth(
  session: BrowserSession,
  catalog: Catalog,
  concurrency?: number,
): Promise<RunFigures> {
  const renderer = createPdfRenderer({ session, concurrency });
  try {
    const [model, tModel] = await time(() => buildModel(catalog));
    const [, tHtml] = await time(() =>
      createHtmlRenderer().render(buildBulletinView(model, undefined, new ChartRenderer())),
    );
    const [pdf, tPdf] = await time(() => renderer.renderBulletin(model));
    const [, tDepts] = await time(async () => {
      // As the bulletin run asks for them: in turn, or `concurrency` at a time.
      const queue = model.departments.map((d) => d.id);
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift())
          await renderer.renderDepartment(model, id);
      };
      await Promise.all(Array.from({ length: concurrency ?? 1 }, worker));
    });
    const [xlsx, tXlsx] = await time(() => renderBulletinWorkbook(model));
    return {
      model: tModel,
      html: tHtml,
      pdf: tPdf,
      xlsx: tXlsx,
      total: tModel + tPdf + tXlsx,
      depts: tDepts,
      month: tModel + tPdf + tDepts + tXlsx,
      pages: pdf.pages,
      pdfBytes: pdf.pdf.byteLength,
      xlsxBytes: xlsx.byteLength,
    };
  } finally {
    await renderer.close();
  }
}

async function run(
  name: string,
  catalog: Catalog,
  warmRuns: number,
  targets: { warm?: number; cold?: number; total?: number },
) {
  const session = createBrowserSession();
  const extracted = existsSync('/tmp/chromium');
  const runs: RunFigures[] = [];
  for (let i = 0; i <= warmRuns; i++) runs.push(await runMonth(session, catalog));
  // The same month on two pages, department slices two at a time: what concurrency buys.
  const paired = await runMonth(session, catalog, 2);
  // Floor: the same finished HTML, printed on a fresh page with nothing else.
  const model = buildModel(catalog);
  const finished = createHtmlRenderer().render(buildBulletinView(model));
  const floors: number[] = [];
  for (let i = 0; i < Math.max(2, warmRuns); i++) {
    const [, t] = await time(() =>
      printHtml(session, finished, { verifyGlyphs: false, timeoutMs: 120_000, documentName: 'floor' }),
    );
    floors.push(t);
  }
  // The stricter floor for the renderer's own route: the same finished document shown on a
  // new warm page (fonts through the FontFace API) and printed, with no data work or checks.
  const warmFloors: number[] = [];
  for (let i = 0; i < Math.max(2, warmRuns); i++) {
    const [, t] = await time(async () => {
      const page = await WarmPage.open(session, 120_000);
      try {
        await page.load(finished, 120_000);
        return await page.page.pdf({ format: 'A4', printBackground: true, margin: PAGE_MARGIN });
      } finally {
        await page.close();
      }
    });
    warmFloors.push(t);
  }
  await session.close();

  const [cold, ...warm] = runs;
  if (cold === undefined) throw new Error('no runs');
  const w = (k: keyof RunFigures) => median(warm.map((r) => r[k]));
  const floor = median(floors);
  const warmFloor = median(warmFloors);
  const depts = model.departments.length;
  console.log(`\n## ${name}: ${catalog.indicators.length} indicators, ${depts} departments`);
  console.log(`chromium already extracted to /tmp before this run: ${extracted}`);
  const row = (r: (k: keyof RunFigures) => number) => ({
    model: ms(r('model')),
    html: ms(r('html')),
    'pdf (incl. html, checks, metadata)': ms(r('pdf')),
    xlsx: ms(r('xlsx')),
    total: ms(r('total')),
    [`${depts} dept PDFs`]: ms(r('depts')),
    'bulletin + all dept PDFs + xlsx': ms(r('month')),
  });
  console.table({
    cold: row((k) => cold[k]),
    [`warm (median of ${warm.length})`]: row(w),
    'warm, 2 pages, 2 dept PDFs at a time': row((k) => paired[k]),
  });
  console.log(
    `pages ${cold.pages}, bulletin.pdf ${cold.pdfBytes} bytes, bulletin.xlsx ${cold.xlsxBytes} bytes`,
  );
  console.log(
    `department PDFs (warm): ${depts} in ${ms(w('depts'))} (${ms(w('depts') / depts)} each); ` +
      `two at a time on two pages ${ms(paired.depts)}`,
  );
  console.log(
    `per month (bulletin + ${depts} department PDFs + xlsx): cold ${ms(cold.month)}, warm ${ms(w('month'))}`,
  );
  console.log(`floor (Chromium printing the same finished HTML, median of ${floors.length}): ${ms(floor)}`);
  console.log(
    `floor on a new warm page (same document, fonts via FontFace, median of ${warmFloors.length}): ${ms(warmFloor)}`,
  );
  console.log(
    `warm total / floor = ${(w('total') / floor).toFixed(2)}×, / warm-page floor = ${(w('total') / warmFloor).toFixed(2)}×  (target ≤ ${targets.total ?? '—'}×)`,
  );
  if (targets.warm)
    console.log(`target warm ≤ ${targets.warm} ms: ${w('total') <= targets.warm ? 'met' : 'NOT met'}`);
  if (targets.cold)
    console.log(`target cold ≤ ${targets.cold} ms: ${cold.total <= targets.cold ? 'met' : 'NOT met'}`);
}

const seedOnly = process.argv.includes('--seed');
const base = seedCatalog();
await run('seed', base, 3, { warm: 1000, cold: 3500, total: 1.5 });
if (!seedOnly) await run('scaled', scaledCatalog(base, 300, 60), 2, { cold: 8000, total: 1.5 });
