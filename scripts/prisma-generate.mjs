// Runs `prisma generate` without the native schema engine, which Prisma's CLI would try to download
// (generate runs on WebAssembly; see ../shared/STACK-NOTES.md, trap 1).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const engine = ['/bin/false', '/usr/bin/false'].find((p) => existsSync(p)) ?? process.execPath;
const result = spawnSync('npx', ['prisma', 'generate', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: engine, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
process.exit(result.status ?? 1);
