/**
 * Ingest benchmarks (`npm run bench:ingest`). Prints figures and same-run baselines; asserts
 * nothing about time. Memory figures come from child processes so each starts clean.
 *
 *  (a) a 35-row department file through the whole local path (S3 put → event → handler →
 *      receipt), p50/p95 over 100 files;
 *  (b) a 50,000-row stress sheet read and validated, against the floor (fflate unzip +
 *      saxes scan of the same sheet XML) and exceljs' full reader;
 *  (c) a 400 MB zip bomb refused (honest directory, and one that understates the size);
 *  (d) 200 uploads from 20 departments at once: uploads/s and receipts written;
 *  (e) a 1,000,000-row sheet refused: from its <dimension> as Excel writes it, and by the row
 *      counter when the sheet carries no <dimension>.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { readWorkbook } from '../functions/adapters/workbook/workbook-reader.ts';
import { type Catalog, catalogSchema } from '../functions/core/catalog/catalog-schema.ts';
import { templateId } from '../functions/core/ingest/template-contract.ts';
import { validateUpload } from '../functions/core/ingest/validate-upload.ts';

// exceljs, the AWS SDK, the stand-ins and the handler are imported where they are used, so a
// measuring child loads only what its one operation needs and its RSS is that operation's.

const MB = 1024 * 1024;
const STRESS_ROWS = 50_000;
const HUGE_ROWS = 1_000_000;
const BOMB_BYTES = 400 * MB;

function indicator(code: string, dept: string) {
  return {
    code,
    name: `指标 ${code}`,
    section: '经济结构',
    dept,
    source: 'bench',
    targetBasis: 'assumed',
    kind: 'cumulative',
    unit: '亿元',
    direction: 'higher',
    target: 1000,
    reportedResult: 1000,
  };
}

/** d00 reports `rowsForD00` indicators; d01… (21 departments unless told) report 10 each. */
export function benchCatalog(rowsForD00: number, departments = 21): Catalog {
  const depts = Array.from({ length: departments }, (_, i) => `d${String(i).padStart(2, '0')}`);
  return catalogSchema.parse({
    year: 2023,
    district: '基准区',
    title: 'bench',
    sourceDocument: 'bench',
    departments: depts.map((id) => ({ id, name: `单位${id}`, shortName: id })),
    indicators: depts.flatMap((d, i) =>
      Array.from({ length: i === 0 ? rowsForD00 : 10 }, (_, n) =>
        indicator(`B${d.toUpperCase()}-${String(n).padStart(5, '0')}`, d),
      ),
    ),
  });
}

/** Runs per measured operation; the floor and ours alternate so both see the same machine load. */
const RUNS = 5;

/** Fills the template's empty 本期值 cells by editing the sheet XML (fast, byte-faithful otherwise). */
function fillTemplate(template: Uint8Array, value: (row: number) => number): Uint8Array {
  const files = unzipSync(template);
  const sheet = new TextDecoder().decode(files['xl/worksheets/sheet1.xml']);
  files['xl/worksheets/sheet1.xml'] = strToU8(
    sheet.replace(
      /<c r="E(\d+)" s="(\d+)"\/>/g,
      (_, r: string, s: string) => `<c r="E${r}" s="${s}"><v>${value(Number(r))}</v></c>`,
    ),
  );
  return zipSync(files);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;

/**
 * The 50,000-row sheet as Excel writes it (shared strings), with a matching _meta. `rows`
 * makes it longer than the catalog (the rows past it repeat the last code); `dimension`
 * writes the <dimension> element Excel puts at the top of every sheet.
 */
export function stressWorkbook(
  catalog: Catalog,
  options: { readonly rows?: number; readonly dimension?: boolean } = {},
): Uint8Array {
  const own = catalog.indicators.filter((i) => i.dept === 'd00').map((i) => i.code);
  const rowCount = options.rows ?? own.length;
  const codes = Array.from({ length: rowCount }, (_, i) => own[Math.min(i, own.length - 1)] as string);
  const strings: string[] = ['指标编码', '指标名称', '计量单位', '年度目标', '本期值', '情况说明', '亿元'];
  const rows: string[] = [
    `<row r="1">${[0, 1, 2, 3, 4, 5].map((s, c) => `<c r="${'ABCDEF'[c]}1" t="s"><v>${s}</v></c>`).join('')}</row>`,
  ];
  const stringOf = new Map<string, number>();
  codes.forEach((code, i) => {
    const r = i + 2;
    const at = stringOf.get(code) ?? strings.length;
    if (at === strings.length) {
      stringOf.set(code, at);
      strings.push(code, `指标 ${code}`);
    }
    // Rows past the catalog's are the lean rows of a sheet someone filled down: code and value.
    rows.push(
      i < own.length
        ? `<row r="${r}"><c r="A${r}" t="s"><v>${at}</v></c><c r="B${r}" t="s"><v>${at + 1}</v></c><c r="C${r}" t="s"><v>6</v></c><c r="D${r}"><v>1000</v></c><c r="E${r}"><v>${(i % 900) + 100.5}</v></c><c r="F${r}"/></row>`
        : `<row r="${r}"><c r="A${r}" t="s"><v>${at}</v></c><c r="E${r}"><v>${(i % 900) + 100.5}</v></c></row>`,
    );
  });
  const meta = [
    ['department', 'd00'],
    ['period', '2023-06'],
    ['catalogYear', '2023'],
    ['catalogVersion', '1'],
    ['templateId', templateId('d00', '2023-06', 2023, own)],
  ]
    .map(
      ([k, v], i) =>
        `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>${k}</t></is></c><c r="B${i + 2}" t="inlineStr"><is><t>${v}</t></is></c></row>`,
    )
    .join('');
  const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  return zipSync(
    {
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
      ),
      '_rels/.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
      'xl/workbook.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><workbook ${ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="填报" sheetId="1" r:id="rId1"/><sheet name="_meta" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
      ),
      'xl/sharedStrings.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><sst ${ns} count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}</sst>`,
      ),
      'xl/worksheets/sheet1.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><worksheet ${ns}>${options.dimension ? `<dimension ref="A1:F${rowCount + 1}"/>` : ''}<sheetData>${rows.join('')}</sheetData></worksheet>`,
      ),
      'xl/worksheets/sheet2.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><worksheet ${ns}><sheetData>${meta}</sheetData></worksheet>`,
      ),
    },
    { level: 6 },
  );
}

// ---------------------------------------------------------------------------------------
// Child-process measurements: one operation on one file, reporting time and memory.

type ChildMode = 'floor' | 'ours' | 'exceljs' | 'bomb' | 'inflate';

async function child(mode: ChildMode, file: string): Promise<void> {
  const bytes = new Uint8Array(await readFile(file));
  const catalog = mode === 'ours' ? benchCatalog(STRESS_ROWS) : undefined;
  globalThis.gc?.();
  const baseRss = process.memoryUsage().rss;
  const t0 = performance.now();
  let outcome = '';
  if (mode === 'floor') {
    const files = unzipSync(bytes, { filter: (f) => f.name === 'xl/worksheets/sheet1.xml' });
    const parser = new SaxesParser({ xmlns: false, position: false });
    let tags = 0;
    parser.on('opentag', () => {
      tags++;
    });
    parser.write(new TextDecoder().decode(files['xl/worksheets/sheet1.xml'])).close();
    outcome = `${tags} tags`;
  } else if (mode === 'ours' && catalog) {
    const result = validateUpload(readWorkbook(bytes), {
      catalog,
      catalogVersion: 1,
      key: { dept: 'd00', period: '2023-06' },
    });
    outcome = `${result.values.length} values, ${result.problems.length} problems`;
  } else if (mode === 'inflate') {
    const files = unzipSync(bytes, { filter: (f) => f.name === 'xl/worksheets/sheet1.xml' });
    outcome = `${mb(files['xl/worksheets/sheet1.xml']?.length ?? 0)} of sheet XML`;
  } else if (mode === 'exceljs') {
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    outcome = `${wb.getWorksheet('填报')?.actualRowCount} rows`;
  } else {
    try {
      readWorkbook(bytes);
      outcome = 'NOT REFUSED';
    } catch (error) {
      outcome = (error as { problem?: { code: string } }).problem?.code ?? String(error);
    }
  }
  const elapsed = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024;
  const rss = process.memoryUsage().rss;
  process.stdout.write(
    JSON.stringify({ elapsed, baseRss, peak, growth: Math.max(rss, peak) - baseRss, outcome }),
  );
}

interface ChildResult {
  elapsed: number;
  baseRss: number;
  peak: number;
  growth: number;
  outcome: string;
}

function runChild(mode: ChildMode, file: string): ChildResult {
  // --expose-gc: the child collects before taking its baseline RSS.
  const out = spawnSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', import.meta.filename, '--child', mode, file],
    {
      encoding: 'utf8',
      maxBuffer: 16 * MB,
    },
  );
  if (out.status !== 0) throw new Error(`bench child ${mode} failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as ChildResult;
}

function median(results: ChildResult[]): ChildResult {
  return results.sort((a, b) => a.elapsed - b.elapsed)[Math.floor(results.length / 2)] as ChildResult;
}

function bestOf(mode: ChildMode, file: string, runs: number): ChildResult {
  return median(Array.from({ length: runs }, () => runChild(mode, file)));
}

/** Medians of measurements run in turn (a, b, a, b …), so a burst of load on the machine hits each. */
function interleaved(jobs: readonly (readonly [ChildMode, string])[], runs: number): ChildResult[] {
  const results = jobs.map((): ChildResult[] => []);
  for (let r = 0; r < runs; r++) {
    jobs.forEach(([mode, file], j) => {
      results[j]?.push(runChild(mode, file));
    });
  }
  return results.map(median);
}

/** (e) A million rows, refused. */
async function hugeSheet(work: string, catalog: Catalog): Promise<void> {
  // A million rows: refused from <dimension> (as Excel, LibreOffice and openpyxl write
  // it) before the sheet is inflated, and by the row counter when <dimension> is absent.
  const hugeFiles = { dimension: path.join(work, 'huge.xlsx'), counter: path.join(work, 'huge-plain.xlsx') };
  let hugeSize = 0;
  for (const [variant, file] of Object.entries(hugeFiles)) {
    const bytes = stressWorkbook(catalog, { rows: HUGE_ROWS, dimension: variant === 'dimension' });
    hugeSize = bytes.length;
    await writeFile(file, bytes);
  }
  const [byDimension, byCounter, inflate] = interleaved(
    [
      ['bomb', hugeFiles.dimension],
      ['bomb', hugeFiles.counter],
      ['inflate', hugeFiles.dimension],
    ],
    3,
  ) as [ChildResult, ChildResult, ChildResult];
  process.stdout.write(
    `(e) ${HUGE_ROWS.toLocaleString('en')}-row sheet (${(hugeSize / MB).toFixed(1)} MB file), median of 3 fresh processes each\n` +
      `    with <dimension>   : refused in ${ms(byDimension.elapsed)}, peak RSS ${mb(byDimension.peak)} (${byDimension.outcome})\n` +
      `    without <dimension>: refused in ${ms(byCounter.elapsed)}, peak RSS ${mb(byCounter.peak)} (${byCounter.outcome})\n` +
      `    baseline: fflate inflating the sheet alone: ${ms(inflate.elapsed)}, peak RSS ${mb(inflate.peak)} (${inflate.outcome})\n` +
      `    targets ≤ 1 s and ≤ 200 MB peak RSS (process baseline before reading: ${mb(byDimension.baseRss)})\n\n`,
  );
}

// ---------------------------------------------------------------------------------------

/** `--only b` runs just the stress measurement (b), `--only e` just (e), e.g. to repeat it. */
async function main(only: string | undefined): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'duban-bench-ingest-'));
  const saved = { ...process.env };
  try {
    process.stdout.write(`duban ingest benchmark — node ${process.version}, ${new Date().toISOString()}\n\n`);

    // (b), (c) and (e) first, in children, before this process holds stand-ins and files.
    const stressCatalog = benchCatalog(STRESS_ROWS);
    if (only === 'e') return await hugeSheet(work, stressCatalog);
    const stressFile = path.join(work, 'stress.xlsx');
    const stress = stressWorkbook(stressCatalog);
    await writeFile(stressFile, stress);
    const [floor, ours] = interleaved(
      [
        ['floor', stressFile],
        ['ours', stressFile],
      ],
      RUNS,
    ) as [ChildResult, ChildResult];
    const excel = bestOf('exceljs', stressFile, 1);
    process.stdout.write(
      `(b) ${STRESS_ROWS.toLocaleString('en')}-row sheet (${(stress.length / MB).toFixed(1)} MB file), median of ${RUNS} fresh processes each, run alternately (exceljs: 1 run)\n` +
        `    floor  fflate unzip + saxes scan : ${ms(floor.elapsed)}  peak RSS ${mb(floor.peak)}  (${floor.outcome})\n` +
        `    duban  guard + read + validate   : ${ms(ours.elapsed)}  peak RSS ${mb(ours.peak)}  (${ours.outcome})\n` +
        `    exceljs full reader (baseline)   : ${ms(excel.elapsed)}  peak RSS ${mb(excel.peak)}  (${excel.outcome})\n` +
        `    duban / floor = ${(ours.elapsed / floor.elapsed).toFixed(2)}× (target ≤ 1.5×); peak RSS target ≤ 250 MB ` +
        `(process baseline before reading: floor ${mb(floor.baseRss)}, duban ${mb(ours.baseRss)})\n\n`,
    );
    if (only === 'b') return;

    const { buildTemplate } = await import('../functions/adapters/workbook/template-writer.ts');
    const { withDeflatedEntry, zerosDeflated } = await import('../test/fixtures/bad-uploads.ts');

    const smallTemplate = await buildTemplate({
      catalog: benchCatalog(35),
      catalogVersion: 1,
      dept: 'd00',
      period: '2023-06',
      now: new Date(),
    });
    const filledSmall = fillTemplate(smallTemplate, () => 1);
    const bombData = zerosDeflated(BOMB_BYTES);
    const honestBomb = withDeflatedEntry(filledSmall, 'xl/media/bomb.bin', bombData, BOMB_BYTES);
    // The bomb posing as the data sheet, its directory claiming 4 KB: only streaming with a cap stops it.
    const withoutSheet = zipSync(
      Object.fromEntries(
        Object.entries(unzipSync(filledSmall)).filter(([n]) => n !== 'xl/worksheets/sheet1.xml'),
      ),
    );
    const lyingBomb = withDeflatedEntry(withoutSheet, 'xl/worksheets/sheet1.xml', bombData, 4096);
    const honestFile = path.join(work, 'bomb.xlsx');
    const lyingFile = path.join(work, 'bomb-lying.xlsx');
    await writeFile(honestFile, honestBomb);
    await writeFile(lyingFile, lyingBomb);
    const honest = bestOf('bomb', honestFile, 3);
    const lying = bestOf('bomb', lyingFile, 3);
    process.stdout.write(
      `(c) zip bomb: ${(honestBomb.length / 1024).toFixed(0)} KB file inflating to ${mb(BOMB_BYTES)}\n` +
        `    directory tells the truth : refused in ${ms(honest.elapsed)}, RSS growth ${mb(honest.growth)} (${honest.outcome})\n` +
        `    directory understates size: refused in ${ms(lying.elapsed)}, RSS growth ${mb(lying.growth)} (${lying.outcome})\n` +
        '    targets ≤ 100 ms and ≤ 20 MB RSS growth (exceljs full read of such a file: ~10 s, 1.4 GB, measured when the reader was chosen)\n\n',
    );
    await hugeSheet(work, stressCatalog);

    // The local path: stand-ins in this process, the real handler on object-created events.
    const { resetClients } = await import('../functions/adapters/aws-clients.ts');
    const { createStores } = await import('../functions/adapters/dynamo-stores.ts');
    const { createObjectStore } = await import('../functions/adapters/s3-object-store.ts');
    const { formatPeriod } = await import('../functions/core/submission.ts');
    const { handler } = await import('../functions/ingest/handler.ts');
    const { startLocalAws } = await import('../lib/local/local-aws.ts');
    const { keys } = await import('../functions/shared/storage-keys.ts');
    const local = await startLocalAws({ dataDir: path.join(work, 'data'), onObjectCreated: handler });
    Object.assign(process.env, local.env);
    resetClients();
    try {
      const catalog = benchCatalog(35);
      await createStores().catalogs.put(catalog, new Date());
      const objects = createObjectStore();
      const bucket = local.names.uploadsBucket;

      // (a) 100 files of 35 rows, one after another, over the twelve months of 2023: a month's
      // later files are corrections (a new version with a diff), as when a department re-submits.
      const templates = await Promise.all(
        Array.from({ length: 12 }, (_, m) =>
          buildTemplate({
            catalog,
            catalogVersion: 1,
            dept: 'd00',
            period: formatPeriod(2023, m + 1),
            now: new Date(),
          }),
        ),
      );
      const latencies: number[] = [];
      for (let i = 0; i < 100; i++) {
        const month = i % 12;
        const bytes = fillTemplate(templates[month] as Uint8Array, (row) => 100 * (month + 1) + row + i);
        const t0 = performance.now();
        await objects.put(
          bucket,
          keys.incoming({ dept: 'd00', period: formatPeriod(2023, month + 1), file: `file-${i}.xlsx` }),
          bytes,
        );
        await local.uploads?.drain();
        latencies.push(performance.now() - t0);
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      const stored = await Promise.all(
        Array.from({ length: 12 }, (_, m) =>
          createStores().submissions.versions('d00', formatPeriod(2023, m + 1)),
        ),
      );
      const versions = stored.flat();
      process.stdout.write(
        '(a) 35-row file through the local path (put → event → handler → receipt), 100 files\n' +
          `    p50 ${ms(percentile(sorted, 50))}  p95 ${ms(percentile(sorted, 95))}  max ${ms(sorted.at(-1) ?? 0)}  ` +
          `(targets ≤ 100 ms / ≤ 250 ms); ${versions.length} versions stored\n\n`,
      );

      // (d) 200 uploads from 20 departments at once (10 months each).
      const uploads: { key: string; bytes: Uint8Array }[] = [];
      for (let d = 1; d <= 20; d++) {
        const dept = `d${String(d).padStart(2, '0')}`;
        for (let m = 1; m <= 10; m++) {
          const period = formatPeriod(2023, m);
          const template = await buildTemplate({ catalog, catalogVersion: 1, dept, period, now: new Date() });
          uploads.push({
            key: keys.incoming({ dept, period, file: `${dept}-${period}.xlsx` }),
            bytes: fillTemplate(template, (row) => 10 * m + row),
          });
        }
      }
      const t0 = performance.now();
      // Fifty connections at a time, like fifty browsers uploading.
      const queue = [...uploads];
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          for (let u = queue.shift(); u; u = queue.shift()) await objects.put(bucket, u.key, u.bytes);
        }),
      );
      await local.uploads?.drain();
      const elapsed = performance.now() - t0;
      const receipts = (await objects.list(bucket, 'receipts/')).filter(
        (o) => o.key.endsWith('.receipt.json') && !o.key.includes('/d00/'),
      );
      process.stdout.write(
        '(d) 200 uploads from 20 departments at once\n' +
          `    ${(uploads.length / (elapsed / 1000)).toFixed(1)} uploads/s (${ms(elapsed)} for all; target ≥ 50/s); ` +
          `${receipts.length}/200 receipts written; dead letters: ${local.uploads?.deadLetters.length ?? 0}\n`,
      );
    } finally {
      await local.stop();
    }
  } finally {
    process.env = saved;
    if (only !== 'b') (await import('../functions/adapters/aws-clients.ts')).resetClients();
    await rm(work, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
if (process.argv[1] !== import.meta.filename) {
  // Imported (e.g. by a profiling script): run nothing.
} else if (at >= 0) {
  await child(process.argv[at + 1] as ChildMode, process.argv[at + 2] ?? '');
} else {
  const onlyAt = process.argv.indexOf('--only');
  await main(onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined);
}
