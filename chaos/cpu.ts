// A process's CPU use over a while, from Linux /proc: user plus system time of all its threads (the worker's Rust core
// included), as a share of one core.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime of the process, in clock ticks; undefined once it is gone. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** Share of one core (0.05 = 5 %) the process used over `windowMs`; undefined if it ended meanwhile or there is no /proc. */
export async function cpuShare(pid: number, windowMs: number): Promise<number | undefined> {
  const before = cpuTicks(pid);
  const started = process.hrtime.bigint();
  await sleep(windowMs);
  const after = cpuTicks(pid);
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  if (before === undefined || after === undefined) return undefined;
  return (after - before) / clockTicksPerSecond() / elapsedS;
}
