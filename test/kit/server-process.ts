// Real API processes for tests where the network or the process boundary matters: src/main.ts started as
// `npm start` does, on a free port, with its output kept; stopped with SIGTERM or killed with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import type { Document, GraphQLError } from './api.js';
import type { LogLine } from './logs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  /** The structured (JSON) log lines so far. */
  logs(): LogLine[];
  exit: Promise<number | null>;
  /** SIGTERM: a clean shutdown; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash; resolves once the process is gone. */
  kill(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** A command other than `tsx src/main.ts`: a built tree, started as a container starts it. */
export interface ServerCommand {
  command: string;
  args: string[];
  cwd: string;
  /** Runs as this user and group (the test runner must be root). */
  uid?: number;
  gid?: number;
  /** The environment that `env` is laid over, instead of the test runner's (a container has none of it). */
  baseEnv?: NodeJS.ProcessEnv;
}

/** For afterAll: kills every process this file started and that is still running. */
export function killServerProcesses(): void {
  for (const child of children) child.kill('SIGKILL');
}

/**
 * Starts src/main.ts (or `command`) with the test runner's environment (or `command.baseEnv`) less
 * DATABASE_URL, plus `env` (undefined unsets); resolves once it logs that it is ready.
 */
export function startServerProcess(
  env: Record<string, string | undefined>,
  {
    timeoutMs = 60_000,
    onOutput,
    command,
  }: {
    timeoutMs?: number;
    /** Sees the output before the process is ready. */
    onOutput?: (chunk: string) => void;
    command?: ServerCommand;
  } = {},
): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = {
    ...(command?.baseEnv ?? process.env),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_PRETTY: 'false',
    LOG_LEVEL: 'info',
  };
  delete childEnv.DATABASE_URL;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = command
    ? spawn(command.command, command.args, { cwd: command.cwd, env: childEnv, uid: command.uid, gid: command.gid })
    : spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: childEnv });
  children.add(child);
  let output = '';
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    let ready = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      onOutput?.(chunk.toString());
      const match = ready ? null : /ready at http:\/\/[^:]+:(\d+)\/graphql/.exec(output);
      if (match) {
        ready = true;
        clearTimeout(timer);
        const port = Number(match[1]);
        resolve({
          child,
          port,
          url: `http://127.0.0.1:${port}/graphql`,
          output: () => output,
          logs: () => parseLogLines(output),
          exit,
          stop: () => {
            child.kill('SIGTERM');
            return exit;
          },
          kill: async () => {
            child.kill('SIGKILL');
            await exit;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`server exited with ${code}:\n${output}`), { code, output }));
    });
  });
}

function parseLogLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // A line still being written.
    }
  }
  return lines;
}

/** A demo user's token that the embedded default prints at start (`  ROLE  email` then the token). */
export function demoToken(output: string, role = 'ANALYST'): string {
  const match = new RegExp(`${role} +\\S+\\n +(\\S+)`).exec(output);
  if (!match) throw new Error(`no ${role} token in the output:\n${output}`);
  return match[1]!;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** POSTs a GraphQL operation (its text or a typed document from test/kit/generated) to a running process. */
export async function postGraphQL<D = unknown, V extends Record<string, unknown> = Record<string, unknown>>(
  url: string,
  document: Document<D, V>,
  variables?: V,
  token?: string,
) {
  const query = typeof document === 'string' ? document : print(document);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: D; errors?: GraphQLError[] } };
}
