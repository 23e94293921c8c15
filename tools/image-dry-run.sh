#!/usr/bin/env bash
# The production image's /app folder, assembled exactly as the Dockerfile's runtime stage gets it
# (the Dockerfile's build stage runs this very script), checked and measured — no Docker needed:
#
#   tools/image-dry-run.sh            # build, assemble into a temporary folder, check, report, remove
#   tools/image-dry-run.sh /out       # assemble into /out and keep it (what the Dockerfile does)
#   SKIP_BUILD=1 tools/image-dry-run.sh /out   # the services are already compiled (pnpm install did it)
#
# What goes in: services/<name>/dist (one esbuild bundle per entry + the Redis Lua scripts it reads;
# every npm dependency is inside the bundle, so there is no node_modules at all) and the console's
# static build packages/ui/dist when it exists. Nothing else: no TypeScript, tests, bench, tools,
# dev dependencies or lockfiles. Checks: no such files slipped in, and each service loads from the
# folder alone (a bad setting must stop it with the config message and exit 2, which needs every
# module it imports).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES=(ingest worker trainer)
keep=1
if [ $# -ge 1 ]; then OUT="$1"; else OUT="$(mktemp -d)/app"; keep=0; fi

if [ "${SKIP_BUILD:-}" != 1 ]; then
  node "$ROOT/tools/build-service.mjs" "${SERVICES[@]/#/services/}"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
for svc in "${SERVICES[@]}"; do
  test -f "$ROOT/services/$svc/dist/main.js" || { echo "services/$svc/dist/main.js is missing: run pnpm build" >&2; exit 1; }
  mkdir -p "$OUT/services/$svc"
  cp -R "$ROOT/services/$svc/dist" "$OUT/services/$svc/dist"
done
if [ -f "$ROOT/packages/ui/dist/index.html" ]; then
  mkdir -p "$OUT/packages/ui"
  cp -R "$ROOT/packages/ui/dist" "$OUT/packages/ui/dist"
  ui="included"
else
  ui="not built (GET /ui/ answers 503 console_not_built)"
fi

# ---- checks ------------------------------------------------------------------------------------
bad="$(find "$OUT" \( -name node_modules -o -name '*.ts' -o -name '*.test.*' -o -name tests -o -name bench -o -name tools -o -name pnpm-lock.yaml \) -print)"
if [ -n "$bad" ]; then echo "the image folder holds what it must not:" >&2; echo "$bad" >&2; exit 1; fi
for svc in "${SERVICES[@]}"; do
  set +e
  msg="$(cd "$OUT" && env -i PATH="$PATH" LOG_LEVEL=bogus node "services/$svc/dist/main.js" 2>&1)"
  code=$?
  set -e
  if [ "$code" != 2 ] || ! grep -q LOG_LEVEL <<<"$msg"; then
    echo "services/$svc/dist/main.js does not load from the image folder alone (exit $code):" >&2
    echo "$msg" | tail -5 >&2
    exit 1
  fi
done

# ---- report ------------------------------------------------------------------------------------
echo "image /app folder: $OUT"
du -sh "$OUT" | awk '{print "  total            " $1}'
for svc in "${SERVICES[@]}"; do du -sh "$OUT/services/$svc" | awk -v s="$svc" '{printf "  services/%-8s %s\n", s, $1}'; done
if [ -d "$OUT/packages/ui" ]; then du -sh "$OUT/packages/ui" | awk '{print "  packages/ui      " $1}'; fi
echo "  files            $(find "$OUT" -type f | wc -l)"
echo "  bytes            $(du -sb "$OUT" | cut -f1)"
echo "  console          $ui"
echo "  each service loads without node_modules: ok"
if [ "$keep" = 0 ]; then rm -rf "$(dirname "$OUT")"; fi
