import { PDFDict, PDFDocument, PDFHexString, PDFName } from 'pdf-lib';

export interface PdfMetadata {
  readonly title: string;
  readonly subject: string;
  readonly keywords: readonly string[];
  readonly author: string;
  readonly creator: string;
  /** Written as custom entries of the document information dictionary. */
  readonly custom: Readonly<Record<string, string>>;
  /** Creation and modification date: the bulletin's generation time, so re-renders match. */
  readonly date: Date;
}

/**
 * Chromium writes only a title (from <title>); auditors also want period and version in the
 * file itself. Object streams stay off so the font dictionaries remain plain objects.
 */
export async function withMetadata(
  pdf: Uint8Array,
  meta: PdfMetadata,
): Promise<{ pdf: Uint8Array; pages: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject);
  doc.setKeywords([...meta.keywords]);
  doc.setAuthor(meta.author);
  doc.setCreator(meta.creator);
  doc.setProducer('Chromium (Skia/PDF) + pdf-lib');
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  doc.setLanguage('zh-CN');
  // setTitle above created the information dictionary; custom keys go into the same one.
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  for (const [key, value] of Object.entries(meta.custom))
    info.set(PDFName.of(key), PDFHexString.fromText(value));
  const out = await doc.save({ useObjectStreams: false });
  return { pdf: out, pages: doc.getPageCount() };
}
