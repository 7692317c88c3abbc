// The container image without a Docker engine: this test runs the Dockerfile's own instructions (COPY from a
// build context that honours .dockerignore, RUN, ENV, WORKDIR) in temporary folders, then starts the runtime
// stage's CMD as its USER on a read-only tree against a fresh PostgreSQL database that db:migrate:prod
// migrated, and checks /healthz, /readyz, a signed-in query, the HEALTHCHECK and trigger:prod.
// An instruction it does not know fails the test, so the Dockerfile cannot do what this test does not run.
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  chownSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  chmodSync,
  copyFileSync,
  statSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import dockerignoreModule from '@balena/dockerignore';
import { type Arg, type Cmd, DockerfileParser, type Env, type From, type ModifiableInstruction } from 'dockerfile-ast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../src/infra/auth/jwt.js';
import { TEST_JWT_SECRET, TEST_SERVICE_TOKEN } from '../kit/api.js';
import { createEmptyDatabase, testDatabaseMode, type TestDatabase } from '../kit/database.js';
import { dropPrefix, freePort, redisUrl, uniquePrefix } from '../kit/redis.js';
import { seedTeam, viewersOf } from '../kit/scenarios.js';
import { killServerProcesses, postGraphQL, startServerProcess, waitFor, type ServerProcess } from '../kit/server-process.js';

// Its types declare an ES default export; its CommonJS module.exports is the factory itself.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** What one stage of the Dockerfile does, in order. */
interface Stage {
  name: string;
  image: string;
  /** WORKDIR, an absolute path inside the image. */
  workdir: string;
  env: Record<string, string>;
  steps: Step[];
  user?: string;
  cmd?: string[];
  healthcheck?: string[];
}

type Step = { copy: { from?: string; sources: string[]; dest: string } } | { run: string };

function flagsOf(instruction: ModifiableInstruction): Map<string, string> {
  return new Map(instruction.getFlags().map((flag) => [flag.getName(), flag.getValue() ?? '']));
}

/** Reads the Dockerfile into stages; throws on any instruction or flag this test cannot run. */
function readRecipe(): Stage[] {
  const file = DockerfileParser.parse(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  const unsupported = (what: string) => new Error(`the image recipe test cannot run ${what}: teach test/deploy/image-recipe.test.ts`);
  for (const instruction of file.getInstructions()) {
    const keyword = instruction.getKeyword();
    const content = (instruction.getArgumentsContent() ?? '').replace(/\\\n/g, ' ').trim();
    const stage = stages.at(-1);
    if (keyword === 'ARG' && !stage) {
      const property = (instruction as Arg).getProperty();
      if (property) args.set(property.getName(), property.getValue() ?? '');
      continue;
    }
    if (keyword === 'FROM') {
      const from = instruction as From;
      const image = (from.getImage() ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => args.get((a ?? b)!) ?? '');
      stages.push({ name: from.getBuildStage() ?? String(stages.length), image, workdir: '/', env: {}, steps: [] });
      continue;
    }
    if (!stage) throw unsupported(`${keyword} before FROM`);
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = posix.resolve(stage.workdir, content);
        break;
      case 'ENV':
        for (const property of (instruction as Env).getProperties()) stage.env[property.getName()] = property.getValue() ?? '';
        break;
      case 'COPY': {
        const flags = flagsOf(instruction as ModifiableInstruction);
        if ([...flags.keys()].some((name) => name !== 'from')) throw unsupported(`COPY ${content}`);
        const from = flags.get('from');
        if (from !== undefined && !stages.some((earlier) => earlier.name === from))
          throw unsupported(`COPY --from=${from} (not an earlier stage)`);
        const paths = instruction.getArguments().map((argument) => argument.getValue());
        stage.steps.push({ copy: { from, sources: paths.slice(0, -1), dest: paths.at(-1)! } });
        break;
      }
      case 'RUN': {
        // A cache mount only speeds the build up; here npm uses the runner's own cache.
        const flags = flagsOf(instruction as ModifiableInstruction);
        if ([...flags].some(([name, value]) => name !== 'mount' || !value.startsWith('type=cache,'))) throw unsupported(`RUN flags`);
        if (content.startsWith('[')) throw unsupported('RUN in exec form');
        stage.steps.push({ run: content });
        break;
      }
      case 'USER':
        stage.user = content;
        break;
      case 'EXPOSE':
        break;
      case 'CMD':
        if (!content.startsWith('[')) throw unsupported('CMD in shell form (the server would not be PID 1)');
        stage.cmd = (instruction as Cmd).getJSONStrings().map((s) => s.getJSONValue());
        break;
      case 'HEALTHCHECK': {
        const command = /^CMD\s+(\[.*\])$/s.exec(content);
        if (!command) throw unsupported(`HEALTHCHECK ${content} (only CMD in exec form)`);
        stage.healthcheck = JSON.parse(command[1]!) as string[];
        break;
      }
      default:
        throw unsupported(keyword);
    }
  }
  return stages;
}

/** The files `docker build .` sends: a clean checkout's (tracked, plus new files git does not ignore) less .dockerignore's. */
function buildContext(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  const files = listed.split('\0').filter((file) => file && existsSync(join(ROOT, file)));
  return dockerignore()
    .add(readFileSync(join(ROOT, '.dockerignore'), 'utf8'))
    .filter(files);
}

const stages = readRecipe();
const runtime = stages.at(-1)!;
const [uid, gid] = (runtime.user ?? 'root').split(':').map(Number) as [number, number | undefined];

describe('the Dockerfile', () => {
  it('builds on the pinned Node, runs start:prod as a non-root user and checks /healthz with Node, not curl', () => {
    const nvmrc = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim();
    for (const stage of stages)
      expect(stage.image, stage.name).toMatch(new RegExp(`^node:${nvmrc.replaceAll('.', '\\.')}-bookworm-slim(@sha256:[0-9a-f]{64})?$`));
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);

    // Numeric, so Kubernetes' runAsNonRoot can check it without /etc/passwd.
    expect(runtime.user).toMatch(/^\d+:\d+$/);
    expect(uid).not.toBe(0);
    expect(runtime.env.NODE_ENV).toBe('production');
    expect(runtime.cmd?.join(' ')).toBe(packageJson.scripts['start:prod']);
    expect(runtime.healthcheck?.[0]).toBe('node');
    expect(runtime.healthcheck?.join(' ')).toContain('/healthz');

    const runs = (stage: Stage) => stage.steps.flatMap((step) => ('run' in step ? [step.run] : []));
    expect(runs(stages[0]!).join(' && ')).toMatch(
      /npm ci .*npm run build && npm run build:scripts && npm prune --omit=dev --omit=optional/,
    );
    // Nothing is installed or run at build time in the runtime stage: it only copies the build's results.
    expect(runs(runtime)).toEqual([]);
    // The Job and the CronJob run compiled scripts: tsx and TypeScript sources are not in the image.
    expect(packageJson.scripts['db:migrate:prod']).toMatch(/^node dist-scripts\//);
    expect(packageJson.scripts['trigger:prod']).toMatch(/^node dist-scripts\//);
  });

  it('receives, through .dockerignore, what the build reads and nothing else', () => {
    const context = buildContext();
    for (const needed of [
      'package.json',
      'package-lock.json',
      'prisma/schema.prisma',
      'src/main.ts',
      'scripts/migrate.ts',
      'tsconfig.scripts.json',
    ]) {
      expect(context).toContain(needed);
    }
    expect(context.some((file) => file.startsWith('patches/'))).toBe(true);
    expect(context.some((file) => file.startsWith('prisma/migrations/'))).toBe(true);
    expect(context.filter((file) => /^(test|bench|docs|node_modules|dist|\.git|\.ci|src\/generated)\/|^\.env|^README/.test(file))).toEqual(
      [],
    );
  });
});

describe.runIf(testDatabaseMode() === 'postgres')('the image, built and run by its recipe', () => {
  let work: string;
  let app: string;
  let runtimeEnv: NodeJS.ProcessEnv;
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  const redis = redisUrl();
  const keyPrefix = uniquePrefix();

  /** Where a stage's path lies here: each stage's WORKDIR is a folder of its own. */
  const inStage = (stage: Stage, path: string) => {
    const absolute = posix.resolve(stage.workdir, path);
    if (absolute !== stage.workdir && !absolute.startsWith(`${stage.workdir}/`))
      throw new Error(`${path} is outside WORKDIR ${stage.workdir}`);
    return join(work, 'stages', stage.name, posix.relative(stage.workdir, absolute));
  };

  /** Runs a command as the image's USER in its WORKDIR, with the image's environment plus `env`. */
  function runAsUser(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    const child = spawn(command, args, { cwd: app, env: { ...runtimeEnv, ...env }, uid, gid });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
  }

  beforeAll(async () => {
    expect(process.getuid?.(), 'the recipe test switches to the image USER: run it as root, as CI does').toBe(0);
    work = mkdtempSync(join(tmpdir(), 'wp-image-'));
    // The image's user must reach its tree, as in an image whose / is world-readable.
    chmodSync(work, 0o755);
    const context = join(work, 'context');
    for (const file of buildContext()) {
      mkdirSync(dirname(join(context, file)), { recursive: true });
      cpSync(join(ROOT, file), join(context, file), { verbatimSymlinks: true });
    }
    const buildEnv = {
      PATH: `${dirname(process.execPath)}:${SYSTEM_PATH}`,
      // npm's cache in the runner's home stands for the build's cache mount; offline first, as that mount would.
      HOME: homedir(),
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
    };
    for (const stage of stages) {
      mkdirSync(inStage(stage, '.'), { recursive: true });
      for (const step of stage.steps) {
        if ('run' in step) {
          await promisify(execFile)('/bin/sh', ['-c', step.run], {
            cwd: inStage(stage, '.'),
            env: { ...buildEnv, ...stage.env },
            maxBuffer: 1 << 26,
          }).catch((error: Error & { stdout?: string; stderr?: string }) => {
            throw new Error(`RUN ${step.run} failed in stage ${stage.name}:\n${error.stdout}\n${error.stderr}`);
          });
          continue;
        }
        const { from, sources, dest } = step.copy;
        const source = (path: string) => (from ? inStage(stages.find((s) => s.name === from)!, path) : join(context, path));
        const intoFolder = dest.endsWith('/') || sources.length > 1;
        for (const path of sources) {
          const target =
            intoFolder && !statSync(source(path)).isDirectory() ? join(inStage(stage, dest), posix.basename(path)) : inStage(stage, dest);
          mkdirSync(dirname(target), { recursive: true });
          // A folder's contents go into the destination, symlinks as they are (as COPY does).
          cpSync(source(path), target, { recursive: true, verbatimSymlinks: true });
        }
      }
    }
    app = inStage(runtime, '.');
    // COPY leaves files owned by root; the server's user must not be able to change them anyway.
    execFileSync('chmod', ['-R', 'a-w', app]);
    // The image's Node: a link to this runner's (its own folder may not be reachable by the image's user).
    const bin = join(work, 'image-bin');
    mkdirSync(bin);
    try {
      linkSync(process.execPath, join(bin, 'node'));
    } catch {
      copyFileSync(process.execPath, join(bin, 'node'));
    }
    // The only writable place: a folder in /tmp of the image's user.
    const home = join(work, 'home');
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, uid, gid ?? uid);
    runtimeEnv = { PATH: `${bin}:${SYSTEM_PATH}`, HOME: home, TMPDIR: home, ...runtime.env };
    db = await createEmptyDatabase();
  }, 900_000);

  afterAll(async () => {
    killServerProcesses();
    await db?.destroy();
    if (redis) await dropPrefix(redis, keyPrefix);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const deployEnv = (port: number): Record<string, string | undefined> => ({
    DATABASE_URL: db.url,
    REDIS_URL: redis,
    REDIS_KEY_PREFIX: keyPrefix,
    JWT_SECRET: TEST_JWT_SECRET,
    SERVICE_TOKEN: TEST_SERVICE_TOKEN,
    PORT: String(port),
    // The container's own default: every interface.
    HOST: undefined,
  });

  it('has no dev dependency, and the patched packages as patched', async () => {
    const modules = join(app, 'node_modules');
    for (const devOnly of ['prisma', 'typescript', 'vitest', '@biomejs/biome', '@graphql-codegen/cli'])
      expect(existsSync(join(modules, devOnly)), devOnly).toBe(false);
    for (const needed of ['@prisma/client', '@prisma/adapter-pg', 'graphql-yoga', '@pothos/core'])
      expect(existsSync(join(modules, needed)), needed).toBe(true);
    // patch-package on the read-only tree: it can only say that each patch is already applied.
    const patches = join(inStage(stages[0]!, '.'), 'patches');
    const check = await runAsUser('node', ['node_modules/patch-package/index.js', '--patch-dir', relative(app, patches)]);
    expect(check.code, check.output).toBe(0);
    expect(check.output.match(/✔/g)?.length, check.output).toBe(readdirSync(patches).length);
  });

  it('migrates a fresh database with db:migrate:prod', async () => {
    // As the Kubernetes Job runs it: production mode, the database's URL and nothing else (no JWT_SECRET).
    const migrate = await runAsUser('npm', ['run', 'db:migrate:prod'], { DATABASE_URL: db.url });
    expect(migrate.code, migrate.output).toBe(0);
    const migrations = readdirSync(join(app, 'prisma/migrations'), { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(migrate.output).toContain(`applied ${migrations.length} migration(s)`);
  });

  it('starts its CMD as its USER on the read-only tree: /healthz, /readyz, a signed-in query, the HEALTHCHECK', async () => {
    const team = await seedTeam(db, { users: 6, weeks: 1 });
    const port = await freePort();
    const [command, ...args] = runtime.cmd!;
    server = await startServerProcess(deployEnv(port), { command: { command: command!, args, cwd: app, uid, gid, baseEnv: runtimeEnv } });
    const origin = `http://127.0.0.1:${port}`;
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const ready = await fetch(`${origin}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', postgres: 'up', redis: redis ? 'up' : 'disabled' });

    const token = await createTokenSigner({ secret: TEST_JWT_SECRET, ttl: '5m' })(String(viewersOf(team).analyst));
    const me = await postGraphQL<{ me: { role: string } }>(server.url, '{ me { email role } }', undefined, token);
    expect(me.body, JSON.stringify(me.body)).toMatchObject({ data: { me: { email: expect.stringContaining('@'), role: 'ANALYST' } } });
    expect(me.body.errors).toBeUndefined();

    const [check, ...checkArgs] = runtime.healthcheck!;
    const healthy = await runAsUser(check!, checkArgs, { PORT: String(port) });
    expect(healthy.code, healthy.output).toBe(0);
    // Nothing it does needs a write outside /tmp.
    expect(server.logs().filter((line) => line.level >= 50)).toEqual([]);
    expect(server.output()).not.toMatch(/EACCES|EROFS/);
  });

  it('triggers the weekly summary with trigger:prod, then stops on SIGTERM and fails its HEALTHCHECK', async () => {
    expect(server, 'the server of the previous test').toBeDefined();
    const trigger = await runAsUser('npm', ['run', 'trigger:prod', '--', '--week', '2026-W40'], {
      API_URL: server!.url,
      SERVICE_TOKEN: TEST_SERVICE_TOKEN,
    });
    expect(trigger.code, trigger.output).toBe(0);
    expect(trigger.output).toMatch(/^2026-W40 v1: (QUEUED|RUNNING|SUCCEEDED)/m);
    await waitFor('the summary to be written', async () => {
      const [row] = await db.sql.query<{ status: string }>("SELECT status FROM weekly_summaries WHERE week = '2026-W40'");
      return row?.status === 'SUCCEEDED';
    });

    expect(await server!.stop()).toBe(0);
    const [check, ...checkArgs] = runtime.healthcheck!;
    expect((await runAsUser(check!, checkArgs, { PORT: String(server!.port) })).code).toBe(1);
  });
});
