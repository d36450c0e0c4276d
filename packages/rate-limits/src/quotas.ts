import type { DecisionSource } from "./decision.ts";

/** A partner API key's allowance: calls per clock minute and per UTC day. */
export interface Quota {
  readonly perMinute: number;
  readonly perDay: number;
}

export type QuotaWindow = "minute" | "day";

export interface QuotaWindowState {
  readonly limit: number;
  /** Calls counted in this window, this one included when allowed. */
  readonly used: number;
  readonly remaining: number;
  /** Seconds until this window ends (the next minute, or UTC midnight). */
  readonly resetSeconds: number;
}

export interface QuotaDecision {
  readonly allowed: boolean;
  /** The window that refused; when both are spent, the day (the longer wait). */
  readonly refusedBy?: QuotaWindow;
  /** 0 when allowed; otherwise seconds until the refusing window resets. */
  readonly retryAfterSeconds: number;
  readonly minute: QuotaWindowState;
  readonly day: QuotaWindowState;
  readonly source: DecisionSource;
}

export interface QuotaUsage {
  readonly minute: number;
  readonly day: number;
}

/** Counts API-key calls in fixed windows; a refused call is not counted. */
export interface ApiKeyQuotas {
  consumeQuota(keyId: string, quota: Quota): Promise<QuotaDecision>;
  /** Calls counted so far in the current minute and UTC day. */
  usage(keyId: string): Promise<QuotaUsage>;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The windows a moment falls in: epoch minutes, and epoch days (a UTC day starts at midnight UTC). */
export function quotaWindows(nowMs: number) {
  const minute = Math.floor(nowMs / MINUTE_MS);
  const day = Math.floor(nowMs / DAY_MS);
  return {
    minute,
    day,
    minuteEndsInMs: (minute + 1) * MINUTE_MS - nowMs,
    dayEndsInMs: (day + 1) * DAY_MS - nowMs,
  };
}

/** The check both implementations make: the day first, since its refusal is the longer one. */
export function quotaDecision(
  quota: Quota,
  counts: { minute: number; day: number },
  nowMs: number,
  source: DecisionSource,
): { decision: QuotaDecision; count: boolean } {
  const windows = quotaWindows(nowMs);
  const refusedBy: QuotaWindow | undefined =
    counts.day >= quota.perDay ? "day" : counts.minute >= quota.perMinute ? "minute" : undefined;
  const count = refusedBy === undefined;
  const used = { minute: counts.minute + (count ? 1 : 0), day: counts.day + (count ? 1 : 0) };
  const state = (limit: number, n: number, endsInMs: number): QuotaWindowState => ({
    limit,
    used: n,
    remaining: Math.max(0, limit - n),
    resetSeconds: Math.max(1, Math.ceil(endsInMs / 1000)),
  });
  const minute = state(quota.perMinute, used.minute, windows.minuteEndsInMs);
  const day = state(quota.perDay, used.day, windows.dayEndsInMs);
  return {
    count,
    decision: {
      allowed: count,
      ...(refusedBy ? { refusedBy } : {}),
      retryAfterSeconds: refusedBy ? (refusedBy === "day" ? day : minute).resetSeconds : 0,
      minute,
      day,
      source,
    },
  };
}
