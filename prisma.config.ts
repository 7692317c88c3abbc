// Prisma CLI configuration. Migrations are applied by scripts/migrate.ts (see docs/decisions).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // generate/validate do not connect; a harmless fallback keeps them working without DATABASE_URL.
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused' },
});
