// Fortnox's rate limit as a true sliding window per tenant (default 25 requests per 5 s) on the sandbox clock.
import type { Tenant } from './state';

export interface RateLimitOptions {
  requests: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { requests: 25, windowMs: 5000 };

/**
 * Admits a call if fewer than `requests` calls were admitted in the last `windowMs`. Rejected calls are not counted
 * (Fortnox does not say; this reading lets a client that backs off recover after exactly one window).
 */
export function admit(tenant: Tenant, options: RateLimitOptions, nowMs: number): boolean {
  const window = tenant.rateWindow;
  while (window.length > 0 && (window[0] ?? 0) <= nowMs - options.windowMs) window.shift();
  // A clock moved backwards must not leave future stamps blocking the window forever.
  if (window.length > 0 && (window[window.length - 1] ?? 0) > nowMs) window.length = 0;
  if (window.length >= options.requests) return false;
  window.push(nowMs);
  return true;
}
