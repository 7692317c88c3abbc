// Telegram Bot API `sendMessage`: HTML parse mode with escaping, messages split at Telegram's 4096
// characters, retries (p-retry) that wait `parameters.retry_after` on 429 and back off on 5xx and
// network errors; other 4xx fail at once. The bot token is part of the URL only, never of an error.
import pRetry, { AbortError } from 'p-retry';
import type { Messenger } from '../services/summary-ports.js';

export const TELEGRAM_MAX_LENGTH = 4096;

export interface TelegramOptions {
  apiUrl: string;
  botToken: string;
  chatId: string;
  retries?: number;
  timeoutMs?: number;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Splits text into escaped parts of at most `max` characters, preferring line breaks. */
export function splitForTelegram(text: string, max = TELEGRAM_MAX_LENGTH): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current) parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const escaped = escapeHtml(line);
    const candidate = current ? `${current}\n${escaped}` : escaped;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    flush();
    // A line longer than a message: cut it, never inside an entity such as &amp; nor inside a surrogate
    // pair (an emoji), in one pass over the characters.
    let rest = line;
    while (escapeHtml(rest).length > max) {
      let cut = 0;
      let size = 0;
      while (size + escapeHtml(rest[cut]!).length <= max) size += escapeHtml(rest[cut++]!).length;
      const last = rest.charCodeAt(cut - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut--; // a high surrogate: keep the pair together
      parts.push(escapeHtml(rest.slice(0, cut)));
      rest = rest.slice(cut);
    }
    current = escapeHtml(rest);
  }
  flush();
  return parts.length ? parts : [''];
}

class TelegramError extends Error {
  override name = 'TelegramError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function telegramMessenger(options: TelegramOptions): Messenger {
  const url = `${options.apiUrl.replace(/\/$/, '')}/bot${options.botToken}/sendMessage`;
  const scrub = (message: string) => message.split(options.botToken).join('[bot token]');

  const sendPart = async (text: string): Promise<number> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: options.chatId, text, parse_mode: 'HTML', disable_web_page_preview: true }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new TelegramError(`Telegram unreachable: ${scrub((error as Error).message)}`);
    }
    const body = (await response.json().catch(() => ({}))) as {
      ok?: boolean;
      description?: string;
      result?: { message_id?: number };
      parameters?: { retry_after?: number };
    };
    if (response.ok && body.ok && typeof body.result?.message_id === 'number') return body.result.message_id;
    const description = scrub(body.description ?? response.statusText);
    if (response.status === 429) {
      throw new TelegramError(`Telegram rate limit: ${description}`, (body.parameters?.retry_after ?? 1) * 1000);
    }
    if (response.status >= 500) throw new TelegramError(`Telegram ${response.status}: ${description}`);
    throw new AbortError(`Telegram refused the message (${response.status}): ${description}`);
  };

  return {
    async send(text) {
      const ids: number[] = [];
      for (const part of splitForTelegram(text)) {
        ids.push(
          await pRetry(() => sendPart(part), {
            retries: options.retries ?? 5,
            factor: 2,
            minTimeout: 200,
            maxTimeout: 5_000,
            randomize: true,
            onFailedAttempt: async ({ error }) => {
              const wait = (error as TelegramError).retryAfterMs;
              if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
            },
          }),
        );
      }
      return ids;
    },
  };
}
