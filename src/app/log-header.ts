/** The Campfire log sheet's columns: one row per field or line a push, push again or undo wrote (or tried to). */
export const LOG_HEADER = ["Time (UTC)", "Table", "Record", "Field or line", "Campfire before", "New value", "Result", "Note"] as const;
