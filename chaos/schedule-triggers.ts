// "Sync now", the way operators ask for it: the order sync schedule triggered now and then through the CLI's path (a
// Temporal client's trigger) and through the sandbox console's HTTP endpoint, beside the schedule's own runs.
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import got from 'got';
import type { Rig } from '../bench/rig';
import { startConsole, type ConsoleServer } from '../simulators/console/server';
import { ordersScheduleId } from '../domain/names';

/**
 * The trigger both the CLI and the console use. SKIP, not the SDK's default ALLOW_ALL: a run triggered with ALLOW_ALL
 * neither receives nor records the schedule's last completion result, and may run beside the scheduled one (issue 16,
 * defect 4). Until the shared `triggerScheduleNow` of client/schedules.ts lands, this is its stand-in.
 */
export async function triggerNow(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.SKIP);
}

export interface TriggerCounts {
  cli: number;
  console: number;
  failed: number;
}

export class ScheduleTriggers {
  readonly counts: TriggerCounts = { cli: 0, console: 0, failed: 0 };
  private console: ConsoleServer | undefined;
  private consoleUrl = '';
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly rig: Rig,
    private readonly random: () => number,
    private readonly log: (line: string) => void,
  ) {}

  get scheduleId(): string {
    return ordersScheduleId(this.rig.tenant.id);
  }

  /** Starts the console (as `npm start` does for the demo) and triggers every `everyMs` (± half), alternating paths. */
  async start(everyMs: number): Promise<void> {
    const { rig } = this;
    this.console = await startConsole({
      port: 0,
      fortnoxUrl: rig.fortnox.url,
      wmsUrl: rig.wms.url,
      tenant: rig.tenant,
      temporalUiUrl: 'http://localhost:8233',
      namespace: 'default',
      syncNow: () => triggerNow(rig.client, this.scheduleId),
    });
    const address = this.console.app.server.address();
    this.consoleUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(
        () => {
          const viaConsole = this.sequence++ % 2 === 1;
          const sent = (viaConsole ? this.viaConsole() : this.viaCli())
            .then(
              () => void (viaConsole ? this.counts.console++ : this.counts.cli++),
              // The server may be restarting: an operator would press again; count it and go on.
              (err: Error) => {
                this.counts.failed++;
                this.log(`sync now (${viaConsole ? 'console' : 'CLI'}) failed: ${err.message.split('\n')[0]}`);
              },
            )
            .finally(() => this.inFlight.delete(sent));
          this.inFlight.add(sent);
          next();
        },
        everyMs * (0.5 + this.random()),
      );
    };
    next();
  }

  private viaCli(): Promise<void> {
    return triggerNow(this.rig.client, this.scheduleId);
  }

  private async viaConsole(): Promise<void> {
    await got.post(`${this.consoleUrl}/api/sync`, { json: {}, timeout: { request: 15_000 }, retry: { limit: 0 } });
  }

  /** Runs the schedule took and runs it skipped because one was still running (a SKIP trigger or a due run). */
  async outcome(): Promise<{ taken: number; skippedOverlap: number }> {
    const { info } = await this.rig.client.schedule.getHandle(this.scheduleId).describe();
    return { taken: info.numActionsTaken, skippedOverlap: info.numActionsSkippedOverlap };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.inFlight);
    await this.console?.close();
    this.console = undefined;
  }
}
