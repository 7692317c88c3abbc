// The text Telegram receives: HTML-escaped, split into messages of at most 4096 characters on line
// breaks, never inside an entity (&amp;) or an emoji, nothing lost; and a long summary delivered as
// several messages, in order, through the real client against the fake Bot API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml, splitForTelegram, TELEGRAM_MAX_LENGTH, telegramMessenger } from '../../src/infra/telegram.js';
import { fakeTelegram, telegramError, type FakeServer, type TelegramSendMessage } from '../kit/fake-providers.js';

const unescapeHtml = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** An escaped part is broken if it holds a raw < or >, an & that starts no whole entity, or half an emoji. */
const BROKEN = /[<>]|&(?!(amp|lt|gt);)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks that the parts give back `text`: each unescaped part follows the previous one, and only line
 * breaks may be left out between parts (the split points) and at the ends. Returns how many line breaks each split dropped.
 */
function expectReassembles(text: string, parts: string[]): number[] {
  const dropped: number[] = [];
  let at = 0;
  for (const [i, part] of parts.entries()) {
    const plain = unescapeHtml(part);
    let skipped = 0;
    while (text[at] === '\n' && !text.startsWith(plain, at)) {
      at++;
      skipped++;
    }
    // Blank lines before the first part are dropped too (Telegram would trim them anyway).
    if (i > 0) dropped.push(skipped);
    expect(text.slice(at, at + plain.length), `part ${i} of ${parts.length}`).toBe(plain);
    at += plain.length;
  }
  expect(text.slice(at).replace(/\n/g, ''), 'only line breaks may be left at the end').toBe('');
  return dropped;
}

/** Small deterministic pseudo-random generator (mulberry32), so a failing case can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['word', 'R&D', '<b>', 'a>b', '&amp;', ' ', ' ', '😀', 'Ümlaut', 'x', '\n', '\n\n', 'stress 8/10'];
function randomText(seed: number, length: number): string {
  const next = random(seed);
  let text = '';
  while (text.length < length) {
    // Now and then a long line without breaks, which must be cut inside.
    text +=
      next() < 0.02 ? TOKENS[Math.floor(next() * 9)]!.repeat(20 + Math.floor(next() * 40)) : TOKENS[Math.floor(next() * TOKENS.length)]!;
  }
  return text;
}

describe('escapeHtml', () => {
  it('escapes exactly &, < and >, once', () => {
    expect(escapeHtml('R&D <b>bold</b> a > b')).toBe('R&amp;D &lt;b&gt;bold&lt;/b&gt; a &gt; b');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml('"quotes" and \'apostrophes\' stay; 😀 too')).toBe('"quotes" and \'apostrophes\' stay; 😀 too');
    expect(escapeHtml('')).toBe('');
  });
});

describe('splitForTelegram', () => {
  it('keeps a short text in one escaped message', () => {
    expect(splitForTelegram('Stress <5 & falling\nsecond line')).toEqual(['Stress &lt;5 &amp; falling\nsecond line']);
    expect(splitForTelegram('x'.repeat(TELEGRAM_MAX_LENGTH))).toHaveLength(1);
  });

  it('splits a long text on line breaks into parts of at most 4096 characters', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `Line ${String(i).padStart(3, '0')}: R&D <team> ${'z'.repeat(70)}`);
    const text = lines.join('\n');
    const parts = splitForTelegram(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MAX_LENGTH);
      expect(part).not.toMatch(BROKEN);
      // Every part is whole lines.
      for (const line of unescapeHtml(part).split('\n')) expect(lines).toContain(line);
    }
    // One line break dropped at each split, nothing else.
    expect(expectReassembles(text, parts)).toEqual(parts.slice(1).map(() => 1));
    // Greedy: a part ends only when the next line would not fit.
    for (const [i, part] of parts.slice(0, -1).entries()) {
      const nextLine = parts[i + 1]!.split('\n')[0]!;
      expect(part.length + 1 + nextLine.length).toBeGreaterThan(TELEGRAM_MAX_LENGTH);
    }
  });

  it('cuts a line longer than a message without cutting inside an entity', () => {
    // Escaping grows the text five-fold: 2000 & are 10000 characters once escaped.
    const text = `a${'&'.repeat(2_000)}<end>`;
    const parts = splitForTelegram(text);
    expect(parts).toHaveLength(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MAX_LENGTH);
      expect(part).not.toMatch(BROKEN);
    }
    expect(expectReassembles(text, parts)).toEqual([0, 0]);
  });

  it('cuts a long line of emoji between characters, not inside one', () => {
    for (const text of ['😀'.repeat(3_000), `a${'😀'.repeat(3_000)}`]) {
      const parts = splitForTelegram(text);
      expect(parts).toHaveLength(2);
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(TELEGRAM_MAX_LENGTH);
        expect(part).not.toMatch(BROKEN);
      }
      expect(parts.join('')).toBe(text);
    }
  });

  it('cuts a long line of entities without stalling the event loop', () => {
    // Shortening the cut one character at a time (quadratic) took 14 to 50 s here; one pass takes milliseconds.
    const started = performance.now();
    const parts = splitForTelegram('&'.repeat(20_000));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(parts.map(unescapeHtml).join('')).toBe('&'.repeat(20_000));
  });

  it('holds for random texts: bounded, whole entities, nothing lost (many seeds, small limits)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const max = [20, 37, 64, 200][seed % 4]!;
      const text = randomText(seed, 50 + (seed % 7) * 150);
      const parts = splitForTelegram(text, max);
      for (const part of parts) {
        expect(part.length, `seed ${seed}`).toBeLessThanOrEqual(max);
        expect(part, `seed ${seed}`).not.toMatch(BROKEN);
      }
      expectReassembles(text, parts);
    }
  });

  it('holds at Telegram’s limit for random texts of ~20000 characters', () => {
    for (let seed = 1000; seed < 1010; seed++) {
      const text = randomText(seed, 20_000);
      const parts = splitForTelegram(text);
      expect(parts.length).toBeGreaterThanOrEqual(5);
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(TELEGRAM_MAX_LENGTH);
        expect(part).not.toMatch(BROKEN);
      }
      expectReassembles(text, parts);
    }
  });
});

describe('telegramMessenger', () => {
  const BOT_TOKEN = '42:format-test-token';
  let telegram: FakeServer<TelegramSendMessage>;
  beforeAll(async () => {
    telegram = await fakeTelegram();
  });
  afterAll(async () => {
    await telegram?.close();
  });
  beforeEach(() => {
    telegram.calls.length = 0;
    telegram.script([]);
  });
  const messenger = () => telegramMessenger({ apiUrl: telegram.url, botToken: BOT_TOKEN, chatId: '-100123', retries: 2 });

  /** About 10000 characters in 100 lines, with characters that need escaping. */
  const longSummary = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(2, '0')}. Team <${i % 7}> R&D: ${'w'.repeat(80)}`).join(
    '\n',
  );

  it('delivers a ~10000-character summary as 3 messages, in order, each within the limit', async () => {
    expect(longSummary.length).toBeGreaterThan(9_500);
    expect(longSummary.length).toBeLessThan(10_500);
    const ids = await messenger().send(longSummary);

    expect(telegram.calls).toHaveLength(3);
    expect(ids).toEqual([1001, 1002, 1003]);
    const texts = telegram.calls.map((call) => call.body.text as string);
    expect(texts).toEqual(splitForTelegram(longSummary));
    for (const call of telegram.calls) {
      expect(call.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
      expect(call.body).toMatchObject({ chat_id: '-100123', parse_mode: 'HTML', disable_web_page_preview: true });
      expect((call.body.text as string).length).toBeLessThanOrEqual(TELEGRAM_MAX_LENGTH);
      expect(call.body.text).not.toMatch(BROKEN);
    }
    // In order: the first line opens the first message, the last closes the last; one after the other.
    expect(unescapeHtml(texts[0]!)).toMatch(/^00\. Team <0> R&D/);
    expect(unescapeHtml(texts[2]!)).toMatch(/99\. Team <1> R&D: w+$/);
    expect(telegram.calls[0]!.at).toBeLessThanOrEqual(telegram.calls[1]!.at);
    expect(telegram.calls[1]!.at).toBeLessThanOrEqual(telegram.calls[2]!.at);
    expectReassembles(longSummary, texts);
  });

  it('retries one part on a 5xx without resending the parts already delivered', async () => {
    telegram.script([{ status: 200, body: { ok: true, result: { message_id: 1 } } }, telegramError(502, 'Bad Gateway')]);
    const ids = await messenger().send(longSummary);
    expect(telegram.calls).toHaveLength(4);
    const texts = telegram.calls.map((call) => call.body.text as string);
    // Part 2 was sent twice (the 502, then the retry), part 1 once.
    expect(texts[1]).toBe(texts[2]);
    expect(new Set(texts).size).toBe(3);
    expect(ids).toEqual([1, 1003, 1004]);
  });

  it('stops at a part Telegram refuses (4xx): the earlier parts are already out', async () => {
    // At least once: a later retry of the delivery sends every part again, the first one included.
    telegram.script([
      { status: 200, body: { ok: true, result: { message_id: 1 } } },
      telegramError(400, 'Bad Request: message is too long'),
    ]);
    await expect(messenger().send(longSummary)).rejects.toThrow(/refused the message \(400\)/);
    expect(telegram.calls).toHaveLength(2);
  });
});
