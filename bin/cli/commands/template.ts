import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { createStores } from '../../../functions/adapters/dynamo-stores.ts';
import { ensureCatalog } from '../../../functions/adapters/ensure-catalog.ts';
import { buildTemplate, TemplateRequestError } from '../../../functions/adapters/workbook/template-writer.ts';
import { indicatorsForDept } from '../../../functions/core/catalog/catalog-parse.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { parsePeriod, previousPeriod } from '../../../functions/core/submission.ts';
import { runCommand } from '../run-command.ts';

interface TemplateOptions {
  readonly dept: string;
  readonly period: string;
  readonly out: string;
}

/** `duban template --dept <id> --period <YYYY-MM> --out <file.xlsx>`. */
export function register(program: Command): void {
  program
    .command('template')
    .description("write a department's monthly workbook (填报, 说明, hidden _meta) from the latest catalog")
    .requiredOption('--dept <id>', 'department id, e.g. fgw')
    .requiredOption('--period <YYYY-MM>', 'reporting month, e.g. 2023-06')
    .requiredOption('--out <file.xlsx>', 'where to write the workbook')
    .action(async (opts: TemplateOptions, command: Command) => {
      await runCommand(
        command,
        async () => {
          const year = parsePeriod(opts.period)?.year;
          if (!year) throw new UsageError(`--period must be YYYY-MM (e.g. 2023-06), got "${opts.period}"`);
          const stores = createStores();
          const now = new Date();
          const catalog = await ensureCatalog(stores, year, now, userInfo().username);
          const before = previousPeriod(opts.period);
          const previous =
            before && parsePeriod(before)?.year === year
              ? await stores.submissions.latest(opts.dept, before)
              : undefined;
          let bytes: Uint8Array;
          try {
            bytes = await buildTemplate({
              catalog: catalog.catalog,
              catalogVersion: catalog.version,
              dept: opts.dept,
              period: opts.period,
              previous,
              now,
            });
          } catch (error) {
            if (error instanceof TemplateRequestError) throw new UsageError(error.message);
            throw error;
          }
          await writeFile(opts.out, bytes);
          const indicators = indicatorsForDept(catalog.catalog, opts.dept).length;
          return {
            json: {
              ok: true,
              file: opts.out,
              dept: opts.dept,
              period: opts.period,
              catalog: { year: catalog.year, version: catalog.version },
              indicators,
              previousVersion: previous?.version ?? null,
            },
            text: `${opts.out}: ${opts.dept} ${opts.period}, ${indicators} indicators (catalog ${catalog.year} v${catalog.version})`,
          };
        },
        { storage: true },
      );
    });
}
