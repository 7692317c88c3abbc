// Assembles weekly summary generation from configuration: OpenAI or the offline writer, Telegram or no
// delivery, and the background worker. Used by main.ts (and by tests with fake provider URLs).
import { hostname } from 'node:os';
import type { Config } from '../config.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../infra/logger.js';
import { openAiWriter } from '../infra/openai-writer.js';
import { telegramMessenger } from '../infra/telegram.js';
import { offlineWriter } from './summary-ports.js';
import type { SummaryRunDeps } from './run-weekly-summary.js';
import { createSummaryWorker, type SummaryWorker } from './weekly-summary-worker.js';

export interface CreateSummaryWorkerFromConfigOptions {
  config: Config['reports'];
  prisma: PrismaClient;
  logger: Logger;
  onRunFinished?: SummaryRunDeps['onRunFinished'];
}

export function createSummaryWorkerFromConfig({
  config,
  prisma,
  logger,
  onRunFinished,
}: CreateSummaryWorkerFromConfigOptions): SummaryWorker {
  return createSummaryWorker({
    onRunFinished,
    prisma,
    logger,
    writer: config.openai ? openAiWriter(config.openai) : offlineWriter,
    messenger: config.telegram ? telegramMessenger(config.telegram) : null,
    owner: `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    leaseTtlMs: config.leaseTtlMs,
  });
}
