import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { createStores } from '../../../functions/adapters/dynamo-stores.ts';
import { TemplateRequestError } from '../../../functions/adapters/workbook/template-writer.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { makeDepartmentTemplate } from '../../../functions/ingest/department-template.ts';
import { runCommand } from '../run-command.ts';

interface TemplateOptions {
  readonly dept: string;
  readonly period: string;
  readonly out: string;
}

/** `duban template --dept <id|name> --period <YYYY-MM> --out <file.xlsx>`. */
export function register(program: Command): void {
  program
    .command('template')
    .description("write a department's monthly workbook (填报, 说明, hidden _meta) from the latest catalog")
    .requiredOption('--dept <id|name>', 'department id or name, e.g. fgw or 发改委')
    .requiredOption('--period <YYYY-MM>', 'reporting month, e.g. 2023-06')
    .requiredOption('--out <file.xlsx>', 'where to write the workbook')
    .action(async (opts: TemplateOptions, command: Command) => {
      await runCommand(
        command,
        async () => {
          let made: Awaited<ReturnType<typeof makeDepartmentTemplate>>;
          try {
            made = await makeDepartmentTemplate(createStores(), {
              dept: opts.dept,
              period: opts.period,
              now: new Date(),
              actor: userInfo().username,
            });
          } catch (error) {
            if (error instanceof TemplateRequestError) throw new UsageError(error.message);
            throw error;
          }
          await writeFile(opts.out, made.bytes);
          const { catalog, dept, indicators, previous } = made;
          const name = catalog.catalog.departments.find((d) => d.id === dept)?.shortName ?? dept;
          return {
            json: {
              ok: true,
              file: opts.out,
              dept,
              deptName: name,
              period: opts.period,
              catalog: { year: catalog.year, version: catalog.version },
              indicators,
              previousVersion: previous?.version ?? null,
            },
            text: `${opts.out}: ${name} ${opts.period}, ${indicators} indicators (catalog ${catalog.year} v${catalog.version})`,
          };
        },
        { storage: 'create' },
      );
    });
}
