/** Where the config corpus lives and the environment its files reference. */
import { join } from "node:path";

export const CORPUS = join(import.meta.dir, "corpus");

export const CORPUS_ENV: Record<string, string> = {
  NATSD_CORPUS_NAME: "corpus-1",
  ADMIN_PASS_HASH: "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sW3rTGoKMWa",
};
