/**
 * Which rows of a bundle name which of its pulled lines: the first step of checking a bundle, taken for every
 * bundle of the table. Usually the rows name the lines once each, in the pulled order (as pulled, and after most
 * sorts, which keep a bundle's lines together): that case is answered without building lookups.
 */

/** A row of a bundle and the Line ID it names. */
export interface NamedRow {
  row: number;
  lineId: number;
}

export interface LineClaims {
  /** For each pulled line (by its index in the bundle): its row when exactly one row names it. */
  single: (number | undefined)[];
  /** Lines two or more rows name: the line's index and those rows, in the order the lines were first named. */
  multiple: [line: number, rows: number[]][];
  /** Rows naming a Line ID the bundle does not have, in row order. */
  unknown: NamedRow[];
  /** Indexes of the pulled lines no row names, in line order. */
  absent: number[];
}

/** The rows' claims on a bundle's lines as pulled (their ids are distinct). */
export function claimLines(lines: readonly { id: number }[], rows: readonly NamedRow[]): LineClaims {
  if (rows.length === lines.length) {
    let inOrder = true;
    for (let i = 0; i < rows.length && inOrder; i++) inOrder = rows[i]!.lineId === lines[i]!.id;
    if (inOrder) {
      const single: number[] = [];
      for (const r of rows) single.push(r.row);
      return { single, multiple: [], unknown: [], absent: [] };
    }
  }
  return claimLinesByLookup(lines, rows);
}

/** claimLines for any rows, by looking each Line ID up (exported for the test that holds claimLines to it). */
export function claimLinesByLookup(lines: readonly { id: number }[], rows: readonly NamedRow[]): LineClaims {
  const indexOfLine = new Map<number, number>();
  lines.forEach((line, i) => indexOfLine.set(line.id, i));
  const claims = new Map<number, number[]>();
  const unknown: NamedRow[] = [];
  for (const { row, lineId } of rows) {
    const i = indexOfLine.get(lineId);
    if (i === undefined) unknown.push({ row, lineId });
    else {
      const claiming = claims.get(i);
      if (claiming) claiming.push(row);
      else claims.set(i, [row]);
    }
  }
  const single: (number | undefined)[] = lines.map(() => undefined);
  const multiple: [number, number[]][] = [];
  for (const [i, claiming] of claims) {
    if (claiming.length === 1) single[i] = claiming[0];
    else multiple.push([i, claiming]);
  }
  const absent: number[] = [];
  lines.forEach((_, i) => {
    if (!claims.has(i)) absent.push(i);
  });
  return { single, multiple, unknown, absent };
}
