import { excelRoundTrips } from "./excel-round-trips";
import { renderSection } from "./report";
void (async () => {
const s = await excelRoundTrips({ sizes: [10, 1000, 10000], optionalSize: 30000, optionalBudgetSeconds: 60 });
console.log(renderSection(s));
})();
