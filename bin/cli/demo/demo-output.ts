import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DemoRun } from './run-demo.ts';

/**
 * Copies what the demo produced out of the stand-ins into one folder per month, every
 * name carrying its period: the archived bulletins (PDF, Excel, department slices,
 * manifest), the upload receipts (with the annotated workbook when a receipt has
 * problems to show), the notification mails from the outbox, and the 催报 mails.
 */
export interface CopiedFile {
  readonly period: string;
  readonly kind:
    | 'bulletin'
    | 'excel'
    | 'dept-pdf'
    | 'manifest'
    | 'receipt'
    | 'annotated'
    | 'mail'
    | 'reminder';
  readonly path: string;
}

const slug = (name: string) => name.replace(/[\\/]+/g, '-');

/** bulletin.pdf → bulletin-2023-03-v2.pdf; depts/fgw.pdf → bulletin-2023-03-v2-fgw.pdf. */
export function archiveFileName(period: string, version: number, name: string): string {
  const stem = `bulletin-${period}-v${version}`;
  if (name === 'manifest.json') return `manifest-${period}-v${version}.json`;
  const dept = /^depts\/(.+)$/.exec(name)?.[1];
  if (dept) return `${stem}-${slug(dept)}`;
  const ext = path.extname(name);
  return name.startsWith('bulletin.') ? `${stem}${ext}` : `${stem}-${slug(name)}`;
}

function kindOf(name: string): CopiedFile['kind'] {
  if (name === 'manifest.json') return 'manifest';
  if (name.startsWith('depts/')) return 'dept-pdf';
  return name.endsWith('.xlsx') ? 'excel' : 'bulletin';
}

export async function copyDemoOutput(run: DemoRun, outDir: string): Promise<CopiedFile[]> {
  const { objects, local } = run.environment;
  const copied: CopiedFile[] = [];
  const write = async (period: string, kind: CopiedFile['kind'], name: string, body: Uint8Array | string) => {
    const dir = path.join(outDir, period);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, name);
    await writeFile(file, body);
    copied.push({ period, kind, path: file });
  };

  for (const month of run.months) {
    for (const b of month.bulletins) {
      const { period, version } = b.result;
      for (const f of b.manifest.files) {
        const body = await objects.get(local.names.archiveBucket, f.key);
        await write(period, kindOf(f.name), archiveFileName(period, version, f.name), body);
      }
      const manifest = await objects.get(local.names.archiveBucket, b.result.manifestKey);
      await write(period, 'manifest', archiveFileName(period, version, 'manifest.json'), manifest);
      // The outbox names a mail after its subject; a department's says 「<简称>分册」.
      const sliceOf = (mail: string) => /（([^（）_]+)分册/.exec(path.basename(mail))?.[1];
      const leaders = b.mails.filter((m) => sliceOf(m) === undefined);
      for (const mail of b.mails) {
        const dir = path.join(outDir, period);
        await mkdir(dir, { recursive: true });
        const dept = sliceOf(mail);
        const suffix = dept ? `-${dept}` : leaders.length > 1 ? `-${leaders.indexOf(mail) + 1}` : '';
        const file = path.join(dir, `mail-${period}-v${version}${suffix}.eml`);
        await copyFile(mail, file);
        copied.push({ period, kind: 'mail', path: file });
      }
    }
    for (const r of month.reminders) {
      for (const m of r.sent) {
        const file = path.join(outDir, r.period, `reminder-${r.period}-${m.point}-${slug(m.recipient)}.eml`);
        await mkdir(path.dirname(file), { recursive: true });
        await copyFile(m.location, file);
        copied.push({ period: r.period, kind: 'reminder', path: file });
      }
    }
    for (const u of month.uploads) {
      const receipt = u.receipt;
      const period = receipt.period ?? u.period;
      const base = path.posix.basename(receipt.objects.receipt);
      await write(period, 'receipt', `receipt-${base}`, `${JSON.stringify(receipt, null, 2)}\n`);
      const problems = receipt.errors.length + receipt.warnings.length;
      if (problems > 0 && receipt.objects.annotated) {
        const body = await objects.get(local.names.uploadsBucket, receipt.objects.annotated);
        await write(period, 'annotated', `receipt-${path.posix.basename(receipt.objects.annotated)}`, body);
      }
    }
  }
  return copied;
}
