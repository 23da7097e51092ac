// A product process that `npm start` runs beside itself (the Fortnox event listener): its output goes to ours, it is
// started again when it dies unasked (after a pause that grows while it keeps dying), and stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';

export interface SupervisedProcess {
  /** The running process's pid (undefined between a death and its restart). */
  pid(): number | undefined;
  /** How many times it was started. */
  starts(): number;
  /** SIGKILLs the running process (a crash, for the chaos soak); it is started again as after any death. */
  kill(): boolean;
  stop(): Promise<void>;
}

export function superviseProcess(options: {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Restart pauses: from `min` doubling to `max` (defaults 1 s and 30 s); a process up for a minute starts over. */
  restartMs?: { min: number; max: number };
  /** Its output: ours (default) or dropped. */
  output?: 'inherit' | 'ignore';
}): SupervisedProcess {
  const { min, max } = options.restartMs ?? { min: 1000, max: 30_000 };
  let child: ChildProcess | undefined;
  let stopped = false;
  let starts = 0;
  let pause = min;
  let restartTimer: NodeJS.Timeout | undefined;

  const start = () => {
    const startedAt = Date.now();
    starts++;
    const current = spawn(process.execPath, ['--import', 'tsx', options.script], {
      env: options.env,
      stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit'],
    });
    child = current;
    current.once('exit', (code, signal) => {
      child = undefined;
      if (stopped) return;
      if (Date.now() - startedAt > 60_000) pause = min;
      options.logger.error({ process: options.name, code, signal, restartInMs: pause }, 'process died; restarting');
      restartTimer = setTimeout(start, pause);
      pause = Math.min(pause * 2, max);
    });
  };
  start();

  return {
    pid: () => child?.pid,
    starts: () => starts,
    kill: () => Boolean(child?.kill('SIGKILL')),
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      const current = child;
      if (!current || current.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill('SIGTERM');
      const killer = setTimeout(() => current.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
