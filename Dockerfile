#
# One image for every logforest service, running compiled JavaScript with plain `node`:
#
#   docker build -t logforest .
#   docker run -p 5000:5000 -p 24224:24224 -p 24224:24224/udp -e REDIS_URL=redis://host:6379 logforest   # ingest
#   docker run -e REDIS_URL=redis://host:6379 logforest services/worker/dist/main.js                      # worker
#   docker run -e REDIS_URL=redis://host:6379 logforest services/trainer/dist/main.js                     # trainer
#
# Build stage: the whole workspace with its dev dependencies; `pnpm install` runs the root
# `prepare` → `pnpm -r --if-present run build`, which bundles each service with esbuild into
# services/<name>/dist (every npm dependency inside the bundle) and builds the console
# (packages/ui/dist). tools/image-dry-run.sh then assembles /out — the same script reproduces
# and measures this folder without Docker. Runtime stage: node + /out, nothing else (no
# node_modules, TypeScript, tests, bench, tools or dev dependencies).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
ENV CI=true \
    npm_config_update_notifier=false
RUN npm install -g pnpm@9.15.9 && pnpm --version
WORKDIR /src
# Fetch every package the lockfile names, keyed on the lockfile alone, so editing source does
# not refetch dependencies (pnpm's documented Docker pattern).
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --prod=false --offline
RUN SKIP_BUILD=1 bash tools/image-dry-run.sh /out

# ---- runtime -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=5000 \
    HOST=0.0.0.0
WORKDIR /app
# The stock `node` user (uid 1000) owns nothing but what it must write: the app is read-only to it.
COPY --from=build --chown=root:root /out /app
USER node
# HTTP ingest; Fluentd forward input (TCP, and UDP heartbeats).
EXPOSE 5000
EXPOSE 24224 24224/udp
# Ingest's liveness probe (GET /healthz on $PORT). The worker and the trainer have no HTTP port:
# docker-compose.yml gives them a healthcheck of their own (services/<name>/dist/healthcheck.js,
# a Redis PING with the same REDIS_URL they use), and a service whose process dies makes its
# container exit, which the restart policy handles. `docker run … services/worker/dist/main.js`
# without compose: pass --no-healthcheck.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||5000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node"]
CMD ["services/ingest/dist/main.js"]
