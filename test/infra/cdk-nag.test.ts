import type { PolicyViolation } from 'aws-cdk-lib';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNagGate, DubanNagChecks } from '../../lib/constructs/nag-acknowledgements.ts';
import { parseDeployConfig } from '../../lib/deploy-config.ts';
import { StatefulStack } from '../../lib/stacks/stateful-stack.ts';
import { sharedSynth, TEST_CONTEXT } from './support/synth-app.ts';

let app: App;
let violations: PolicyViolation[];

beforeAll(() => {
  const synthesized = sharedSynth();
  app = synthesized.app;
  violations = new DubanNagChecks(app).validateScope(app).violations;
});

const describeViolations = (list: PolicyViolation[]) =>
  list.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

describe('cdk-nag AwsSolutions gate', () => {
  it('reports no unacknowledged error in either stack', () => {
    // Act
    const errors = violations.filter((v) => v.severity === 'error');

    // Assess
    expect(describeViolations(errors)).toEqual([]);
  });

  it('reports no unacknowledged warning either', () => {
    // Act
    const warnings = violations.filter((v) => v.severity !== 'error');

    // Assess
    expect(describeViolations(warnings)).toEqual([]);
  });

  it('records every acknowledgement on a resource or construct, never on a stack or the app, with a reason', () => {
    // Prepare
    const found: { path: string; id: string; reason: unknown; isStack: boolean }[] = [];

    // Act
    for (const node of app.node.findAll()) {
      for (const entry of node.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
          found.push({ path: node.node.path, id, reason, isStack: Stack.isStack(node) || node === app });
        }
      }
    }

    // Assess
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((f) => f.isStack)).toEqual([]);
    for (const f of found) expect(String(f.reason).length, `${f.id} at ${f.path}`).toBeGreaterThan(20);
  });

  it('still fails when someone adds a wildcard that was not declared', () => {
    // Prepare
    const bare = new App({ context: TEST_CONTEXT });
    const config = parseDeployConfig((key) => bare.node.tryGetContext(key));
    const stack = new StatefulStack(bare, 'Wildcard', { config });
    stack.access.leader.addToPolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));

    // Act
    const report = new DubanNagChecks(bare).validateScope(bare);

    // Assess
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-IAM5[Action::s3:*]', 'AwsSolutions-IAM5[Resource::*]']),
    );
  });

  it('makes synth fail when registered on the app the way bin/cdk-app.ts does', () => {
    // Prepare
    const bare = new App({ context: TEST_CONTEXT });
    const config = parseDeployConfig((key) => bare.node.tryGetContext(key));
    const stack = new StatefulStack(bare, 'Gate', { config });
    stack.access.auditor.addToPolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: ['*'] }));
    addNagGate(bare);

    // Act
    const synth = () => bare.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });
});
