# Leerlus runs its TypeScript sources through tsx: there is no build step, so the image
# carries the sources, the generated Prisma client and the production node_modules.
# Node 24 is the LTS line (maintained until April 2028); both stages use the same one.

# --- deps: production dependencies and the generated Prisma client -------------------
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are skipped and `prisma generate` run explicitly: it needs the schema,
# the config and a DATABASE_URL that is never connected to (the schema's datasource wants one).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY prisma.config.ts ./
COPY prisma ./prisma
RUN DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx prisma generate

# --- runtime -------------------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/.leerlus \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    CHECKPOINT_DISABLE=1
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json prisma.config.ts ./
COPY bin ./bin
COPY prisma ./prisma
COPY prompts ./prompts
COPY data ./data
COPY src ./src
COPY adapters ./adapters
COPY --from=deps /app/src/persistence/generated ./src/persistence/generated
# The embedded database (when DATABASE_URL is unset) and config loaders' caches need
# folders the unprivileged user can write; everything else stays read-only to it.
RUN mkdir -p /app/.leerlus /app/node_modules/.cache \
  && chown node:node /app/.leerlus /app/node_modules/.cache
USER node
EXPOSE 3000
# `serve` answers /livez on PORT; `worker` on HEALTH_PORT (set it for the worker only).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTH_PORT || process.env.PORT || 3000}/livez`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/leerlus.js", "serve"]
