import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBulletinView } from '../../functions/adapters/pdf/bulletin-view.ts';
import { DEFAULT_TEMPLATES_DIR } from '../../functions/adapters/pdf/html-renderer.ts';
import { createPdfRenderer, ExternalRequestError } from '../../functions/adapters/pdf/pdf-renderer.ts';
import { MissingGlyphError, pdfFontInfo } from '../../functions/adapters/pdf/tofu-check.ts';
import { allRows } from '../../functions/core/bulletin/bulletin-model.ts';
import { sampleModel, sampleWithFirstRow } from '../fixtures/bulletin/sample-model.ts';

// Real Chromium (@sparticuz/chromium): one browser for every document of this file.
const renderer = createPdfRenderer();
afterAll(() => renderer.close());

const squash = (s: string) => s.replace(/\s+/g, '');

async function pdfText(pdf: Uint8Array): Promise<{ pages: number; text: string; perPage: string[] }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { totalPages, text } = await extractText(doc, { mergePages: false });
  return { pages: totalPages, text: squash(text.join('')), perPage: text.map(squash) };
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

  it('fails the run, naming the character, when text duban writes needs a glyph the fonts lack', async () => {
    // Prepare: an indicator name (catalog text, duban's own) with a CJK Extension B character.
    const model = sampleWithFirstRow({ name: '项目位于𠀀村' });

    // Act
    const result = renderer.renderBulletin(model);

    // Assess
    await expect(result).rejects.toThrow(MissingGlyphError);
    await expect(result).rejects.toThrow(/U\+20000/);
  });

  it("prints a department's emoji and Extension-B note with code points and a footnote, in the bundled font only", async () => {
    // Prepare
    const model = sampleWithFirstRow({ note: '进度略有滞后😷，负责人𠮷' });

    // Act
    const { pdf } = await renderer.renderBulletin(model);
    const { text } = await pdfText(pdf);

    // Assess
    expect(text).toContain(squash('进度略有滞后〔U+1F637〕，负责人〔U+20BB7〕'));
    expect(text).toContain(squash('按其Unicode码位标出'));
  });

  it('keeps the cover free of the running header and numbers every page in the footer', async () => {
    // Prepare
    const header = squash(buildBulletinView(sampleModel).headerText);

    // Act
    const { pdf, pages } = await renderer.renderBulletin(sampleModel);
    const { perPage } = await pdfText(pdf);

    // Assess
    expect(perPage[0]).not.toContain(header);
    expect(perPage[0]).toContain(`第1页/共${pages}页`);
    for (let i = 1; i < pages; i++) {
      expect(perPage[i]).toContain(header);
      expect(perPage[i]).toContain(`第${i + 1}页/共${pages}页`);
    }
  });

  it('prints the next document correctly after one failed, reusing nothing of either', async () => {
    // Prepare: a failing document first (a glyph the fonts lack), then two departments.
    const broken = sampleWithFirstRow({ name: '𠀀' });
    const [a, b] = sampleModel.departments.filter((d) => d.total >= 1);
    if (a === undefined || b === undefined) throw new Error('sample needs two departments');

    // Act
    await expect(renderer.renderBulletin(broken)).rejects.toThrow(MissingGlyphError);
    const textA = (await pdfText((await renderer.renderDepartment(sampleModel, a.id)).pdf)).text;
    const textB = (await pdfText((await renderer.renderDepartment(sampleModel, b.id)).pdf)).text;

    // Assess
    expect(textA).toContain(squash(`责任单位专报：${a.name}`));
    expect(textB).toContain(squash(`责任单位专报：${b.name}`));
    expect(textB).not.toContain(squash(`责任单位专报：${a.name}`));
    for (const code of a.indicatorCodes) expect(textB).not.toContain(`${code}·`);
  });

  it('prints documents asked for at once on separate pages, each with its own content', async () => {
    // Prepare
    const two = createPdfRenderer({ concurrency: 2 });
    const depts = sampleModel.departments.filter((d) => d.total >= 1).slice(0, 3);

    // Act
    const pdfs = await Promise.all(depts.map((d) => two.renderDepartment(sampleModel, d.id))).finally(() =>
      two.close(),
    );

    // Assess
    for (const [i, d] of depts.entries()) {
      const { text } = await pdfText(pdfs[i]?.pdf ?? new Uint8Array());
      for (const code of d.indicatorCodes) expect(text).toContain(`${code}·`);
      for (const other of depts.filter((o) => o.id !== d.id))
        for (const code of other.indicatorCodes) expect(text).not.toContain(`${code}·`);
    }
  });

  it('refuses a template that reaches outside the bundle', async () => {
    // Prepare: a copy of the templates whose cover loads an image from the network.
    const dir = mkdtempSync(join(tmpdir(), 'duban-templates-'));
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    const cover = join(dir, 'cover.eta');
    writeFileSync(cover, `${readFileSync(cover, 'utf8')}<img src="http://example.invalid/logo.png" alt="">`);
    const leaky = createPdfRenderer({ templatesDir: dir });

    // Act
    const result = leaky.renderBulletin(sampleModel);

    // Assess
    await expect(result).rejects.toThrow(ExternalRequestError);
    await expect(result).rejects.toThrow(/example\.invalid/);
    await leaky.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
