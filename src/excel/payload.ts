/**
 * Request sizes. Excel on the web rejects a request over 5 MB (RequestPayloadSizeLimitExceeded), so large
 * writes are cut into batches whose estimated size stays well under that.
 */

/** Budget for one batch: well under 5 MB, leaving room for the request's own framing and the other commands. */
export const DEFAULT_BATCH_BYTES = 2_000_000;

/** UTF-8 bytes of a value as JSON, which is what travels to Excel. */
export function jsonByteLength(value: unknown): number {
  const text = JSON.stringify(value) ?? "";
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Cuts rows into consecutive [start, end) slices whose JSON (plus `extraBytesOf(i)` sent with row i) stays within
 * `budget` bytes each. A single row larger than the budget gets a slice of its own (Excel may still take it: the
 * budget is far below the real limit).
 */
export function sliceByBytes(
  rows: readonly unknown[],
  budget: number,
  extraBytesOf: (row: number) => number = () => 0,
): Array<[number, number]> {
  const slices: Array<[number, number]> = [];
  let start = 0;
  let size = 2; // the matrix's brackets
  for (let i = 0; i < rows.length; i++) {
    const bytes = jsonByteLength(rows[i]) + 1 + extraBytesOf(i);
    if (i > start && size + bytes > budget) {
      slices.push([start, i]);
      start = i;
      size = 2;
    }
    size += bytes;
  }
  if (rows.length > start) slices.push([start, rows.length]);
  return slices;
}
