import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { type DeployConfig, parseDeployConfig } from '../../../lib/deploy-config.ts';
import { createDubanStacks, type DubanStacks } from '../../../lib/stacks/create-stacks.ts';
import { TEST_CONTEXT } from '../../support/deploy-context.ts';

export { TEST_CONTEXT };

export interface Synthesized {
  readonly app: App;
  readonly config: DeployConfig;
  readonly stacks: DubanStacks;
  readonly stateful: Template;
  readonly stateless: Template;
  readonly assembly: CloudAssembly;
}

let shared: Synthesized | undefined;

/**
 * The app, built and synthesised (bundling included) once per infra run: the project runs its
 * files one after another in one worker without isolation, so every file gets this same
 * synthesis. The global setup names the output folder and removes it afterwards.
 */
export function sharedSynth(): Synthesized {
  shared ??= synthApp(process.env.DUBAN_INFRA_OUT ?? mkdtempSync(join(tmpdir(), 'duban-cdk-')));
  return shared;
}

function synthApp(outdir: string, context: Record<string, unknown> = TEST_CONTEXT): Synthesized {
  const app = new App({ outdir, context });
  const config = parseDeployConfig((key) => app.node.tryGetContext(key));
  const stacks = createDubanStacks(app, config, {
    env: { account: '123456789012', region: 'cn-north-1' },
  });
  const assembly = app.synth();
  return {
    app,
    config,
    stacks,
    stateful: Template.fromStack(stacks.stateful),
    stateless: Template.fromStack(stacks.stateless),
    assembly,
  };
}
