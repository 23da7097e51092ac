// The sandbox clock: real time plus an adjustable offset, so tests can expire tokens and move dates without sleeping.
export class SandboxClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Jump to an instant; the clock keeps ticking from there. */
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }
}
