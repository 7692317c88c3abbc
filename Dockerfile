# syntax=docker/dockerfile:1
# The API's container image: a build stage (install from the lockfile, patches and Prisma client by
# postinstall, compile, drop dev dependencies) and a runtime stage with only what runs, as a non-root user.
# No Docker engine runs in our CI: test/deploy/image-recipe.test.ts runs this file's steps itself
# (docs/decisions/0019-container-image.md).

# The Node of .nvmrc on Debian 12, slim. To pin by digest too (immune to a re-pushed tag), append the digest
# that `docker buildx imagetools inspect node:24.22.3-bookworm-slim` prints:
#   ARG NODE_IMAGE=node:24.22.3-bookworm-slim@sha256:<digest>
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# What `npm ci` reads (postinstall applies patches/ and generates the Prisma client): this layer is
# rebuilt only when one of them changes, not on every change to the code.
COPY package.json package-lock.json prisma.config.ts ./
COPY patches patches
COPY prisma prisma
COPY scripts/prisma-generate.mjs scripts/prisma-dmmf-generator.mjs scripts/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run build:scripts
# Prune, not a second install: an install would run postinstall again, whose Prisma generate needs the
# prisma CLI (a dev dependency); pruning keeps the patched packages as they are. --omit=optional too: the
# prisma CLI and TypeScript are optional peers of @prisma/client, which --omit=dev alone keeps (~250 MB).
RUN npm prune --omit=dev --omit=optional --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the user the server runs as.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/dist-scripts dist-scripts
COPY --from=build /app/prisma/migrations prisma/migrations
COPY --from=build /app/operations/generated/persisted-documents.json operations/generated/
# The base image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 4000
# No curl in a slim image: Node's fetch. Liveness only (/readyz also checks PostgreSQL and Redis).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 4000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm run start:prod`'s command itself: Node is PID 1 and gets SIGTERM, and no npm process stays resident beside it.
CMD ["node", "--max-semi-space-size=8", "dist/main.js"]
