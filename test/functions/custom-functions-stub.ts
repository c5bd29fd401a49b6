/**
 * Excel defines `CustomFunctions` in the add-in's runtime; jest does not. This stand-in has the same shape as
 * @types/custom-functions-service: `new CustomFunctions.Error(code, message?)` with `code` and `message`, and
 * `ErrorCode` values that are the error texts Excel shows ("#VALUE!", "#N/A", ...).
 * Import it first in any test that reaches src/functions.
 */
const ErrorCode = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

class CustomFunctionsError extends Error {
  override name = "CustomFunctions.Error";
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message);
  }
}

const holder = globalThis as { CustomFunctions?: unknown };
holder.CustomFunctions ??= { Error: CustomFunctionsError, ErrorCode };

export {};
