import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { type ReadOptions, readWorkbook } from '../../../functions/adapters/workbook/workbook-reader.ts';
import { WorkbookRejectedError } from '../../../functions/adapters/workbook/zip-guard.ts';
import type { ParsedWorkbook } from '../../../functions/core/ingest/parsed-workbook.ts';
import { DEFAULT_LIMITS } from '../../../functions/core/ingest/upload-limits.ts';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../support/property-runs.ts';
import { ingestTemplate } from '../../support/template-workbooks.ts';

/**
 * The strict sheet scanner against saxes, its reference: for every sheet the scanner
 * accepts, the ParsedWorkbook must be the one saxes yields; for everything else the
 * reader must answer exactly what saxes answers (same workbook or same problem code).
 */

const SPREADSHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const STRINGS = ['指标编码', 'A&amp;B', '&#x4E2D;文', '', 'ECO-FAI'];
const STYLES =
  '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/></cellXfs></styleSheet>';

/** A workbook whose 填报 and _meta are both the given sheet part, so both row modes are compared. */
function workbookWith(sheet: string): Uint8Array {
  const part = strToU8(sheet);
  return zipSync({
    'xl/workbook.xml': strToU8(
      '<workbook xmlns:r="r"><sheets><sheet name="填报" sheetId="1" r:id="rId1"/><sheet name="_meta" sheetId="2" r:id="rId2"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>',
    ),
    'xl/sharedStrings.xml': strToU8(`<sst>${STRINGS.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`),
    'xl/styles.xml': strToU8(STYLES),
    'xl/worksheets/sheet1.xml': part,
    'xl/worksheets/sheet2.xml': part,
  });
}

type Outcome = { workbook: ParsedWorkbook } | { code: string };

function outcome(bytes: Uint8Array, options: ReadOptions): Outcome {
  try {
    return { workbook: readWorkbook(bytes, options) };
  } catch (error) {
    if (error instanceof WorkbookRejectedError) return { code: error.problem.code };
    throw error;
  }
}

/** Both readers on one file, and the parts the strict scanner handed to saxes. */
function readBoth(bytes: Uint8Array, limits = DEFAULT_LIMITS) {
  const fallbacks: string[] = [];
  const strict = outcome(bytes, { limits, onScannerFallback: (part) => fallbacks.push(part) });
  const saxes = outcome(bytes, { limits, scanner: 'saxes' });
  return { strict, saxes, fallbacks };
}

// ---------------------------------------------------------------------------------------
// Sheets inside the subset Excel, exceljs and LibreOffice write.

const space = fc.constantFrom('', '', '', '\n', '\r\n  ', '\t', ' ');
const sep = fc.constantFrom(' ', ' ', '  ', '\n', '\r\n', '\t');

/** Character data: plain text, CJK, the predefined entities, character references, CR LF, a lone ]. */
const text = fc
  .array(
    fc.constantFrom(
      '12.5',
      '-3',
      '1e3',
      ' 7 ',
      'abc',
      '中文',
      '&amp;',
      '&lt;',
      '&gt;',
      '&quot;',
      '&apos;',
      '&#65;',
      '&#x4E2D;',
      '&#x1F600;',
      '&#13;',
      '\r\n',
      '\r',
      '\n',
      ']',
      '>',
      '"',
      "'",
      '%',
      '😀',
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''))
  // "]]>" is not character data; the scanner hands it to saxes (tested below).
  .filter((t) => !t.includes(']]>'));

function attribute(name: string, value: string, quote: string, around: string): string {
  const escaped = quote === '"' ? value.replace(/"/g, '&quot;') : value.replace(/'/g, '&apos;');
  return `${name}${around}=${around}${quote}${escaped}${quote}`;
}

const quote = fc.constantFrom('"', "'");
const aroundEquals = fc.constantFrom('', '', '', ' ');

const column = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'K', 'AA', '&#69;', 'E&amp;', '');
const cellType = fc.constantFrom(undefined, 's', 'n', 'str', 'inlineStr', 'b', 'e', 'd', 'x');
const cellStyle = fc.constantFrom(undefined, '0', '1', '2', '007', '12', '');

const cellValue = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.constant({ kind: 'empty' as const }),
  fc.record({
    kind: fc.constant('v' as const),
    v: fc.oneof(text, fc.integer({ min: -2, max: 7 }).map(String)),
  }),
  fc.record({
    kind: fc.constant('f' as const),
    f: fc.constantFrom('SUM(A1:B2)', 'A1&amp;B1', ''),
    v: fc.option(text, { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('is' as const),
    runs: fc.array(text, { minLength: 1, maxLength: 3 }),
    rich: fc.boolean(),
  }),
);

const cell = fc.record({
  column,
  type: cellType,
  style: cellStyle,
  value: cellValue,
  // An attribute the reader ignores, with any character data (raw CR LF, entities) in it.
  extra: fc.option(text, { nil: undefined }),
  sep,
  order: fc.integer({ min: 0, max: 5 }),
  quote,
  around: aroundEquals,
  inner: space,
});

type Cell = typeof cell extends fc.Arbitrary<infer T> ? T : never;

const row = fc.record({
  r: fc.oneof(fc.integer({ min: 1, max: 40 }).map(String), fc.constantFrom(undefined, '', '007')),
  spans: fc.boolean(),
  cells: fc.array(cell, { maxLength: 7 }),
  quote,
  gap: space,
});

type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

function permute<T>(items: T[], seed: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (seed * 7 + i * 3) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function cellXml(c: Cell, rowNumber: string | undefined, p: string): string {
  const attrs: string[] = [];
  if (c.column !== '') attrs.push(attribute('r', `${c.column}${rowNumber ?? ''}`, c.quote, c.around));
  if (c.type !== undefined) attrs.push(attribute('t', c.type, c.quote, c.around));
  if (c.style !== undefined) attrs.push(attribute('s', c.style, c.quote, c.around));
  if (c.extra !== undefined) attrs.push(attribute('x14ac:note', c.extra, c.quote, c.around));
  const open = `${p}c${permute(attrs, c.order)
    .map((a) => `${c.sep}${a}`)
    .join('')}`;
  const v = c.value;
  switch (v.kind) {
    case 'none':
      return `<${open}${c.inner}/>`;
    case 'empty':
      return `<${open}></${p}c>`;
    case 'v':
      return `<${open}>${c.inner}<${p}v>${v.v}</${p}v>${c.inner}</${p}c>`;
    case 'f':
      return `<${open}><${p}f>${v.f}</${p}f>${v.v === undefined ? '' : `<${p}v>${v.v}</${p}v>`}</${p}c>`;
    case 'is': {
      const runs = v.rich
        ? v.runs.map(
            (t) => `<${p}r><${p}rPr><${p}b/></${p}rPr><${p}t xml:space="preserve">${t}</${p}t></${p}r>`,
          )
        : [`<${p}t>${v.runs.join('')}</${p}t>`];
      return `<${open}><${p}is>${runs.join(c.inner)}</${p}is></${p}c>`;
    }
  }
}

function rowXml(r: Row, p: string): string {
  const attrs = [
    ...(r.r === undefined ? [] : [attribute('r', r.r, r.quote, '')]),
    ...(r.spans ? [attribute('spans', '1:6', r.quote, '')] : []),
  ];
  const cells = r.cells.map((c) => cellXml(c, r.r, p)).join(r.gap);
  const open = `${p}row${attrs.map((a) => ` ${a}`).join('')}`;
  return cells === '' && r.spans ? `<${open}/>` : `<${open}>${cells}</${p}row>`;
}

const declaration = fc.constantFrom(
  '',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n',
  "<?xml version='1.0' encoding='utf-8'?>",
  '<?xml version="1.0"?>\n',
  '<?xml version="1.0" standalone="no" ?>',
);

/** '' (unprefixed), 'x:' on every element, or 'x:' on the cells only (the root unprefixed). */
const prefixing = fc.constantFrom('none', 'all', 'cells');

const sheet = fc
  .record({ declaration, prefixing, rows: fc.array(row, { maxLength: 8 }), gap: space, extras: fc.boolean() })
  .map(({ declaration, prefixing, rows, gap, extras }) => {
    const root = prefixing === 'all' ? 'x:' : '';
    const p = prefixing === 'none' ? '' : 'x:';
    const before = extras
      ? `<${root}dimension ref="A1:F9"/>${gap}<${root}sheetViews><${root}sheetView workbookViewId="0"><${root}selection activeCell="E2" sqref="E2"/></${root}sheetView></${root}sheetViews><${root}cols><${root}col min="1" max="2" width="12.5" customWidth="1"/></${root}cols>`
      : '';
    const after = extras
      ? `<${root}pageMargins left="0.7" right="0.7"/><${root}extLst><${root}ext uri="{78C0D931}" xmlns:x14="x14"><x14:c x14:v="1"/></${root}ext></${root}extLst>`
      : '';
    const data = rows.map((r) => rowXml(r, p)).join(gap);
    return `${declaration}<${root}worksheet xmlns${root ? ':x' : ''}="${SPREADSHEET_NS}"${root ? ` xmlns="${SPREADSHEET_NS}"` : ''}>${gap}${before}<${root}sheetData>${gap}${data}${gap}</${root}sheetData>${after}${gap}</${root}worksheet>${gap}`;
  });

describe('strict sheet scanner against saxes', () => {
  it(
    'reads every sheet of the subset itself, into exactly the workbook saxes yields',
    () => {
      fc.assert(
        fc.property(sheet, (xml) => {
          // Act
          const { strict, saxes, fallbacks } = readBoth(workbookWith(xml));

          // Assess
          expect(fallbacks).toEqual([]);
          expect(strict).toStrictEqual(saxes);
        }),
        propertyRuns('sheet scanner: subset', 300, 20240301),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers what saxes answers for sheets outside the subset: same workbook or same problem code',
    () => {
      const snippet = fc.constantFrom(
        '<!-- note -->',
        '<!DOCTYPE worksheet [<!ENTITY e "x">]>',
        '<![CDATA[1]]>',
        '<?mso-application progid="Excel.Sheet"?>',
        '&e;',
        '&xxe;',
        '&#0;',
        '&#X41;',
        '&#xD800;',
        '&amp',
        '&',
        '<',
        '>',
        ']]>',
        '</c>',
        '</row>',
        '<c',
        '<c r="A1" r="B1"/>',
        '<v>',
        '"',
        "'",
        '=',
        '/',
        ' ',
        '\u0001',
        '\uFFFE',
        'é',
        '<é/>',
        '<:c/>',
        '<c/ >',
        '<c r=A1/>',
        '<c r="A1"s="1"/>',
        '<root2/>',
      );
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), snippet }),
        fc.record({
          kind: fc.constant('delete' as const),
          at: fc.nat(),
          length: fc.integer({ min: 1, max: 4 }),
        }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      );
      fc.assert(
        fc.property(sheet, fc.array(mutation, { minLength: 1, maxLength: 2 }), (xml, mutations) => {
          // Prepare
          let mutated = xml;
          for (const m of mutations) {
            const at = m.at % (mutated.length + 1);
            if (m.kind === 'insert') mutated = mutated.slice(0, at) + m.snippet + mutated.slice(at);
            else if (m.kind === 'delete') mutated = mutated.slice(0, at) + mutated.slice(at + m.length);
            else mutated = mutated.slice(0, at);
          }

          // Act
          const { strict, saxes } = readBoth(workbookWith(mutated));

          // Assess
          expect(strict).toStrictEqual(saxes);
        }),
        propertyRuns('sheet scanner: outside the subset', 400, 20240302),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('strict sheet scanner fallbacks', () => {
  const rows = '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="E2"><v>12.5</v></c></row>';
  const plain = (body: string, prolog = '') =>
    `${prolog}<worksheet><sheetData>${body}</sheetData></worksheet>`;
  const cases: { name: string; xml: string; code?: string }[] = [
    { name: 'a comment', xml: plain(`<!-- c -->${rows}`) },
    { name: 'CDATA', xml: plain('<row r="2"><c r="E2"><v><![CDATA[7]]></v></c></row>') },
    { name: 'a DOCTYPE', xml: plain(rows, '<!DOCTYPE worksheet>'), code: 'xml-entity' },
    {
      name: 'an internal entity declaration',
      xml: plain('<row r="2"><c r="E2"><v>&e;</v></c></row>', '<!DOCTYPE w [<!ENTITY e "1">]>'),
      code: 'xml-entity',
    },
    { name: 'a processing instruction', xml: plain(rows, '<?xml-stylesheet href="a"?>') },
    { name: 'an XML 1.1 declaration', xml: plain(rows, '<?xml version="1.1"?>') },
    {
      name: 'an undefined entity',
      xml: plain('<row r="2"><c r="E2"><v>&nbsp;</v></c></row>'),
      code: 'xml-entity',
    },
    { name: 'an undefined entity in an attribute', xml: plain('<row r="&x;"/>'), code: 'xml-entity' },
    {
      name: 'a bad character reference',
      xml: plain('<row r="2"><c r="E2"><v>&#1;</v></c></row>'),
      code: 'xml-entity',
    },
    {
      name: 'a mismatched close tag',
      xml: plain('<row r="2"><c r="E2"><v>1</c></v></row>'),
      code: 'xml-malformed',
    },
    {
      name: 'a duplicate attribute',
      xml: plain('<row r="2"><c r="E2" r="F2"><v>1</v></c></row>'),
      code: 'xml-malformed',
    },
    { name: 'an unquoted attribute', xml: plain('<row r=2></row>'), code: 'xml-malformed' },
    { name: 'attributes without whitespace', xml: plain('<row r="2"s="1"></row>'), code: 'xml-malformed' },
    {
      name: 'a disallowed character',
      xml: plain('<row r="2"><c r="E2"><v>1\u0001</v></c></row>'),
      code: 'xml-malformed',
    },
    { name: ']]> in text', xml: plain('<row r="2"><c r="E2"><v>]]></v></c></row>'), code: 'xml-malformed' },
    { name: 'a second root', xml: `${plain(rows)}<worksheet/>`, code: 'xml-malformed' },
    { name: 'text after the root', xml: `${plain(rows)}x`, code: 'xml-malformed' },
    { name: 'an unclosed root', xml: `<worksheet><sheetData>${rows}`, code: 'xml-malformed' },
    { name: 'a non-ASCII tag name', xml: plain(`<数据/>${rows}`) },
  ];

  for (const { name, xml, code } of cases) {
    it(`hands ${name} to saxes${code ? `, which refuses it with ${code}` : ''}`, () => {
      // Act
      const { strict, saxes, fallbacks } = readBoth(workbookWith(xml));

      // Assess: a refusal stops at the data sheet; an accepted file falls back for _meta too.
      expect(strict).toStrictEqual(saxes);
      if (code) {
        expect(strict).toEqual({ code });
        expect(fallbacks).toEqual(['xl/worksheets/sheet1.xml']);
      } else {
        expect(strict).toHaveProperty('workbook');
        expect(fallbacks).toEqual(['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']);
      }
    });
  }

  it('reads TAB, LF and CR in attribute values as spaces, as saxes does, without falling back', () => {
    // Prepare
    const xml = plain(
      '<row r="2"><c r="E\r\n2" s="1\t"><v>0.5</v></c><c r="F2"\r\nt="str"><v>a\r\nb\rc</v></c></row>',
    );

    // Act
    const { strict, saxes, fallbacks } = readBoth(workbookWith(xml));

    // Assess
    expect(fallbacks).toEqual([]);
    expect(strict).toStrictEqual(saxes);
    expect(strict).toHaveProperty('workbook.data.rows.0.cells.5.value', 'a\nb\nc');
  });

  it('reports too many rows itself, as saxes does, without handing the sheet to saxes', () => {
    // Prepare
    const many = Array.from(
      { length: 30 },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`,
    );

    // Act
    const { strict, saxes, fallbacks } = readBoth(workbookWith(plain(many.join(''))), {
      ...DEFAULT_LIMITS,
      maxRows: 20,
    });

    // Assess
    expect(fallbacks).toEqual([]);
    expect(strict).toEqual({ code: 'too-many-rows' });
    expect(saxes).toEqual(strict);
  });

  it('refuses a sheet that inflates beyond its declared size as the capped inflater always has', () => {
    // Prepare: the directory and the local header understate sheet1.xml by one byte.
    const xml = plain(rows.repeat(50));
    const bytes = workbookWith(xml);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const name = strToU8('xl/worksheets/sheet1.xml');
    const named = (lengthAt: number, nameAt: number) =>
      view.getUint16(lengthAt, true) === name.length && name.every((b, k) => bytes[nameAt + k] === b);
    for (let at = 0; at + 46 < bytes.length; at++) {
      const signature = view.getUint32(at, true);
      if (signature === 0x04034b50 && named(at + 26, at + 30)) view.setUint32(at + 22, xml.length - 1, true);
      if (signature === 0x02014b50 && named(at + 28, at + 46)) view.setUint32(at + 24, xml.length - 1, true);
    }

    // Act
    const { strict, saxes } = readBoth(bytes);

    // Assess
    expect(saxes).toEqual({ code: 'zip-size-mismatch' });
    expect(strict).toEqual(saxes);
  });

  it('reads a department template as exceljs writes it without falling back', async () => {
    // Prepare
    const bytes = await ingestTemplate({ catalogVersion: 2 });

    // Act
    const { strict, saxes, fallbacks } = readBoth(bytes);

    // Assess
    expect(fallbacks).toEqual([]);
    expect(strict).toStrictEqual(saxes);
    expect(strict).toHaveProperty('workbook.data.rows.0.cells.0.value', '指标编码');
  });
});
