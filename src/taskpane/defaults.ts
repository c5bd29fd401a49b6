/**
 * The local sandbox's public demo token (src/sandbox's default), prefilled by "Use the local sandbox".
 * It opens nothing but the sandbox on this machine; real Campfire tokens are typed by the user.
 */
export const DEFAULT_SANDBOX_TOKEN_FOR_UI = "campfire-sandbox-demo-token";
