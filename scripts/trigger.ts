// `npm run trigger -- [--week 2026-W47] [--force]`: triggers the weekly summary over HTTP, for external
// schedulers (Kubernetes CronJob, systemd timer, crontab). Uses API_URL and SERVICE_TOKEN (or API_TOKEN,
// an ADMIN's token, which --force needs). Prints the summary's state; exits non-zero on any failure.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { GenerateWeeklyReportDocument } from '../operations/generated/graphql.js';
import { isIsoWeek, isoWeekProblem } from '../src/domain/iso-week.js';

// The dashboard's reviewed mutation, named by its manifest id: servers that enforce persisted
// operations (the production default) refuse GraphQL text from the service identity.
const DOCUMENT_ID = (GenerateWeeklyReportDocument as { __meta__?: { hash?: string } }).__meta__!.hash!;

function fail(message: string, code = 1): never {
  console.error(`trigger: ${message}`);
  process.exit(code);
}

async function main() {
  const { values } = (() => {
    try {
      return parseArgs({ options: { week: { type: 'string' }, force: { type: 'boolean', default: false } } });
    } catch (error) {
      fail(`${(error as Error).message}\nusage: npm run trigger -- [--week YYYY-Www] [--force]`, 2);
    }
  })();
  if (values.week !== undefined && !isIsoWeek(values.week)) fail(`${isoWeekProblem('--week')}, got ${values.week}`, 2);
  const env = z
    .object({
      API_URL: z.string().url().default('http://localhost:4000/graphql'),
      SERVICE_TOKEN: z.string().min(1).optional(),
      API_TOKEN: z.string().min(1).optional(),
      TRIGGER_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    })
    .safeParse(process.env);
  if (!env.success) fail(env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 2);
  const token = env.data.API_TOKEN ?? env.data.SERVICE_TOKEN;
  if (!token) fail('set SERVICE_TOKEN (or API_TOKEN, an ADMIN token, for --force)', 2);

  let response: Response;
  try {
    response = await fetch(env.data.API_URL, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ documentId: DOCUMENT_ID, variables: { week: values.week, force: values.force } }),
      signal: AbortSignal.timeout(env.data.TRIGGER_TIMEOUT_MS),
    });
  } catch (error) {
    fail(`cannot reach ${env.data.API_URL}: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as {
    data?: {
      generateWeeklyReport?: { summary: { id: string; week: string; status: string; version: number; delivery: { status: string } } };
    };
    errors?: { message: string; extensions?: { code?: string } }[];
  } | null;
  if (!body) fail(`HTTP ${response.status} without a GraphQL body from ${env.data.API_URL}`);
  if (body.errors?.length) {
    fail(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
  const summary = body.data?.generateWeeklyReport?.summary;
  if (!summary) fail(`HTTP ${response.status}: no summary in the answer`);
  console.log(`${summary.week} v${summary.version}: ${summary.status} (delivery ${summary.delivery.status}) ${summary.id}`);
}

void main();
