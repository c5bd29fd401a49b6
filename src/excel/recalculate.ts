/**
 * A full recalculation: Excel re-runs a custom function only when its arguments change, so the functions' Refresh
 * (and a push or sign-in) asks for this to show fresh Campfire data in every CAMPFIRE cell.
 */
export async function recalculateWorkbook(): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.calculate(Excel.CalculationType.full);
    await context.sync();
  });
}
