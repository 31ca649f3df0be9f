/**
 * Bulletin benchmark (issue #5 §10): model, HTML, PDF, XLSX and total for the seed catalog
 * and a scaled one (300 indicators, 60 departments), cold (browser launch) and warm, with
 * pages and bytes; in the same run the floor: Chromium printing the same finished HTML with
 * no data work (no model, no view, no glyph check, no metadata).
 *
 *   npm run bench:bulletin            # both catalogs
 *   npm run bench:bulletin -- --seed  # seed only
 */
import { existsSync } from 'node:fs';
import { renderBulletinWorkbook } from '../functions/adapters/excel-bulletin.ts';
import { createBrowserSession } from '../functions/adapters/pdf/browser-session.ts';
import { buildBulletinView } from '../functions/adapters/pdf/bulletin-view.ts';
import { createHtmlRenderer } from '../functions/adapters/pdf/html-renderer.ts';
import { createPdfRenderer, printHtml } from '../functions/adapters/pdf/pdf-renderer.ts';
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
  pages: number;
  pdfBytes: number;
  xlsxBytes: number;
}

async function run(
  name: string,
  catalog: Catalog,
  warmRuns: number,
  targets: { warm?: number; cold?: number; total?: number },
) {
  const session = createBrowserSession();
  const renderer = createPdfRenderer({ session });
  const htmlRenderer = createHtmlRenderer();
  const extracted = existsSync('/tmp/chromium');
  const runs: RunFigures[] = [];
  for (let i = 0; i <= warmRuns; i++) {
    const [model, tModel] = await time(() => buildModel(catalog));
    const [, tHtml] = await time(() => htmlRenderer.render(buildBulletinView(model)));
    const [pdf, tPdf] = await time(() => renderer.renderBulletin(model));
    const [xlsx, tXlsx] = await time(() => renderBulletinWorkbook(model));
    runs.push({
      model: tModel,
      html: tHtml,
      pdf: tPdf,
      xlsx: tXlsx,
      total: tModel + tPdf + tXlsx,
      pages: pdf.pages,
      pdfBytes: pdf.pdf.byteLength,
      xlsxBytes: xlsx.byteLength,
    });
  }
  // Department slices of the last model, as a run archives them.
  const model = buildModel(catalog);
  const [, tDepts] = await time(async () => {
    for (const d of model.departments) await renderer.renderDepartment(model, d.id);
  });
  // Floor: the same finished HTML, printed with nothing else.
  const finished = htmlRenderer.render(buildBulletinView(model));
  const floors: number[] = [];
  for (let i = 0; i < Math.max(2, warmRuns); i++) {
    const [, t] = await time(() =>
      printHtml(session, finished, { verifyGlyphs: false, timeoutMs: 120_000, documentName: 'floor' }),
    );
    floors.push(t);
  }
  await session.close();

  const [cold, ...warm] = runs;
  if (cold === undefined) throw new Error('no runs');
  const w = (k: keyof RunFigures) => median(warm.map((r) => r[k]));
  const floor = median(floors);
  console.log(
    `\n## ${name}: ${catalog.indicators.length} indicators, ${catalog.departments.length} departments`,
  );
  console.log(`chromium already extracted to /tmp before this run: ${extracted}`);
  console.table({
    cold: {
      model: ms(cold.model),
      html: ms(cold.html),
      'pdf (incl. html, checks, metadata)': ms(cold.pdf),
      xlsx: ms(cold.xlsx),
      total: ms(cold.total),
    },
    [`warm (median of ${warm.length})`]: {
      model: ms(w('model')),
      html: ms(w('html')),
      'pdf (incl. html, checks, metadata)': ms(w('pdf')),
      xlsx: ms(w('xlsx')),
      total: ms(w('total')),
    },
  });
  console.log(
    `pages ${cold.pages}, bulletin.pdf ${cold.pdfBytes} bytes, bulletin.xlsx ${cold.xlsxBytes} bytes`,
  );
  console.log(
    `department PDFs: ${model.departments.length} in ${ms(tDepts)} (${ms(tDepts / model.departments.length)} each)`,
  );
  console.log(`floor (Chromium printing the same finished HTML, median of ${floors.length}): ${ms(floor)}`);
  console.log(
    `warm total / floor = ${(w('total') / floor).toFixed(2)}×  (target ≤ ${targets.total ?? '—'}×)`,
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
