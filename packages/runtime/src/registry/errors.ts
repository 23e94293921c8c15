/** Errors the registry throws; callers (HTTP handlers) map them to status codes. */

/** The version is not stored (never was, or retention removed it). HTTP: 404. */
export class ModelNotFoundError extends Error {
  constructor(readonly version: string) {
    super(`model ${version} is not stored`);
    this.name = 'ModelNotFoundError';
  }
}

/** `store` refuses to overwrite a version: versions are immutable. HTTP: 409. */
export class ModelExistsError extends Error {
  constructor(readonly version: string) {
    super(`model ${version} is already stored; versions are immutable`);
    this.name = 'ModelExistsError';
  }
}

/** The operation does not apply to the active version (e.g. rejecting it). HTTP: 409. */
export class ModelActiveError extends Error {
  constructor(readonly version: string, action: string) {
    super(`model ${version} is active; cannot ${action} it`);
    this.name = 'ModelActiveError';
  }
}
