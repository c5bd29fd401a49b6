/**
 * What identifies a write: its payload as canonical JSON (keys sorted at every level, no spaces). The review
 * keeps it for each record; a send recomputes it from the sheet and Campfire as they are at that moment, and
 * goes out only when the two are byte-for-byte the same — so what reaches Campfire is what the user confirmed.
 * The canonical text itself is the fingerprint: comparing it needs no hash and cannot collide.
 */
export function fingerprint(payload: unknown): string {
  return JSON.stringify(canonical(payload));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      // JSON.stringify drops undefined members; dropping them here keeps {a: undefined} equal to {}.
      if (item !== undefined) out[key] = canonical(item);
    }
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    // JSON has no NaN or Infinity (stringify would write null); such a payload must never look like a valid one.
    throw new FingerprintError(`a payload holds ${String(value)}, which JSON cannot carry`);
  }
  return value;
}

export class FingerprintError extends Error {
  override name = "FingerprintError";
}
