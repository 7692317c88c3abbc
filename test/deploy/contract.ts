// What the deployment files (deploy/kubernetes, compose.yaml) are checked against, read from the code itself:
// the variables the server and the trigger read, and the package.json scripts a container may run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../src/config.js';
import { ROOT } from './kustomize.js';

/** Every variable the server reads (src/config.ts). */
export const serverVariables: ReadonlySet<string> = new Set(Object.keys(envSchema.shape));

/** The variables scripts/trigger.ts reads: its zod environment object's keys (importing the script would run it). */
export function triggerVariables(): ReadonlySet<string> {
  const source = readFileSync(join(ROOT, 'scripts/trigger.ts'), 'utf8');
  const block = /\.object\(\{([\s\S]*?)\}\)\s*\.safeParse\(process\.env\)/.exec(source)?.[1];
  if (!block) throw new Error('scripts/trigger.ts no longer reads its environment with z.object({...}).safeParse(process.env)');
  return new Set([...block.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
}

/** The scripts of package.json (`npm run <name>`). */
export const packageScripts: ReadonlySet<string> = new Set(
  Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts),
);

/** The script a container command runs; throws unless it is exactly `npm run <script>`. */
export function npmScript(command: readonly string[] | undefined, where: string): string {
  const [npm, run, script, ...rest] = command ?? [];
  if (npm !== 'npm' || run !== 'run' || !script || rest.length)
    throw new Error(`${where}: runs ${JSON.stringify(command)}, not npm run <script>`);
  return script;
}

/** The environment the image's runtime stage sets (ENV lines after the Dockerfile's last FROM), under every container's own. */
export function imageEnvironment(): Record<string, string> {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.split(/^FROM\s/m).at(-1) ?? '';
  const pairs = [...runtime.matchAll(/^ENV\s+(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
  return Object.fromEntries(pairs.map((pair) => pair.split('=', 2) as [string, string]));
}
