// `exportUrl(filter)`: a short-lived signed link to the weekly reports CSV (ANALYST, ADMIN), and its ExportFilter input.
import { EXPORT_PATH, parseExportFilter } from '../services/export-weekly-reports.js';
import { builder } from './builder.js';
import { ForbiddenError, UserInputError } from './errors.js';
import { signedInViewer } from './global-ids.js';
import { STRING_BOUNDS } from './input-guard.js';
import { IsoWeekScalar } from './scalars.js';

const ExportFilterInput = builder.inputType('ExportFilter', {
  fields: (t) => ({
    from: t.field({ type: IsoWeekScalar }),
    to: t.field({ type: IsoWeekScalar }),
    country: t.string({ ...STRING_BOUNDS.country }),
    city: t.string({ ...STRING_BOUNDS.city }),
  }),
});

builder.queryField('exportUrl', (t) =>
  t.string({
    description:
      'A link (valid 5 minutes, for you only) that downloads the matching weekly reports as CSV without a bearer ' +
      'token in the URL (ANALYST, ADMIN). The same download accepts `Authorization: Bearer` instead of `token`.',
    authScopes: { role: ['ANALYST', 'ADMIN'] },
    args: { filter: t.arg({ type: ExportFilterInput }) },
    resolve: async (_root, { filter }, ctx) => {
      if (!ctx.exportTokens) throw new ForbiddenError('Export links are not configured on this server; use a bearer token.');
      const given = new URLSearchParams();
      for (const [key, value] of Object.entries(filter ?? {})) if (value) given.set(key, String(value));
      const parsed = parseExportFilter(given);
      if (typeof parsed === 'string') throw new UserInputError(parsed);
      // The link shows the normalised filter (readable, and what the signed token holds).
      const params = new URLSearchParams();
      for (const key of ['from', 'to', 'country', 'city'] as const) if (parsed[key]) params.set(key, parsed[key]!);
      params.set('token', await ctx.exportTokens.sign({ userId: signedInViewer(ctx).id, filter: parsed }));
      return `${EXPORT_PATH}?${params.toString()}`;
    },
  }),
);
