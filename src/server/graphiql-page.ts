// GraphiQL's page with its scripts and styles inlined (Yoga's default page loads them from a CDN, which
// offline machines and strict networks cannot reach). The renderer module is ~9 MB of JavaScript that
// costs ~45 MB of memory for good once imported, so a short-lived child process renders the page once per
// set of options into a file, and each page view reads that file.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GraphiQLOptions } from 'graphql-yoga';

const run = promisify(execFile);
const RENDERER = createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql');
// Written aside and renamed, so another process (or a restart) never reads a half-written page.
const RENDER = `const { renderGraphiQL } = require(process.argv[1]);
const fs = require('node:fs');
const aside = process.argv[2] + '.' + process.pid;
fs.writeFileSync(aside, renderGraphiQL(JSON.parse(process.argv[3])), { mode: 0o600 });
fs.renameSync(aside, process.argv[2]);`;

export function createGraphiQLRenderer(dir = tmpdir()): (options: GraphiQLOptions) => Promise<Uint8Array<ArrayBuffer>> {
  const files = new Map<string, Promise<string>>();
  return async (options) => {
    const json = JSON.stringify(options ?? {});
    let file = files.get(json);
    if (!file) {
      // The options may hold a (development) token: the file name is a digest, the file private. One file
      // per options, rendered again by each process (a new version of the renderer may render differently).
      const path = join(
        dir,
        `weekly-pulse-graphiql-${createHash('sha256')
          .update(RENDERER + json)
          .digest('hex')
          .slice(0, 16)}.html`,
      );
      file = run(process.execPath, ['-e', RENDER, RENDERER, path, json]).then(() => path);
      file.catch(() => files.delete(json));
      files.set(json, file);
    }
    return (await readFile(await file)) as Uint8Array<ArrayBuffer>;
  };
}
