#
# One image for every logforest service. The services run TypeScript directly (tsx as a Node
# import hook), so there is no build step and tsx ships in the image:
#
#   docker build -t logforest .
#   docker run -p 5000:5000 -e REDIS_URL=redis://host:6379 logforest                      # ingest
#   docker run -e REDIS_URL=redis://host:6379 logforest services/worker/src/main.ts       # worker
#   docker run -e REDIS_URL=redis://host:6379 logforest services/trainer/src/main.ts      # trainer
#
# The entry point is `node --import tsx <file>`: the same entry files `pnpm start` and the tests
# run, in one Node process (PID 1 receives SIGTERM itself; there is no tsx wrapper process).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: the whole workspace with its dependencies ---------------------------------------------
FROM ${NODE_IMAGE} AS deps
ENV CI=true \
    npm_config_update_notifier=false
RUN npm install -g pnpm@9.15.9 && pnpm --version
WORKDIR /app
# Fetch every package the lockfile names, keyed on the lockfile alone, so editing source does
# not refetch dependencies (pnpm's documented Docker pattern).
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
# Dev dependencies are kept on purpose: tsx (and zod, pino, …) are needed at run time.
RUN pnpm install --frozen-lockfile --prod=false --offline

# ---- runtime -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=5000 \
    HOST=0.0.0.0
WORKDIR /app
# The stock `node` user (uid 1000) owns nothing but what it must write: the app is read-only to it.
COPY --from=deps --chown=root:root /app /app
USER node
EXPOSE 5000
# Ingest's liveness probe (GET /healthz on $PORT). The worker and the trainer have no HTTP port:
# docker-compose.yml gives them a healthcheck of their own (a Redis PING with the same REDIS_URL
# they use), and a service whose process dies makes its container exit, which the restart policy
# handles. `docker run … services/worker/src/main.ts` without compose: pass --no-healthcheck.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||5000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["services/ingest/src/main.ts"]
