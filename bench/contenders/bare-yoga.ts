// Scenario (h)'s reference: graphql-yoga of the version weekly-pulse runs, with no plugins of its own and a
// one-field schema, over node:http. What weekly-pulse answers `{ __typename }` with beyond this is the cost
// of its own pipeline: plugins, authentication and context.
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const { PORT } = process.env;
if (!PORT) throw new Error('bare-yoga contender: set PORT');

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } }),
  graphiql: false,
  landingPage: false,
  logging: false,
});
createServer(yoga).listen(Number(PORT), '127.0.0.1');
