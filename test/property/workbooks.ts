/**
 * The two workbooks the round-trip tests pull into, behind one "a user types into a cell" surface: the real Excel
 * adapter over the Excel fake, and the in-memory workbook. And a session signed in to a sandbox.
 */
import { createCampfireClient } from "../../src/api/client";
import { Session } from "../../src/app/session";
import type { CellValue, WorkbookPort } from "../../src/app/ports";
import { columnName } from "../../src/domain/a1";
import { ExcelWorkbook } from "../../src/excel/workbook";
import { installExcelFake, type FakeExcel } from "../../preview/excel-fake/fake-excel";
import type { RunningSandbox } from "../../src/sandbox/server";
import { MemoryWorkbook } from "../helpers/memory-workbook";
import { MemoryConnectionStore } from "../helpers/memory-connection-store";

/** A workbook the user types into: by table, record id column and header. */
export interface Sheet {
  name: string;
  port: WorkbookPort;
  /** The Excel fake behind the adapter (absent for the in-memory workbook). */
  fake?: FakeExcel;
  type(table: string, idHeader: string, id: number, header: string, value: CellValue): Promise<void>;
}

export function memorySheet(): Sheet {
  const wb = new MemoryWorkbook();
  return {
    name: "in-memory workbook",
    port: wb,
    async type(table, idHeader, id, header, value) {
      const row = wb.findRow(table, { [idHeader]: id });
      if (row < 0) throw new Error(`no row for ${idHeader} ${id}`);
      wb.type(table, row, header, value);
    },
  };
}

export function excelSheet(): Sheet {
  const fake: FakeExcel = installExcelFake(globalThis as unknown as Record<string, unknown>);
  return {
    name: "Excel adapter on the Excel fake",
    port: new ExcelWorkbook(),
    fake,
    async type(table, idHeader, id, header, value) {
      const at = fakeCell(fake, table, idHeader, id, header);
      await fake.edit(at.sheet, at.address, value as string);
    },
  };
}

/** Where a record's cell is in the fake: the table's sheet and the cell's A1 address, found by the record's id. */
export function fakeCell(fake: FakeExcel, table: string, idHeader: string, id: number, header: string): { sheet: string; address: string } {
  const t = fake.table(table);
  if (!t) throw new Error(`no table ${table}`);
  const values = fake.values(t.sheet, t.address);
  const idAt = t.headers.indexOf(idHeader);
  const at = t.headers.indexOf(header);
  const row = values.findIndex((r, i) => i > 0 && r[idAt] === id);
  if (row < 0 || at < 0) throw new Error(`no cell ${header} for ${idHeader} ${id}`);
  const start = /^([A-Z]+)(\d+)/.exec(t.address);
  if (!start || start[1] !== "A") throw new Error(`the table ${table} does not start in column A`);
  return { sheet: t.sheet, address: `${columnName(at)}${Number(start[2]) + row}` };
}

/** A session signed in to the sandbox, with no retries (a fault must fail its request). */
export async function signedIn(sandbox: RunningSandbox): Promise<Session> {
  const session = new Session(new MemoryConnectionStore(), (o) => createCampfireClient({ ...o, retries: 0 }));
  await session.signIn({ baseUrl: sandbox.url, token: sandbox.token, kind: "sandbox" });
  return session;
}
