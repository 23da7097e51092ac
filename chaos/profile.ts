// What a soak profile adds to the chaos soak (chaos/long.ts is one): tenant settings, the orders it seeds and how long
// the floor holds them, actors that run beside the soak's own chaos, and checks of its own before the rig closes.
import type { OrderRowInput, Rig } from '../bench/rig';
import type { FaultPlan } from './faults';
import type { WorkerSupervisor } from './supervisor';

export interface SoakContext {
  rig: Rig;
  supervisor: WorkerSupervisor;
  random: () => number;
  /** The soak's fault plan: a profile may change it, then re-apply it (the soak's 429 bursts apply it as it is). */
  faults: FaultPlan;
  seed: number;
  log: (line: string) => void;
}

export interface ProfileReport {
  /** Rows for the result table, in order. */
  rows: [string, string | number][];
  violations: number;
  /** What CHAOS_RESULT carries for the profile. */
  summary: Record<string, unknown>;
  examples: string[];
}

export interface SoakProfile {
  /** Tenant settings over the soak's own (shallow: a `processes` here replaces the soak's). */
  settings?: Record<string, unknown>;
  /** Fortnox Lager on, whatever the stock sync does. */
  lager?: boolean;
  /** Rows of the next seeded order; undefined: the soak's own (1-3 rows of the rig's articles). */
  rows?(random: () => number, rig: Rig): OrderRowInput[] | undefined;
  /** How long the floor holds an order before it starts it; undefined: the soak's own (up to 2 s). */
  holdMs?(orderNumber: string): number | undefined;
  /** Starts the profile's actors once the worker, the floor and the schedules run. */
  start(context: SoakContext): Promise<void>;
  /** Stops them once the soak settled or ran out of time; the soak clears its faults after this. */
  stop(): Promise<void>;
  /** The profile's own checks, once everything is quiet and before the rig closes. */
  check(context: SoakContext, settled: boolean): Promise<ProfileReport>;
}
