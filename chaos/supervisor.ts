// Keeps the product's worker processes running during a soak: restarts each whenever it dies, whether the soak
// killed it or it fell over, and counts both. One process by default; the stack soak runs three.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Rig, WorkerProcess } from '../bench/rig';

export class WorkerSupervisor {
  private readonly slots: (WorkerProcess | undefined)[];
  kills = 0;
  exits = 0;
  private stopped = false;
  private readonly starting = new Set<Promise<void>>();

  constructor(
    private readonly rig: Rig,
    private readonly log: (line: string) => void,
    private readonly logLevel = 'info',
    count = 1,
  ) {
    this.slots = Array.from({ length: count }, () => undefined);
  }

  /** The first running worker process (the only one, in a one-process soak). */
  get current(): WorkerProcess | undefined {
    return this.slots.find((w) => w !== undefined);
  }

  get running(): WorkerProcess[] {
    return this.slots.filter((w): w is WorkerProcess => w !== undefined);
  }

  async start(): Promise<void> {
    await Promise.all(this.slots.map((_, slot) => this.startSlot(slot)));
  }

  private async startSlot(slot: number): Promise<void> {
    while (!this.stopped) {
      try {
        const worker = await this.rig.spawnWorker('product', { LOG_LEVEL: this.logLevel });
        this.slots[slot] = worker;
        worker.child.once('exit', (code, signal) => {
          this.slots[slot] = undefined;
          if (this.stopped) return;
          if (signal !== 'SIGKILL') {
            this.exits++;
            this.log(`worker ${worker.pid} exited by itself (${code ?? signal}); restarting`);
          }
          const restart = this.startSlot(slot).finally(() => this.starting.delete(restart));
          this.starting.add(restart);
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

  /** SIGKILLs one running worker process, taking them in turn. */
  kill(): boolean {
    const running = this.running;
    if (running.length === 0) return false;
    const victim = running[this.kills % running.length]!;
    this.kills++;
    this.log(`SIGKILL worker ${victim.pid}`);
    victim.child.kill('SIGKILL');
    return true;
  }

  async ready(): Promise<void> {
    await Promise.all(this.starting);
  }

  stop(): void {
    this.stopped = true;
    for (const worker of this.running) worker.child.kill('SIGKILL');
  }
}
