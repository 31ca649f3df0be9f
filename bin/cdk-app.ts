import { App } from 'aws-cdk-lib';
import { addNagGate } from '../lib/constructs/nag-acknowledgements.ts';
import { DeployConfigError, parseDeployConfig } from '../lib/deploy-config.ts';
import { createDubanStacks } from '../lib/stacks/create-stacks.ts';

const app = new App();
try {
  const config = parseDeployConfig((key) => app.node.tryGetContext(key));
  createDubanStacks(app, config, {
    // Unset without credentials: the stacks synthesize environment-agnostic.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
} catch (error) {
  if (error instanceof DeployConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
// Every synth is checked; an unacknowledged AwsSolutions error fails `cdk synth`.
addNagGate(app);
app.synth();
