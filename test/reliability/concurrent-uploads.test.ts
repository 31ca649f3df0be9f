import { createHash } from 'node:crypto';
import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { fillWorkbook } from '../../bin/cli/demo/fill-workbook.ts';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { buildTemplate } from '../../functions/adapters/workbook/template-writer.ts';
import { catalogSchema } from '../../functions/core/catalog/catalog-schema.ts';
import type { Receipt } from '../../functions/core/ingest/receipt.ts';
import { handler as ingestHandler } from '../../functions/ingest/handler.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { LOADED_AT, putUpload } from './upload-fixtures.ts';

/**
 * Load against the stand-ins: 20 departments each upload 10 versions of one month at the
 * same moment. Every upload gets a receipt and every one of them is a version: the
 * conditional write on the version number lets no concurrent upload overwrite another.
 */

const DEPARTMENTS = 20;
const UPLOADS_PER_DEPARTMENT = 10;
const PERIOD = '2023-03';

const receipts: Receipt[] = [];
const local = useLocalAws({
  onObjectCreated: async (event: S3Event) => {
    const result = await ingestHandler(event);
    receipts.push(...result.receipts);
    return result;
  },
});

function loadCatalog() {
  const departments = Array.from({ length: DEPARTMENTS }, (_, i) => ({
    id: `dept-${String(i + 1).padStart(2, '0')}`,
    name: `测试单位${i + 1}`,
    shortName: `单位${i + 1}`,
  }));
  return catalogSchema.parse({
    year: 2023,
    district: '测试区',
    title: '并发测试目录',
    sourceDocument: 'reliability test',
    departments,
    indicators: departments.flatMap((d, i) => [
      {
        code: `LOAD-${i + 1}-INVEST`,
        name: `${d.shortName}完成投资`,
        section: '发展动能',
        dept: d.id,
        source: 'test',
        targetBasis: 'assumed',
        kind: 'cumulative',
        unit: '亿元',
        direction: 'higher',
        target: 100,
        reportedResult: 100,
      },
      {
        code: `LOAD-${i + 1}-SHARE`,
        name: `${d.shortName}优良率`,
        section: '城市建设',
        dept: d.id,
        source: 'test',
        targetBasis: 'assumed',
        kind: 'rate',
        unit: '%',
        direction: 'higher',
        target: 60,
        reportedResult: 60,
      },
    ]),
  });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('200 uploads from 20 departments at once', () => {
  it('gives every upload a receipt and keeps every one as a version, in order, with nothing lost', async () => {
    // Prepare
    const stores = createStores();
    const { version } = await stores.catalogs.put(loadCatalog(), LOADED_AT);
    const catalog = version.catalog;
    const files: { dept: string; name: string; bytes: Uint8Array }[] = [];
    for (const [d, dept] of catalog.departments.entries()) {
      const template = await buildTemplate({
        catalog,
        catalogVersion: version.version,
        dept: dept.id,
        period: PERIOD,
        now: LOADED_AT,
      });
      for (let k = 1; k <= UPLOADS_PER_DEPARTMENT; k++) {
        const bytes = await fillWorkbook(template, [
          { code: `LOAD-${d + 1}-INVEST`, value: 20 + k / 10 },
          { code: `LOAD-${d + 1}-SHARE`, value: 50 + k },
        ]);
        files.push({ dept: dept.id, name: `${dept.id}-${k}.xlsx`, bytes });
      }
    }
    const bucket = local.aws.names.uploadsBucket;

    // Act
    const started = performance.now();
    await Promise.all(files.map((f) => putUpload(bucket, f.dept, PERIOD, f.name, f.bytes)));
    await local.aws.uploads?.drain();
    const seconds = (performance.now() - started) / 1000;

    // Assess
    console.log(
      `200 concurrent uploads: ${seconds.toFixed(1)} s, ${(files.length / seconds).toFixed(0)} uploads/s`,
    );
    expect(local.aws.uploads?.deadLetters).toEqual([]);
    expect(receipts).toHaveLength(DEPARTMENTS * UPLOADS_PER_DEPARTMENT);
    expect(receipts.every((r) => r.status === 'accepted')).toBe(true);
    const all = await stores.submissions.allForPeriod(PERIOD);
    for (const dept of catalog.departments) {
      const versions = all.filter((s) => s.dept === dept.id);
      expect(versions.map((s) => s.version)).toEqual(
        Array.from({ length: UPLOADS_PER_DEPARTMENT }, (_, i) => i + 1),
      );
      const uploaded = files.filter((f) => f.dept === dept.id).map((f) => sha256(f.bytes));
      expect(versions.map((s) => s.sourceSha256).sort()).toEqual(uploaded.sort());
      // Each correction is measured against the version it replaced.
      for (const s of versions.slice(1)) expect(s.correction?.previousVersion).toBe(s.version - 1);
    }
    const audit = await stores.audit.list({ period: PERIOD });
    expect(audit).toHaveLength(DEPARTMENTS * UPLOADS_PER_DEPARTMENT);
    expect(new Set(receipts.map((r) => `${r.dept}#${r.version}`)).size).toBe(receipts.length);
  });
});
