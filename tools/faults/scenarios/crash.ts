/**
 * Fault scenario: worker crashes. A random score worker is SIGKILLed every few seconds under
 * steady load and replaced; afterwards every acknowledged event must have its verdicts, and no
 * batch may be counted twice. Prints a markdown section; exits 1 when an invariant fails.
 *
 *   tsx tools/faults/scenarios/crash.ts [--quick] [--seconds 120] [--workers 2] [--rate 10]
 */
import { runCrash } from '../lib/crash.ts';
import { numberFlag, runScenario, scenarioFlags } from '../lib/util.ts';

const flags = scenarioFlags(['seconds', 'workers', 'rate', 'lines']);
await runScenario(() =>
  runCrash({
    durationMs: numberFlag(flags, 'seconds', flags.quick ? 20 : 120) * 1000,
    workers: numberFlag(flags, 'workers', 2),
    killEveryMs: flags.quick ? [2000, 4000] : [3000, 7000],
    linesPerRequest: numberFlag(flags, 'lines', 500),
    ratePerSec: numberFlag(flags, 'rate', 10),
  }),
);
