/**
 * `GET /ui/…` — the web console: the static build of `packages/ui` (`pnpm build`, run by
 * `pnpm install`), served from its `dist/` folder. `/ui` redirects to `/ui/`; a path that is no
 * file answers the console's index.html (the page routes by `#hash`, so this only helps a
 * bookmarked deep link). Without a build the route answers 503 with how to make one.
 *
 * The page holds no secret: it asks for a token and keeps it in the tab's sessionStorage.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';
import type { RouteContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';

/**
 * `packages/ui/dist` of this workspace (ingest and the console ship together): the nearest
 * folder above this module holding `packages/ui` — the source tree (`src/routes/ui/`) and the
 * compiled bundle (`dist/main.js`, also in the image) sit at different depths.
 */
export function findUiDist(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'packages', 'ui'))) return join(dir, 'packages', 'ui', 'dist');
    if (dirname(dir) === dir) return join(from, '../../../../../packages/ui/dist');
  }
}

export const UI_DIST = findUiDist();

export function uiRoutes(_ctx: RouteContext, dist = findUiDist()): { ui: RequestHandler } {
  const serve = express.static(dist, { index: 'index.html', redirect: false, fallthrough: true, maxAge: 0 });
  const ui: RequestHandler = (req, res, next) => {
    if (req.path === '/ui') {
      res.redirect(301, '/ui/');
      return;
    }
    if (!existsSync(join(dist, 'index.html'))) {
      next(new HttpError(503, 'console_not_built', 'the web console is not built: run `pnpm build` (or `pnpm install`) in the project'));
      return;
    }
    const rel = req.path.slice('/ui'.length) || '/';
    // Hashed assets may be cached for long; index.html never (it names the current assets).
    if (rel.startsWith('/assets/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    else res.setHeader('Cache-Control', 'no-cache');
    const original = req.url;
    req.url = rel + (original.includes('?') ? original.slice(original.indexOf('?')) : '');
    serve(req, res, () => {
      req.url = original;
      if (rel.startsWith('/assets/')) {
        next(new HttpError(404, 'not_found', `no console file ${rel.slice(0, 200)}`));
        return;
      }
      res.sendFile(join(dist, 'index.html'));
    });
  };
  return { ui };
}
