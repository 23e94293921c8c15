/**
 * The command table: `logforest <name>` runs the entry with that name; usage lists them in this
 * order. Adding a command = one file in this folder + one entry here.
 */
import type { Command } from '../command.ts';
import { analyze } from './analyze.ts';
import { evalCommand } from './eval.ts';
import { exportSklearn } from './export-sklearn.ts';
import { importSklearn } from './import-sklearn.ts';
import { score } from './score.ts';
import { scoreMatrix } from './score-matrix.ts';
import { train } from './train.ts';

export const commands: Command[] = [
  analyze,
  train,
  score,
  evalCommand,
  importSklearn,
  scoreMatrix,
  exportSklearn,
];
