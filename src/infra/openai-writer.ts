// Writes the weekly summary with the official OpenAI SDK (or any OpenAI-compatible server). Retries are the
// SDK's own (exponential backoff with jitter, honouring retry-after / retry-after-ms; 4xx other than 408,
// 409 and 429 fail at once); the timeout bounds each attempt.
import OpenAI from 'openai';
import type { SummaryWriter } from '../services/summary-ports.js';

export interface OpenAiOptions {
  apiKey: string;
  model: string;
  baseUrl?: string;
  timeoutMs: number;
  maxRetries: number;
}

const SYSTEM_PROMPT =
  'You write a short weekly summary for a company newsletter from team reporting figures. ' +
  'Plain text, at most 8 sentences, mention notable changes against the previous week, no invented numbers.';

export function openAiWriter(options: OpenAiOptions): SummaryWriter {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  return {
    async write(stats) {
      const completion = await client.chat.completions.create({
        model: options.model,
        temperature: 0.3,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: `Figures for ${stats.week} (JSON):\n${JSON.stringify(stats)}` },
        ],
      });
      const text = completion.choices[0]?.message?.content?.trim();
      if (!text) throw new Error('OpenAI returned an empty summary');
      return { text, source: 'OPENAI', model: completion.model ?? options.model };
    },
  };
}
