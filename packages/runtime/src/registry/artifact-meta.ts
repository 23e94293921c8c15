import type { ModelArtifact } from '@logforest/core';
import type { StoreMeta } from './registry.ts';

/**
 * The registry metadata a model artifact implies (what it was trained on, its feature set,
 * threshold and validation report), so every producer stores the same fields the same way.
 */
export function artifactMeta(artifact: ModelArtifact, extra: Partial<StoreMeta> = {}): StoreMeta {
  const t = artifact.training;
  const v = artifact.validation;
  return {
    createdAt: artifact.createdAt,
    trainedOn: { events: t.events, ...(t.from !== undefined ? { from: t.from } : {}), ...(t.to !== undefined ? { to: t.to } : {}) },
    featureSet: { name: artifact.featureSet.name, version: artifact.featureSet.version },
    threshold: artifact.threshold,
    ...(v ? { validation: v } : {}),
    ...(v && !v.passed ? { reasons: v.reasons } : {}),
    ...extra,
  };
}
