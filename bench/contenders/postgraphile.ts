// The peer contender: PostGraphile v5 (Amber preset, simplified inflection) over the same database, served
// by its own Node adapter. `DATABASE_URL` and `PORT` come from the harness.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PgSimplifyInflectionPreset } from '@graphile/simplify-inflection';

const { DATABASE_URL, PORT } = process.env;
if (!DATABASE_URL || !PORT) throw new Error('postgraphile contender: set DATABASE_URL and PORT');

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  pgServices: [makePgService({ connectionString: DATABASE_URL, schemas: ['public'], poolConfig: { max: 10 } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false },
  grafast: { explain: false },
  schema: { pgForbidSetofFunctionsToReturnNull: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
await serv.addTo(server);
// Build the schema before answering, so the harness's readiness probe waits for introspection.
await pgl.getSchema();
server.listen(Number(PORT), '127.0.0.1');
