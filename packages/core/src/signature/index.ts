/** Event signatures (message code, else exception class + root cause, else a fallback). */
export * from './signature.ts';
