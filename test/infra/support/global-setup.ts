import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The infra project synthesises the app once (test/infra/support/synth-app.ts) into a folder
 * made here, and the folder (a cloud assembly holds ~120 MB of assets) is removed at the end.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'duban-cdk-'));
  process.env.DUBAN_INFRA_OUT = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
