/** The pull form's "Contract IDs" field: "3, 5" (commas, spaces or semicolons), or empty / "all" for every contract. */
import { INT32_MAX } from "../model/records";

export type ContractIdsResult = { ok: true; ids: number[] | "all" } | { ok: false; message: string };

export function parseContractIds(text: string): ContractIdsResult {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.toLowerCase() === "all") return { ok: true, ids: "all" };
  const ids: number[] = [];
  for (const part of trimmed.split(/[\s,;]+/).filter(Boolean)) {
    if (!/^\d+$/.test(part) || Number(part) < 1 || Number(part) > INT32_MAX) {
      return {
        ok: false,
        message: `"${part}" is not a contract ID; enter IDs like 3, 5 (whole numbers from 1), or leave the field empty for all contracts.`,
      };
    }
    if (!ids.includes(Number(part))) ids.push(Number(part));
  }
  return { ok: true, ids };
}
