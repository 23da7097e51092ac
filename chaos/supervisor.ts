// Keeps the product's worker process running during a soak: restarts it whenever it dies, whether the soak killed it
// or it fell over, and counts both.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Rig, WorkerProcess } from '../bench/rig';

export class WorkerSupervisor {
  current: WorkerProcess | undefined;
  kills = 0;
  exits = 0;
  private stopped = false;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly rig: Rig,
    private readonly log: (line: string) => void,
    private readonly logLevel = 'info',
  ) {}

  async start(): Promise<void> {
    while (!this.stopped) {
      try {
        const worker = await this.rig.spawnWorker('product', { LOG_LEVEL: this.logLevel });
        this.current = worker;
        worker.child.once('exit', (code, signal) => {
          this.current = undefined;
          if (this.stopped) return;
          if (signal !== 'SIGKILL') {
            this.exits++;
            this.log(`worker ${worker.pid} exited by itself (${code ?? signal}); restarting`);
          }
          this.starting = this.start();
        });
        return;
      } catch (err) {
        // E.g. the server is down while it restarts: try again shortly.
        this.exits++;
        this.log(`worker did not start: ${(err as Error).message.split('\n')[0]}; retrying`);
        await sleep(1000);
      }
    }
  }

  kill(): boolean {
    if (!this.current) return false;
    this.kills++;
    this.log(`SIGKILL worker ${this.current.pid}`);
    this.current.child.kill('SIGKILL');
    return true;
  }

  async ready(): Promise<void> {
    await this.starting;
  }

  stop(): void {
    this.stopped = true;
    this.current?.child.kill('SIGKILL');
  }
}
