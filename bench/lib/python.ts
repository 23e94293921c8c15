/**
 * Start a Python benchmark peer as a child process, after checking that its interpreter and
 * modules are there: when they are not, exit with a message saying exactly what is missing and
 * which Debian packages bring it (never a silent failure or a stack trace).
 */
import { spawn, spawnSync } from 'node:child_process';
import { watchProc, type Proc } from '../../tests/stack/proc.ts';

/** Exit(2) with a clear message unless `python` can import every module in `modules`. */
export function requirePython(python: string, modules: string[], debPackages: string): void {
  const probe = spawnSync(python, ['-c', `import importlib, sys\nmissing = []\nfor m in sys.argv[1:]:\n    try:\n        importlib.import_module(m)\n    except ImportError:\n        missing.append(m)\nprint(' '.join(missing))`, ...modules], {
    encoding: 'utf8',
  });
  if (probe.error || probe.status !== 0) {
    console.error(`this benchmark needs ${python} (Debian: apt-get install python3 ${debPackages}); it could not run: ${probe.error?.message ?? probe.stderr.trim()}`);
    process.exit(2);
  }
  const missing = probe.stdout.trim();
  if (missing) {
    console.error(`this benchmark needs the Python modules ${modules.join(', ')} for ${python}; missing: ${missing} (Debian: apt-get install ${debPackages})`);
    process.exit(2);
  }
}

/** Check the modules, then spawn `python args…` with `env` added; output is kept like spawnTs's. */
export function startPython(python: string, args: string[], env: Record<string, string>, modules: string[], debPackages: string): Proc {
  requirePython(python, modules, debPackages);
  const proc = spawn(python, args, { env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return watchProc(proc, 10_000);
}
