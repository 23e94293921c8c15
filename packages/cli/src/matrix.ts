/**
 * Reading a numeric feature matrix from CSV for `logforest score-matrix`: a header row names the
 * columns (any order; extra columns are ignored), each following line is one row. Every cell the
 * model needs must be a finite decimal number within float32 range (what scikit-learn accepts);
 * anything else is a CliError naming the line and the column.
 */
import { csvFields } from './labels.ts';
import { CliError } from './input.ts';

export interface Matrix {
  /** Row-major values, nRows × columns.length, in the model's column order. */
  X: Float64Array;
  nRows: number;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAN = /^[+-]?nan$/i;
const INF = /^[+-]?(?:inf|infinity)$/i;

function cellValue(cell: string, where: () => string): number {
  const t = cell.trim();
  if (t === '') throw new CliError(`${where()}: empty cell`);
  if (NAN.test(t)) throw new CliError(`${where()}: NaN is not a usable value (scikit-learn rejects it too)`);
  if (INF.test(t)) throw new CliError(`${where()}: "${t}" is not finite`);
  if (!NUMBER.test(t)) throw new CliError(`${where()}: "${t.length > 40 ? `${t.slice(0, 40)}…` : t}" is not a number`);
  const v = Number(t);
  if (!Number.isFinite(Math.fround(v))) throw new CliError(`${where()}: ${t} is beyond float32 range (the forest casts to float32, as scikit-learn does)`);
  return v;
}

/** Parse `text` (named `name` in messages) into the model's `columns`. */
export function readMatrix(text: string, name: string, columns: readonly string[]): Matrix {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0 || lines.every((l) => l.trim() === '')) throw new CliError(`${name} is empty: it needs a header row naming the columns, then one row per sample`);
  const header = csvFields(lines[0] as string).map((h) => h.trim());
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    if (seen.has(h)) throw new CliError(`${name} line 1: column "${h}" appears twice (columns ${seen.get(h)! + 1} and ${i + 1})`);
    seen.set(h, i);
  });
  const missing = columns.filter((c) => !seen.has(c));
  if (missing.length) {
    const asNumbers = header.every((h) => NUMBER.test(h));
    throw new CliError(
      `${name} line 1: missing column${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).map((c) => `"${c}"`).join(', ')}${missing.length > 10 ? ', …' : ''}` +
        ` (the model needs ${columns.length}: ${columns.slice(0, 12).join(', ')}${columns.length > 12 ? ', …' : ''})` +
        (asNumbers ? '; the first line looks like data: the file needs a header row' : ''),
    );
  }
  const pick = Int32Array.from(columns, (c) => seen.get(c) as number);
  const d = columns.length;
  const rows = lines.length - 1;
  const X = new Float64Array(rows * d);
  let n = 0;
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li] as string;
    if (line.trim() === '') throw new CliError(`${name} line ${li + 1}: blank line (every row needs ${header.length} cells)`);
    const cells = line.indexOf('"') < 0 ? line.split(',') : csvFields(line);
    if (cells.length !== header.length) throw new CliError(`${name} line ${li + 1}: ${cells.length} cells, the header has ${header.length}`);
    for (let j = 0; j < d; j++) {
      const c = pick[j] as number;
      X[n * d + j] = cellValue(cells[c] as string, () => `${name} line ${li + 1}, column "${columns[j]}"`);
    }
    n++;
  }
  if (n === 0) throw new CliError(`${name} has a header but no rows`);
  return { X, nRows: n };
}
