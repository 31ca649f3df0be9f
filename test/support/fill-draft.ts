import { isMap, isSeq, parseDocument } from 'yaml';

/**
 * What a reviewer does to a drafted catalog before `catalog check`: every target marked
 * `to-fill` gets a value (here the reported result, or 1 where the report gives none) and the
 * basis `assumed`; every stock's missing baseline (last year's level) gets one. Comments stay.
 */
export function fillDraft(yaml: string): string {
  const doc = parseDocument(yaml);
  const indicators = doc.get('indicators', true);
  if (!isSeq(indicators)) throw new Error('the draft has no indicators');
  for (const indicator of indicators.items) {
    if (!isMap(indicator)) continue;
    const fields = indicator.toJSON() as Record<string, unknown>;
    const reported = typeof fields.reportedResult === 'number' ? fields.reportedResult : undefined;
    if (fields.baseline === null) indicator.set('baseline', Math.round((reported ?? 0) * 0.9));
    if (fields.targetBasis !== 'to-fill') continue;
    indicator.set('targetBasis', 'assumed');
    if (fields.kind !== 'milestone' && fields.kind !== 'qualitative') indicator.set('target', reported ?? 1);
  }
  return doc.toString({ lineWidth: 0 });
}
