import { expect, test } from "bun:test";
import { createAccount, createOperator, encodeAccount } from "@nats-io/jwt";
import type { OperatorClaims } from "./claims.ts";
import { operatorStartupNotes } from "./startup_notes.ts";

test("trusted operators, a missing system account and bad preloads are logged as Go does",
  async () => {
    const op = { iss: "O", sub: "O", name: "ops", iat: 0, exp: 86400, aud: "NATS",
      nats: {} } as OperatorClaims;
    const signer = createOperator();
    const expired = await encodeAccount("a", createAccount(), {}, { signer, exp: 10 });
    const notes = operatorStartupNotes([op], "", { AX: expired, AY: "junk" }, 100);
    expect(notes.info).toEqual(["Trusted Operators", '  System  : "NATS"',
      '  Operator: "ops"', "  Issued  : 1970-01-01 00:00:00 +0000 UTC",
      "  Expires : 1970-01-02 00:00:00 +0000 UTC"]);
    expect(notes.warn).toEqual(["Trusted Operators should utilize a System Account",
      "Account [AX] has validation issues:", "  - claim is expired"]);
    expect(notes.error).toEqual(["Preloaded account [AY] not valid"]);
    expect(operatorStartupNotes([], "", {}, 0)).toEqual({ info: [], warn: [], error: [] });
  });
