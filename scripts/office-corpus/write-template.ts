/** Writes fgw's June 2023 template of the ingest test catalog to the path given: the corpus's starting point. */
import { writeFileSync } from 'node:fs';
import { ingestTemplate } from '../../test/support/template-workbooks.ts';

const [out] = process.argv.slice(2);
if (!out) throw new Error('usage: write-template.ts <out.xlsx>');
writeFileSync(out, await ingestTemplate());
