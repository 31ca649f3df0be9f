import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadCatalogFile, seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import { createStores } from '../../../functions/adapters/dynamo-stores.ts';
import { storeCatalog } from '../../../functions/adapters/ensure-catalog.ts';
import { deptShortName } from '../../../functions/core/catalog/catalog-lookup.ts';
import { catalogContentHash } from '../../../functions/core/catalog/catalog-parse.ts';
import type { Catalog, Indicator } from '../../../functions/core/catalog/catalog-schema.ts';
import { NotFoundError, UsageError } from '../../../functions/core/errors.ts';
import { formatValue } from '../../../functions/core/format-decimal.ts';
import { targetDisplay } from '../../../functions/core/ingest/template-contract.ts';
import { runCommand } from '../run-command.ts';
import { registerDraft } from './catalog-draft.ts';
import { registerRoll } from './catalog-roll.ts';

/** What `check` and `load` both report about a valid catalog. */
function summary(catalog: Catalog) {
  const count = (pred: (i: Indicator) => boolean) => catalog.indicators.filter(pred).length;
  return {
    year: catalog.year,
    district: catalog.district,
    departments: catalog.departments.length,
    indicators: catalog.indicators.length,
    milestones: count((i) => i.kind === 'milestone'),
    targetBasis: {
      stated: count((i) => i.targetBasis === 'stated'),
      derived: count((i) => i.targetBasis === 'derived'),
      assumed: count((i) => i.targetBasis === 'assumed'),
    },
    contentHash: catalogContentHash(catalog),
  };
}

/** "indicators[0] (ECO-GDP 地区生产总值, 发改委): target 177.3亿元 is a placeholder, to fill". */
function toFillLines(catalog: Catalog): string[] {
  return catalog.indicators.flatMap((i, index) =>
    i.targetToFill
      ? [
          `indicators[${index}] (${i.code} ${i.name}, ${deptShortName(catalog, i.dept)}): target ${formatValue(targetDisplay(i), i.unit)} is a placeholder, still to fill / 年度目标待填`,
        ]
      : [],
  );
}

function summaryLine(s: ReturnType<typeof summary>): string {
  return (
    `${s.district} ${s.year}: ${s.indicators} indicators (${s.milestones} milestones), ${s.departments} departments; ` +
    `targets stated ${s.targetBasis.stated}, derived ${s.targetBasis.derived}, assumed ${s.targetBasis.assumed}; ` +
    `sha256 ${s.contentHash.slice(0, 12)}…`
  );
}

function parseYear(raw: string): number {
  const year = Number(raw);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new UsageError(`--year must be a year such as 2023, got "${raw}"`);
  }
  return year;
}

function parseVersion(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) {
    throw new UsageError(`--catalog-version must be a positive integer, got "${raw}"`);
  }
  return version;
}

function target(i: Indicator): string {
  return formatValue(targetDisplay(i), i.unit);
}

function reported(i: Indicator): string {
  return formatValue(i.reportedResult, i.unit);
}

/** One tab-separated line per indicator: readable in a terminal, pasteable into a sheet. */
function indicatorTable(catalog: Catalog): string {
  const deptName = new Map(catalog.departments.map((d) => [d.id, d.shortName]));
  const header = [
    '指标编码',
    '指标名称',
    '板块',
    '责任单位',
    '类型',
    '年度目标',
    `${catalog.year}年完成`,
    '目标依据',
  ];
  const rows = catalog.indicators.map((i) => [
    i.code,
    i.name,
    i.section,
    deptName.get(i.dept) ?? i.dept,
    i.kind,
    target(i),
    reported(i),
    i.targetBasis,
  ]);
  return [header, ...rows].map((r) => r.join('\t')).join('\n');
}

function indicatorJson(i: Indicator) {
  return {
    code: i.code,
    name: i.name,
    section: i.section,
    dept: i.dept,
    kind: i.kind,
    unit: i.unit,
    target: targetDisplay(i),
    reportedResult: i.reportedResult ?? null,
    targetBasis: i.targetBasis,
  };
}

/** `duban catalog check|load|show`. */
export function register(program: Command): void {
  const catalog = program.command('catalog').description('the target catalog of the work report');
  registerDraft(catalog);
  registerRoll(catalog, parseYear);

  catalog
    .command('check')
    .description('validate a catalog YAML file; exit 1 listing every problem')
    .argument('<file>', 'catalog YAML, e.g. templates/catalogs/jiefang-2023.yaml')
    .action(async (file: string, _opts: unknown, command: Command) => {
      await runCommand(command, async () => {
        const parsed = await loadCatalogFile(file);
        const s = summary(parsed);
        const toFill = toFillLines(parsed);
        return {
          json: { ok: true, file, ...s, targetsToFill: toFill },
          text: [
            `${basename(file)}: ok`,
            summaryLine(s),
            ...(toFill.length > 0
              ? [
                  `${toFill.length} targets still to fill (placeholders judged as 假设 until stated):`,
                  ...toFill.map((l) => `  ${l}`),
                ]
              : []),
          ].join('\n'),
        };
      });
    });

  catalog
    .command('load')
    .description('store the catalog as a new version (same content again: no-op)')
    .argument('<file>', 'catalog YAML')
    .action(async (file: string, _opts: unknown, command: Command) => {
      // Validate before starting storage: a bad file must not cost a store start-up.
      const parsed = await loadCatalogFile(file).catch((error: unknown) => error);
      await runCommand(
        command,
        async () => {
          if (parsed instanceof Error) throw parsed;
          const cat = parsed as Catalog;
          const { version, unchanged } = await storeCatalog(createStores(), cat, {
            file,
            now: new Date(),
            actor: process.env.USER ?? 'cli',
          });
          const s = summary(cat);
          return {
            json: { ok: true, file, unchanged, version: version.version, loadedAt: version.loadedAt, ...s },
            text: unchanged
              ? `catalog ${version.year} unchanged: same content as version ${version.version} (loaded ${version.loadedAt})`
              : `catalog ${version.year} stored as version ${version.version}\n${summaryLine(s)}`,
          };
        },
        { storage: parsed instanceof Error ? undefined : 'create' },
      );
    });

  catalog
    .command('show')
    .description('list the indicators of the stored catalog (or of a file with --file)')
    .option('--year <year>', 'catalog year', '2023')
    .option('--catalog-version <n>', 'a stored version (default: the latest)')
    .option('--file <file>', `read a YAML file instead of the store (e.g. ${basename(seedCatalogPath())})`)
    .action(async (opts: { year: string; catalogVersion?: string; file?: string }, command: Command) => {
      await runCommand(
        command,
        async () => {
          let cat: Catalog;
          let version: number | null = null;
          if (opts.file) {
            cat = await loadCatalogFile(opts.file);
          } else {
            const year = parseYear(opts.year);
            const stored = await createStores().catalogs.get(year, parseVersion(opts.catalogVersion));
            if (!stored) {
              throw new NotFoundError(
                `no catalog ${year}${opts.catalogVersion ? ` version ${opts.catalogVersion}` : ''} is stored; load one with: npx duban catalog load <file>`,
              );
            }
            cat = stored.catalog;
            version = stored.version;
          }
          return {
            json: { year: cat.year, version, indicators: cat.indicators.map(indicatorJson) },
            text: `${cat.title}${version ? ` (version ${version})` : ''}\n${indicatorTable(cat)}`,
          };
        },
        { storage: opts.file ? undefined : 'existing' },
      );
    });
}
