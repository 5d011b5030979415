/**
 * Loads the C++ addon built by `npm install` (native/build/Release/natsd_native.node).
 * @module
 */
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const addonPath = join(import.meta.dir, "..", "native", "build", "Release", "natsd_native.node");

// deno-lint-ignore no-explicit-any
let loaded: any;
/** The addon's exports; throws with the fix when the addon was never built. */
// deno-lint-ignore no-explicit-any
export function nativeAddon(): any {
  if (loaded) return loaded;
  try {
    loaded = require(addonPath);
  } catch (error) {
    throw new Error(`Cannot load the natsd native addon at "${addonPath}": run "npm install" ` +
      `(or "npm run build:native") first: ${(error as Error).message}`);
  }
  return loaded;
}
