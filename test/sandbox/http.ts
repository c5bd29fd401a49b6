/** Plain fetch calls against a sandbox, returning status, headers and the parsed body. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /**
   * The parsed body, undefined when it is not JSON. Deliberately loose: tests reach into every kind of answer
   * (records, pages, DRF errors) by path and compare with exact values; a schema per endpoint would only repeat
   * the client's, and tests that need the shape parse it with those schemas.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  json: any;
}

export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;

export function caller(baseUrl: string, token: string | null): Call {
  return async (method, path, body, headers = {}) => {
    const h: Record<string, string> = { ...headers };
    if (token !== null) h.Authorization = `Token ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      h["Content-Type"] ??= "application/json";
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers: h, ...(payload === undefined ? {} : { body: payload }) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
}
