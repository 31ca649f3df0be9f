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

const PRODUCER = 'Chromium (Skia/PDF)';

/**
 * Chromium writes only a title (from <title>) and the language (from <html lang>); auditors
 * also want period and version in the file itself. Chromium's PDF is one revision with a
 * plain cross-reference table, so the information dictionary is replaced where it stands and
 * the offsets after it shifted (~1 ms) instead of parsing and re-saving the whole file with
 * pdf-lib (100–500 ms). Any other layout takes the pdf-lib route.
 */
export async function withMetadata(
  pdf: Uint8Array,
  meta: PdfMetadata,
): Promise<{ pdf: Uint8Array; pages: number }> {
  return replaceInfoInPlace(pdf, meta) ?? (await withMetadataByPdfLib(pdf, meta));
}

/**
 * The pdf-lib route: parse, set, save. Object streams stay off so font dictionaries stay
 * plain. Imported on first use: loading pdf-lib alone costs ~160 ms of a cold start.
 */
export async function withMetadataByPdfLib(
  pdf: Uint8Array,
  meta: PdfMetadata,
): Promise<{ pdf: Uint8Array; pages: number }> {
  const { PDFDict, PDFDocument, PDFHexString, PDFName } = await import('pdf-lib');
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject);
  doc.setKeywords([...meta.keywords]);
  doc.setAuthor(meta.author);
  doc.setCreator(meta.creator);
  doc.setProducer(PRODUCER);
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

/** UTF-16BE with byte order mark, as a hex string: any text, no escaping questions. */
function pdfText(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${hex.toUpperCase()}>`;
}

/** A PDF name: anything outside the regular printable characters as #xx. */
function pdfName(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  let out = '/';
  for (const b of bytes) {
    const regular = b > 0x20 && b < 0x7f && !'#()<>[]{}/%'.includes(String.fromCharCode(b));
    out += regular ? String.fromCharCode(b) : `#${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function pdfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `(D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z)`;
}

export function infoDictionary(meta: PdfMetadata): string {
  const entries: [string, string][] = [
    ['Title', pdfText(meta.title)],
    ['Subject', pdfText(meta.subject)],
    ['Keywords', pdfText(meta.keywords.join(' '))],
    ['Author', pdfText(meta.author)],
    ['Creator', pdfText(meta.creator)],
    ['Producer', pdfText(PRODUCER)],
    ['CreationDate', pdfDate(meta.date)],
    ['ModDate', pdfDate(meta.date)],
    ...Object.entries(meta.custom).map(([k, v]): [string, string] => [k, pdfText(v)]),
  ];
  return `<<${entries.map(([k, v]) => `${pdfName(k)} ${v}`).join('\n')}>>`;
}

interface XrefEntry {
  offset: number;
  generation: string;
  kind: string;
}

/**
 * Replace the information dictionary of a single-revision PDF with a classic xref table (what
 * Skia writes) and shift every later offset. Returns undefined for any other layout.
 */
export function replaceInfoInPlace(
  pdf: Uint8Array,
  meta: PdfMetadata,
): { pdf: Uint8Array; pages: number } | undefined {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const tail = bytes.subarray(Math.max(0, bytes.length - 64)).toString('latin1');
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (start === null) return undefined;
  const xrefAt = Number(start[1]);
  const xrefText = bytes.subarray(xrefAt).toString('latin1');
  const table = /^xref\r?\n0 (\d+)\r?\n/.exec(xrefText);
  if (table === null) return undefined;
  const count = Number(table[1]);
  const entries: XrefEntry[] = [];
  const entryPattern = /(\d{10}) (\d{5}) ([nf])[ \r\n]{2}/y;
  entryPattern.lastIndex = table[0].length;
  for (let i = 0; i < count; i++) {
    const m = entryPattern.exec(xrefText);
    if (m === null) return undefined;
    entries.push({ offset: Number(m[1]), generation: m[2] ?? '00000', kind: m[3] ?? 'f' });
  }
  const trailer = /^\s*trailer\s*(<<[\s\S]*?>>)\s*startxref/.exec(xrefText.slice(entryPattern.lastIndex));
  const trailerDict = trailer?.[1];
  if (trailerDict === undefined || /\/(Prev|XRefStm|Encrypt)\b/.test(trailerDict)) return undefined;
  const infoNumber = Number(/\/Info (\d+) 0 R/.exec(trailerDict)?.[1] ?? Number.NaN);
  const rootNumber = Number(/\/Root (\d+) 0 R/.exec(trailerDict)?.[1] ?? Number.NaN);

  const objectAt = (n: number): { at: number; end: number; text: string } | undefined => {
    const e = entries[n];
    if (e === undefined || e.kind !== 'n') return undefined;
    const head = `${n} 0 obj`;
    if (bytes.toString('latin1', e.offset, e.offset + head.length) !== head) return undefined;
    const end = bytes.indexOf('endobj', e.offset, 'latin1');
    if (end < 0 || end > xrefAt) return undefined;
    return { at: e.offset, end: end + 'endobj'.length, text: bytes.toString('latin1', e.offset, end) };
  };
  const info = objectAt(infoNumber);
  const root = objectAt(rootNumber);
  const pagesNumber = Number(/\/Pages (\d+) 0 R/.exec(root?.text ?? '')?.[1] ?? Number.NaN);
  const pages = Number(/\/Count (\d+)/.exec(objectAt(pagesNumber)?.text ?? '')?.[1] ?? Number.NaN);
  if (info === undefined || !Number.isInteger(pages)) return undefined;

  const replacement = Buffer.from(`${infoNumber} 0 obj\n${infoDictionary(meta)}\nendobj`, 'latin1');
  const delta = replacement.length - (info.end - info.at);
  const shifted = entries.map((e) =>
    e.kind === 'n' && e.offset > info.at ? { ...e, offset: e.offset + delta } : e,
  );
  const xref =
    `xref\n0 ${count}\n` +
    shifted.map((e) => `${String(e.offset).padStart(10, '0')} ${e.generation} ${e.kind} \n`).join('') +
    `trailer\n${trailerDict}\nstartxref\n${xrefAt + delta}\n%%EOF\n`;
  const out = Buffer.concat([
    bytes.subarray(0, info.at),
    replacement,
    bytes.subarray(info.end, xrefAt),
    Buffer.from(xref, 'latin1'),
  ]);
  return { pdf: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), pages };
}
