import { PDFDocument } from 'pdf-lib';
import { getMeta } from 'unpdf';
import { describe, expect, it } from 'vitest';
import {
  type PdfMetadata,
  replaceInfoInPlace,
  withMetadata,
} from '../../../functions/adapters/pdf/pdf-metadata.ts';

const meta: PdfMetadata = {
  title: '示例区2023年6月目标任务进度通报·发改委',
  subject: '2023年6月目标任务进度通报 第2版',
  keywords: ['2023-06', 'v2', '示例区'],
  author: '示例区',
  creator: 'duban 0.1.0',
  custom: { Period: '2023-06', Version: '2', Department: 'fgw' },
  date: new Date('2023-07-05T08:30:00.000Z'),
};

/** A PDF laid out as Chromium writes it: one revision, a classic xref table, an Info dictionary. */
async function skiaLikePdf(pages: number, objectStreams = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle('placeholder title that is longer than nothing');
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  for (let i = 0; i < pages; i++) doc.addPage().drawText(`page ${i + 1}`);
  return doc.save({ useObjectStreams: objectStreams });
}

/** Every in-use xref entry must point at the start of its object. */
function xrefPointsAtObjects(pdf: Uint8Array): boolean {
  const text = Buffer.from(pdf).toString('latin1');
  const xrefAt = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const rows = [...text.slice(xrefAt).matchAll(/(\d{10}) \d{5} n/g)];
  return rows.length > 0 && rows.every((r, i) => text.startsWith(`${i + 1} 0 obj`, Number(r[1])));
}

describe('PDF metadata', () => {
  it('replaces the information dictionary in place, keeping every offset valid', async () => {
    // Prepare
    const pdf = await skiaLikePdf(3);

    // Act
    const out = replaceInfoInPlace(pdf, meta);

    // Assess
    if (out === undefined) throw new Error('the single-revision layout was not recognised');
    expect(out.pages).toBe(3);
    expect(xrefPointsAtObjects(out.pdf)).toBe(true);
    const { info } = await getMeta(new Uint8Array(out.pdf));
    expect(info.Title).toBe(meta.title);
    expect(info.Subject).toBe(meta.subject);
    expect(info.Author).toBe(meta.author);
    expect(String(info.Keywords)).toContain('2023-06');
    expect(String(info.CreationDate)).toBe('D:20230705083000Z');
    expect(info.Custom).toEqual(meta.custom);
    expect(Buffer.from(out.pdf).toString('latin1')).not.toContain('placeholder');
    const reread = await PDFDocument.load(out.pdf, { updateMetadata: false });
    expect(reread.getPageCount()).toBe(3);
    expect(reread.getTitle()).toBe(meta.title);
  });

  it('falls back to a full re-save for any other layout (here: object streams)', async () => {
    // Prepare
    const pdf = await skiaLikePdf(2, true);

    // Act
    const fast = replaceInfoInPlace(pdf, meta);
    const out = await withMetadata(pdf, meta);

    // Assess
    expect(fast).toBeUndefined();
    expect(out.pages).toBe(2);
    const { info } = await getMeta(new Uint8Array(out.pdf));
    expect(info.Title).toBe(meta.title);
    expect((info.Custom as Record<string, string>).Department).toBe('fgw');
  });
});
