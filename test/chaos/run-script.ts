// Runs one of the chaos npm scripts as its own process (it starts its own dev server, sandboxes and worker) and hands
// back its output: the soak prints its summary as one `CHAOS_RESULT {json}` line.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ChaosRun {
  code: number | null;
  stdout: string;
  /** The last 4,000 characters only: enough to see why it failed. */
  stderr: string;
}

export function runChaosScript(script: string, args: string[]): Promise<ChaosRun> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
      cwd: join(import.meta.dirname, '..', '..'),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The soak's summary line, parsed; fails with the whole output when it is missing. */
export function chaosResult<T>({ stdout, stderr }: ChaosRun): T {
  const line = stdout.split('\n').find((l) => l.startsWith('CHAOS_RESULT '));
  if (!line) throw new Error(`no result line; stdout:\n${stdout}\nstderr:\n${stderr}`);
  return JSON.parse(line.slice('CHAOS_RESULT '.length)) as T;
}
