import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeReport } from '../../../functions/core/catalog-draft/decode-report.ts';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import { FIXTURES, loadLabelledReport } from '../../support/draft-evaluation.ts';

describe('decodeReport', () => {
  it('reads UTF-8, with or without a byte-order mark', () => {
    // Prepare
    const text = '一、2023年工作回顾\n全区地区生产总值完成177.3亿元。';
    const plain = new TextEncoder().encode(text);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);

    // Act
    const a = decodeReport(plain, 'a.txt');
    const b = decodeReport(withBom, 'b.txt');

    // Assess
    expect(a).toEqual({ text, encoding: 'utf-8' });
    expect(b).toEqual({ text, encoding: 'utf-8' });
  });

  it('detects GB18030 (a report saved by a government site) and converts it exactly', () => {
    // Prepare: the committed GB18030 copy of a labelled report (scripts/make-gb18030-fixture.sh)
    const bytes = readFileSync(path.join(FIXTURES, 'longgang-2013-gb18030.txt'));
    const expected = loadLabelledReport('longgang-2013.yaml').text;

    // Act
    const decoded = decodeReport(bytes, 'longgang.txt');

    // Assess
    expect(decoded.encoding).toBe('gb18030');
    expect(decoded.text).toBe(expected);
  });

  it('reads UTF-16 when the file says so with a byte-order mark', () => {
    // Prepare
    const text = '新增技能人才4513人';
    const units = [0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])];

    // Act
    const decoded = decodeReport(new Uint8Array(units), 'u16.txt');

    // Assess
    expect(decoded).toEqual({ text, encoding: 'utf-16le' });
  });

  it('rejects an empty file and bytes that are no Chinese text, naming the file', () => {
    // Prepare
    const binary = new Uint8Array([0x00, 0xff, 0xfe, 0x81, 0x30, 0x00, 0x9a, 0xc3, 0x28, 0xff]);

    // Act + Assess
    expect(() => decodeReport(new Uint8Array(), 'empty.txt')).toThrow(/empty\.txt: the report is empty/);
    expect(() => decodeReport(binary.slice(3), 'junk.bin')).toThrow(InputRejectedError);
    expect(() => decodeReport(binary.slice(3), 'junk.bin')).toThrow(/junk\.bin: .*GB18030/);
  });
});
