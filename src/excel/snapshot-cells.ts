/**
 * Snapshot text ⇄ cells. A cell holds at most 32,767 characters, so long JSON is cut into pieces of at most
 * 32,000 (never between the two halves of a surrogate pair). Each piece is stored behind a one-character
 * prefix so that no piece can look like a formula, number or date to Excel, whatever it starts with.
 */
import { snapshotPieceMessage } from "./excel-messages";

export const CELL_TEXT_LIMIT = 32_000;
const PIECE_PREFIX = "|";

export function splitForCells(text: string, limit = CELL_TEXT_LIMIT): string[] {
  if (limit < 2) throw new RangeError("the piece limit must be at least 2 characters");
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + limit - PIECE_PREFIX.length, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(PIECE_PREFIX + text.slice(at, end));
    at = end;
  }
  return pieces;
}

export class SnapshotCorruptError extends Error {
  override name = "SnapshotCorruptError";
}

export function joinCells(key: string, pieces: readonly unknown[]): string {
  return pieces
    .map((piece, i) => {
      if (typeof piece !== "string" || !piece.startsWith(PIECE_PREFIX)) {
        throw new SnapshotCorruptError(snapshotPieceMessage(key, i + 1, pieces.length));
      }
      return piece.slice(PIECE_PREFIX.length);
    })
    .join("");
}
