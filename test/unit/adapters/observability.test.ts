import { afterEach, describe, expect, it, vi } from 'vitest';
import { beginInvocation, count, observability } from '../../../functions/adapters/observability.ts';
import { METRICS } from '../../../functions/shared/resources.ts';

/** Every warning the instance gives, whichever way Powertools routes it (its Logger or stderr). */
function warningsOf(o: ReturnType<typeof observability>): string[] {
  const warnings: string[] = [];
  vi.spyOn(o.logger, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(String(args[0]));
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    warnings.push(String(chunk));
    return true;
  });
  return warnings;
}

/** The stage and service dimensions of the metrics an instance would publish now. */
function publishedDimensions(o: ReturnType<typeof observability>): unknown {
  count(o, 'Probe');
  const emf = o.metrics.serializeMetrics() as unknown as Record<string, unknown>;
  o.metrics.clearMetrics();
  return { stage: emf[METRICS.stageDimension], service: emf[METRICS.serviceDimension] };
}

describe('handler observability', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('adds the stage once for a warm container, without a warning per invocation', () => {
    // Prepare
    const o = observability('probe');
    const warnings = warningsOf(o);

    // Act
    for (let i = 0; i < 3; i++) beginInvocation(o, 'prod', { awsRequestId: `req-${i}` });

    // Assess
    expect(warnings).toEqual([]);
    expect(publishedDimensions(o)).toEqual({ stage: 'prod', service: 'probe' });
  });

  it('follows a changed stage, still without a warning', () => {
    // Prepare
    const o = observability('probe');
    const warnings = warningsOf(o);
    beginInvocation(o, 'prod');

    // Act
    beginInvocation(o, 'test');

    // Assess
    expect(warnings).toEqual([]);
    expect(publishedDimensions(o)).toEqual({ stage: 'test', service: 'probe' });
  });
});
