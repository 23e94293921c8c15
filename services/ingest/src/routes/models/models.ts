/**
 * `GET /models` (kept versions with metadata, newest first, the active one marked),
 * `GET /models/:version`, and `POST /models/:version/activate` (admin; also the rollback).
 * Activation first decodes the stored blob and builds a Scorer from it: a version that cannot be
 * loaded answers 422 and the model in service stays.
 */
import type { RequestHandler } from 'express';
import { Scorer, decodeModel } from '@logforest/core';
import type { RouteContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { ModelNotFoundError, modelVersionSchema } from '@logforest/runtime';

function notFound(version: unknown): HttpError {
  return new HttpError(404, 'model_not_found', `no stored model ${String(version).slice(0, 40)}`);
}

export function modelRoutes(ctx: RouteContext) {
  const { registry } = ctx;

  const list: RequestHandler = async (_req, res) => {
    const [active, models] = await Promise.all([registry.activeVersion(), registry.list()]);
    res.json({ active: active ?? null, models: models.map((m) => ({ ...m, active: m.version === active })) });
  };

  const get: RequestHandler = async (req, res) => {
    const version = modelVersionSchema.safeParse(req.params['version']);
    if (!version.success) throw notFound(req.params['version']);
    const [meta, active] = await Promise.all([registry.getMeta(version.data), registry.activeVersion()]);
    if (!meta) throw notFound(version.data);
    res.json({ ...meta, active: meta.version === active });
  };

  const activate: RequestHandler = async (req, res) => {
    const version = modelVersionSchema.safeParse(req.params['version']);
    if (!version.success) throw notFound(req.params['version']);
    const blob = await registry.getBlob(version.data);
    if (!blob) throw notFound(version.data);
    try {
      const scorer = new Scorer(decodeModel(blob));
      if (scorer.version !== version.data) throw new Error(`the blob stored as ${version.data} says it is ${scorer.version}`);
    } catch (err) {
      throw new HttpError(422, 'model_unusable', `model ${version.data} cannot be loaded, not activated: ${(err as Error).message}`);
    }
    const previous = await registry.activeVersion();
    let meta;
    try {
      meta = await registry.activate(version.data);
    } catch (err) {
      if (err instanceof ModelNotFoundError) throw notFound(version.data);
      throw err;
    }
    ctx.logger.info({ version: version.data, previous: previous ?? null }, 'model activated by request');
    res.json({ activated: version.data, previous: previous ?? null, model: { ...meta, active: true } });
  };

  return { 'models.list': list, 'models.get': get, 'models.activate': activate } as const;
}
