import { describe, expect, test } from "bun:test";
import { createAccount, createOperator, createUser, encodeOperator, encodeUser }
  from "@nats-io/jwt";
import { identityDetails, trustedOperatorsFields, userJwtDetails } from "./jwt_details.ts";

describe("jwt details", () => {
  test("a user JWT gives its key, issuer, tags and text; a bearer token is redacted", async () => {
    const account = createAccount();
    const user = createUser();
    const jwt = await encodeUser("u", user, account, { tags: ["a", "b"] });
    expect(userJwtDetails(jwt)).toEqual({
      user: user.getPublicKey(), jwt, issuerKey: account.getPublicKey(), tags: ["a", "b"],
      name: "u",
    });
    const bearer = await encodeUser("b", createUser(), account, { bearer_token: true });
    expect(userJwtDetails(bearer)?.jwt).toBe("");
  });

  test("no JWT or an undecodable one gives nothing", () => {
    expect(userJwtDetails("")).toBeNull();
    expect(userJwtDetails("not.a.jwt")).toBeNull();
  });

  test("trusted operators: JWTs and decoded claims, nothing without operators", async () => {
    expect(trustedOperatorsFields([])).toEqual({});
    const kp = createOperator();
    const jwt = await encodeOperator("op", kp, {});
    const fields = trustedOperatorsFields([jwt]) as { trusted_operators_jwt: string[];
      trusted_operators_claim: { sub: string; name: string }[] };
    expect(fields.trusted_operators_jwt).toEqual([jwt]);
    expect(fields.trusted_operators_claim[0].sub).toBe(kp.getPublicKey());
    expect(fields.trusted_operators_claim[0].name).toBe("op");
  });

  test("an nkey user's issuer is its account; plain users have none", () => {
    expect(identityDetails({ jwt: "", nkey: "UKEY" }, "A"))
      .toEqual({ user: "UKEY", jwt: "", issuerKey: "A", tags: [] });
    expect(identityDetails({ jwt: "", nkey: "" }, "A")).toBeNull();
  });
});
