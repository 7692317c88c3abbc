// Small fake servers on 127.0.0.1 that speak the real protocols of OpenAI's chat completions and
// Telegram's Bot API sendMessage, so tests drive the real SDK and client. Each answer comes from a
// script the test sets; every call is recorded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake received; `Body` is the JSON its client sends (both SDKs always send one). */
export interface RecordedCall<Body> {
  at: number;
  path: string;
  headers: IncomingMessage['headers'];
  body: Body;
}

/** What the OpenAI SDK posts to /chat/completions (the fields tests read). */
export interface ChatCompletionRequest {
  model: string;
  messages: { role: string; content: string }[];
}

/** What the Telegram client posts to sendMessage. */
export interface TelegramSendMessage {
  chat_id: string;
  text: string;
  parse_mode: string;
  disable_web_page_preview: boolean;
}

export interface ScriptedReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface FakeServer<Body> {
  url: string;
  calls: RecordedCall<Body>[];
  /** Replies for the next calls, in order; when used up, `fallback` answers. */
  script(replies: ScriptedReply[]): void;
  /** Forgets recorded calls and scripted replies (between tests). */
  reset(): void;
  close(): Promise<void>;
}

async function fakeServer<Body>(fallback: (call: RecordedCall<Body>, n: number) => ScriptedReply): Promise<FakeServer<Body>> {
  const calls: RecordedCall<Body>[] = [];
  let queue: ScriptedReply[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const call: RecordedCall<Body> = {
        at: Date.now(),
        path: req.url ?? '',
        headers: req.headers,
        body: (raw ? JSON.parse(raw) : undefined) as Body,
      };
      calls.push(call);
      const reply = queue.shift() ?? fallback(call, calls.length);
      setTimeout(() => {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
        res.end(JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    script: (replies) => {
      queue = [...replies];
    },
    reset: () => {
      calls.length = 0;
      queue = [];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function completion(text: string, model = 'fake-gpt'): ScriptedReply {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    },
  };
}

export function openAiError(status: number, message: string, headers?: Record<string, string>): ScriptedReply {
  return { status, headers, body: { error: { message, type: 'fake_error', code: null } } };
}

/** A fake OpenAI (chat completions); by default it answers with a fixed summary. */
export function fakeOpenAi(): Promise<FakeServer<ChatCompletionRequest>> {
  return fakeServer<ChatCompletionRequest>(() => completion('A calm week: reports steady, stress down slightly.'));
}

/** A fake Telegram Bot API; by default every sendMessage succeeds with increasing message ids. */
export function fakeTelegram(): Promise<FakeServer<TelegramSendMessage>> {
  return fakeServer<TelegramSendMessage>((call, n) => ({
    status: 200,
    body: { ok: true, result: { message_id: 1000 + n, chat: { id: call.body?.chat_id }, text: call.body?.text } },
  }));
}

export function telegramError(status: number, description: string, retryAfter?: number): ScriptedReply {
  return {
    status,
    body: { ok: false, error_code: status, description, ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) },
  };
}
