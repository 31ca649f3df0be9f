import { basename } from 'node:path';
import type { Command } from 'commander';
import { draftKeywordsPath, readInputFile } from '../../../functions/adapters/catalog-files.ts';
import {
  draftFromReport,
  findingJson,
  toFillCount,
} from '../../../functions/core/catalog-draft/draft-from-report.ts';
import { parseKeywordTable } from '../../../functions/core/catalog-draft/responsibility.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { runCommand } from '../run-command.ts';
import { writeWhole } from '../write-whole.ts';

interface DraftOptions {
  year: string;
  out: string;
  district?: string;
  keywords?: string;
}

function parseYear(raw: string): number {
  const year = Number(raw);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new UsageError(`--year must be a year such as 2023, got "${raw}"`);
  }
  return year;
}

/** `duban catalog draft <report.txt> --year <Y> [--district <name>] [--keywords <file>] --out <draft.yaml>`. */
export function registerDraft(catalog: Command): void {
  catalog
    .command('draft')
    .description(
      "draft a catalog from the work report's text (UTF-8 or GB18030): every figure and task, to review",
    )
    .argument('<report>', 'the work report as plain text, e.g. ../shared/seeds/000_cd388ccb9033337c.txt')
    .requiredOption('--year <year>', 'the catalog year (the year the report reviews or plans)')
    .requiredOption('--out <file>', 'where to write the draft catalog YAML')
    .option('--district <name>', "the district's name (default: read from the report's header)")
    .option('--keywords <file>', `责任单位 keyword table (default: ${basename(draftKeywordsPath())})`)
    .action(async (report: string, opts: DraftOptions, command: Command) => {
      await runCommand(command, async () => {
        const year = parseYear(opts.year);
        const keywordsFile = opts.keywords ?? draftKeywordsPath();
        const keywords = parseKeywordTable(
          new TextDecoder().decode(await readInputFile(keywordsFile, 'the keyword table')),
          basename(keywordsFile),
        );
        const bytes = await readInputFile(report, 'the report');
        const { draft, yaml, encoding } = draftFromReport(bytes, {
          fileName: basename(report),
          year,
          district: opts.district,
          keywords,
        });
        await writeWhole(opts.out, yaml, 'the draft');
        const toFill = toFillCount(draft);
        const byKind = new Map<string, number>();
        for (const i of draft.indicators) byKind.set(i.kind, (byKind.get(i.kind) ?? 0) + 1);
        const kinds = [...byKind].map(([k, n]) => `${k} ${n}`).join(', ');
        const unsure = draft.indicators.filter((i) => i.finding.confidence < 0.7).length;
        return {
          json: {
            ok: true,
            report,
            out: opts.out,
            encoding,
            year: draft.year,
            district: draft.district,
            indicators: draft.indicators.length,
            toFill,
            skippedOtherYears: draft.skippedOtherYears,
            findings: draft.indicators.map(findingJson),
          },
          text:
            `${opts.out}: ${draft.indicators.length} draft indicators for ${draft.district} ${draft.year} (${kinds}); ` +
            `${toFill} targets to fill, ${unsure} marked 待核 with low confidence` +
            (encoding === 'utf-8' ? '' : `; report read as ${encoding}`) +
            `\nnext: review ${basename(opts.out)}, fill the to-fill targets and stocks' baselines, then npx duban catalog check ${basename(opts.out)}`,
        };
      });
    });
}
