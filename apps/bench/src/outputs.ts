import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';

/** Kept runs go to docs/bench; smoke and trial runs only prove the harness, so they stay out. */
export function outputDir(kept: boolean): string {
  const out = path.resolve(__dirname, kept ? '../../../docs/bench' : '../.results');
  mkdirSync(out, { recursive: true });
  return out;
}

/**
 * Writes a result file as the repository's Prettier would format it, so a fresh run can be
 * committed as it is and `pnpm test` (which checks formatting) still passes.
 */
export async function writeOutput(dir: string, name: string, text: string): Promise<void> {
  const file = path.join(dir, name);
  const options = await prettier.resolveConfig(file);
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
}
