import type { ManifestContent } from '../../functions/core/bulletin/manifest.ts';

/** The manifest of version `version` of the December 2023 bulletin, with one fgw submission. */
export function manifestContent(version: number): ManifestContent {
  return {
    period: '2023-12',
    version,
    title: '解放区2023年政府工作报告目标任务进度通报（2023年12月）',
    generatedAt: '2024-01-05T00:00:00.000Z',
    generatorVersion: 'duban test',
    catalog: { year: 2023, version: 1, contentHash: 'c'.repeat(64) },
    submissionVersions: { '2023-12': { fgw: version } },
    inputsHash: String(version).repeat(64),
    previousVersion: version > 1 ? version - 1 : null,
    statusCounts: { 达进度: 1 },
    headline: ['全区1项指标中，1项达到序时进度。'],
  };
}

/** A file of a bulletin version, its body the given text. */
export function pdfFile(name: string, text: string) {
  return { name, body: new TextEncoder().encode(text), contentType: 'application/pdf' };
}
