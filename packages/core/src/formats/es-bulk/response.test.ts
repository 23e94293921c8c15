/**
 * filter_path must stay cheap and total whatever the client sends. Found by the adversarial
 * scenario (tools/faults/scenarios/adversarial.ts), which feeds every regex of the codebase:
 * - a glob segment was compiled into a RegExp per item and key, so 1,600 patterns over 10,000 items
 *   took ~15 s of one CPU (items × patterns compilations) while the event loop was blocked;
 * - a long glob (`items.*r*r*r…`, 8,000 stars) made the RegExp constructor throw "Stack overflow":
 *   a 500 after the documents had already been enqueued, so the shipper's retry duplicated them.
 */
import { describe, expect, it } from 'vitest';
import { decodeBulk } from './index.ts';
import { MAX_FILTER_PATHS, applyFilterPath, bulkResponse, globMatch } from './response.ts';

const items = decodeBulk(Buffer.from('{"index":{}}\n{"message":"m"}\n'.repeat(10_000)), { receivedAt: Date.UTC(2024, 4, 1) }).items;

describe('filter_path on hostile input', () => {
  it('a glob with thousands of stars filters instead of throwing', () => {
    const reply = JSON.parse(bulkResponse(items.slice(0, 3), 1, `errors,items.${'*r'.repeat(8000)}*`));
    expect(reply).toEqual({ errors: false });
    expect(JSON.parse(bulkResponse(items.slice(0, 1), 1, 'items.*.st*t*s'))).toEqual({ items: [{ index: { status: 201 } }] });
  });

  it('many patterns over many items stay linear: past the cap the reply is the unfiltered superset', () => {
    const many = Array.from({ length: 1600 }, (_, i) => `items.*${String.fromCharCode(97 + (i % 26))}${i}*`).join(',');
    const t0 = performance.now();
    const reply = bulkResponse(items, 1, many);
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(reply).toBe(bulkResponse(items, 1).replace(/"took":\d+/, '"took":1'));
  });

  it('up to the cap, patterns apply (duplicates counted once)', () => {
    const v = { took: 1, errors: false, items: [{ index: { _id: 'a', status: 201 } }] };
    const dupes = Array.from({ length: MAX_FILTER_PATHS * 4 }, () => 'items.*.status').join(',');
    expect(applyFilterPath(v, `errors,${dupes}`)).toEqual({ errors: false, items: [{ index: { status: 201 } }] });
    const over = Array.from({ length: MAX_FILTER_PATHS + 1 }, (_, i) => `x${i}`).join(',');
    expect(applyFilterPath(v, over)).toBe(v);
  });

  it('globMatch', () => {
    expect(globMatch('_i*', '_index')).toBe(true);
    expect(globMatch('_i*', '_id')).toBe(true);
    expect(globMatch('*x', '_id')).toBe(false);
    expect(globMatch('a*b*c', 'aXbYc')).toBe(true);
    expect(globMatch('a*b*c', 'aXbYcd')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('**a', 'a')).toBe(true);
  });
});
