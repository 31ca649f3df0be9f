import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { afterAll, describe, expect, it } from 'vitest';
import { createPdfRenderer } from '../../functions/adapters/pdf/pdf-renderer.ts';
import { MissingGlyphError, pdfFontInfo } from '../../functions/adapters/pdf/tofu-check.ts';
import { allRows } from '../../functions/core/bulletin/bulletin-model.ts';
import { sampleModel } from '../fixtures/bulletin/sample-model.ts';

// Real Chromium (@sparticuz/chromium): one browser for every document of this file.
const renderer = createPdfRenderer();
afterAll(() => renderer.close());

const squash = (s: string) => s.replace(/\s+/g, '');

async function pdfText(pdf: Uint8Array): Promise<{ pages: number; text: string }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { totalPages, text } = await extractText(doc, { mergePages: true });
  return { pages: totalPages, text: squash(text) };
}

describe('bulletin PDF (real Chromium)', () => {
  it('is a text PDF holding the headline and figures, with the page count it reports', async () => {
    // Act
    const { pdf, pages } = await renderer.renderBulletin(sampleModel);
    const { pages: parsedPages, text } = await pdfText(pdf);

    // Assess
    expect(pages).toBe(parsedPages);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(pages).toBeLessThanOrEqual(30);
    const [first] = sampleModel.headline;
    expect(text).toContain(squash(first ?? 'no headline'));
    for (const row of allRows(sampleModel).slice(0, 8)) {
      expect(text).toContain(row.code);
      expect(text).toContain(squash(row.valueText));
    }
    expect(text).toContain(`第1页/共${pages}页`);
  });

  it('embeds only the bundled Noto Sans SC and carries title, period and version as metadata', async () => {
    // Act
    const { pdf } = await renderer.renderBulletin(sampleModel);
    const fonts = pdfFontInfo(pdf);
    const { info } = await getMeta(new Uint8Array(pdf));

    // Assess
    expect(fonts.embeddedPrograms).toBeGreaterThan(0);
    expect(fonts.fontNames.length).toBeGreaterThan(0);
    for (const name of fonts.fontNames) expect(name).toMatch(/NotoSansSC/);
    expect(info.Title).toBe(sampleModel.title);
    const custom = info.Custom as Record<string, string>;
    expect(custom.Period).toBe(sampleModel.period);
    expect(custom.Version).toBe(String(sampleModel.version));
    expect(String(info.Keywords)).toContain(sampleModel.period);
  });

  it("prints a department's own slice and nothing of the others", async () => {
    // Prepare
    const dept = sampleModel.departments.find((d) => d.total >= 2);
    if (dept === undefined) throw new Error('sample has no department with two indicators');
    const others = allRows(sampleModel).filter((r) => r.dept !== dept.id);

    // Act
    const { pdf } = await renderer.renderDepartment(sampleModel, dept.id);
    const { text } = await pdfText(pdf);

    // Assess
    for (const code of dept.indicatorCodes) expect(text).toContain(code);
    for (const r of others) expect(text).not.toContain(`${r.code}·`);
  });

  it('fails the run, naming the character, when the document needs a glyph the fonts lack', async () => {
    // Prepare: a note with a CJK Extension B character Noto Sans SC does not have.
    const [first, ...rest] = sampleModel.sections;
    if (first === undefined) throw new Error('sample has no sections');
    const [row, ...others] = first.rows;
    if (row === undefined) throw new Error('sample section has no rows');
    const model = {
      ...sampleModel,
      sections: [{ ...first, rows: [{ ...row, note: '项目位于𠀀村' }, ...others] }, ...rest],
    };

    // Act
    const result = renderer.renderBulletin(model);

    // Assess
    await expect(result).rejects.toThrow(MissingGlyphError);
    await expect(result).rejects.toThrow(/U\+20000/);
  });
});
