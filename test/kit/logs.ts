// Test kit: a pino logger whose JSON lines are kept in memory, for tests that read what the server logged.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** One JSON line pino wrote: its level, time and message, beside the fields the call site logged. */
export interface LogLine {
  level: number;
  time: number;
  msg?: string;
  [field: string]: unknown;
}

/** A logger at `level`; `lines` fills as it writes (the same array throughout), `clear()` empties it. */
export function captureLogs(level: pino.LevelWithSilent = 'info'): { logger: Logger; lines: LogLine[]; clear(): void } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    }),
  );
  const clear = () => {
    lines.length = 0;
  };
  return { logger, lines, clear };
}
