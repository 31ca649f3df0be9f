import { basename } from 'node:path';
import type { Command } from 'commander';
import { Document } from 'yaml';
import { loadCatalogFile } from '../../../functions/adapters/catalog-files.ts';
import { indicatorName } from '../../../functions/core/catalog/catalog-lookup.ts';
import { rollCatalog } from '../../../functions/core/catalog/catalog-roll.ts';
import type { Catalog, Indicator } from '../../../functions/core/catalog/catalog-schema.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { runCommand } from '../run-command.ts';
import { writeWhole } from '../write-whole.ts';

interface RollOptions {
  from: string;
  year: string;
  out: string;
}

/** The order a reviewer reads an indicator in: what it is, who, the target, where it comes from. */
const FIELD_ORDER = [
  'code',
  'name',
  'section',
  'dept',
  'coDepts',
  'kind',
  'frequency',
  'unit',
  'direction',
  'baseline',
  'target',
  'targetToFill',
  'targetBasis',
  'arithmetic',
  'dueMonth',
  'stages',
  'profile',
  'allowNegative',
  'note',
  'source',
];

/** What the schema fills in anyway is left out: a hand-edited file reads better without it. */
function compact(indicator: Indicator): Record<string, unknown> {
  const all: Record<string, unknown> = { ...indicator };
  const out: Record<string, unknown> = {};
  for (const key of [...FIELD_ORDER, ...Object.keys(all)])
    if (key in all && !(key in out)) out[key] = all[key];
  if (Array.isArray(out.coDepts) && out.coDepts.length === 0) delete out.coDepts;
  if (out.allowNegative === false) delete out.allowNegative;
  if (out.frequency === 'monthly') delete out.frequency;
  if (indicator.kind === 'milestone' || indicator.kind === 'qualitative') {
    delete out.unit;
    delete out.direction;
  }
  if (indicator.kind === 'deadline') delete out.direction;
  return out;
}

export function rolledYaml(
  catalog: Catalog,
  from: { file: string; year: number },
  finished: readonly string[],
): string {
  const doc = new Document({ ...catalog, indicators: catalog.indicators.map(compact) });
  doc.commentBefore = [
    ` ${catalog.title}（草稿）`,
    ` Rolled by \`duban catalog roll\` from ${from.file}: ${from.year}'s results are the baselines; every`,
    ' target is a placeholder marked targetToFill (judged as 假设 until the new report states it):',
    ' fill it, set targetBasis (stated / derived with arithmetic / assumed), remove targetToFill,',
    " and replace `source` with the new report's sentence. `npx duban catalog check` lists what is left.",
    ` 已完成并移出的事项（${finished.length}项）：${finished.join('、') || '无'}`,
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** `duban catalog roll --from <catalog.yaml> --year <Y> --out <file>`. */
export function registerRoll(catalog: Command, parseYear: (raw: string) => number): void {
  catalog
    .command('roll')
    .description(
      "next year's draft catalog: this year's results as baselines, targets to fill, finished items out",
    )
    .requiredOption('--from <file>', "this year's catalog YAML, e.g. templates/catalogs/jiefang-2023.yaml")
    .requiredOption('--year <year>', 'the new catalog year, e.g. 2024')
    .requiredOption('--out <file>', 'where to write the draft YAML')
    .action(async (opts: RollOptions, command: Command) => {
      await runCommand(command, async () => {
        const year = parseYear(opts.year);
        const source = await loadCatalogFile(opts.from);
        if (year <= source.year) {
          throw new UsageError(`--year must come after the catalog's year ${source.year}, got ${year}`);
        }
        const rolled = rollCatalog(source, year);
        // People read names: "CITY-JIAOWU-BRIDGE 焦武路大沙河桥".
        const finished = rolled.finished.map((code) => `${code} ${indicatorName(source, code)}`);
        await writeWhole(
          opts.out,
          rolledYaml(rolled.catalog, { file: basename(opts.from), year: source.year }, finished),
          'the rolled catalog',
        );
        const carried = rolled.catalog.indicators.length;
        return {
          json: {
            ok: true,
            file: opts.out,
            from: opts.from,
            year,
            indicators: carried,
            targetsToFill: rolled.pending,
            finished: rolled.finished,
          },
          text: [
            `${opts.out}: ${year} draft from ${basename(opts.from)}: ${carried} indicators carried over, ${rolled.pending.length} targets to fill`,
            `finished in ${source.year} and left out (${finished.length}): ${finished.join(', ') || 'none'}`,
            `next: fill the targets, then \`npx duban catalog check ${opts.out}\``,
          ].join('\n'),
        };
      });
    });
}
