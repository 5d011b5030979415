/**
 * Operator-mode test material, generated at test time (no checked-in secrets): an operator
 * with a signing key and a system account, accounts signed by it, users signed by accounts
 * or their signing keys, creds files and raw CONNECT lines signing an INFO nonce.
 */
import {
  type Account, createAccount, createOperator, createUser, encodeAccount, encodeActivation,
  encodeOperator, encodeUser, fmtCreds, type KeyPair, type User,
} from "@nats-io/jwt";
import type { RawClient } from "../harness/raw_client.ts";

/** What nsc writes for an account without limits: a limit left out means 0 to the server. */
export const NO_LIMITS = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1,
  wildcards: true, conn: -1, leaf: -1 };

export interface TestAccount {
  kp: KeyPair;
  signer: KeyPair;
  jwt: string;
  key: string;
}

export class TestOperator {
  readonly kp = createOperator();
  readonly signer = createOperator();
  readonly sys = createAccount();
  jwt = "";
  sysJwt = "";

  static async create(): Promise<TestOperator> {
    const op = new TestOperator();
    op.jwt = await encodeOperator("test-operator", op.kp, {
      signing_keys: [op.signer.getPublicKey()], system_account: op.sys.getPublicKey(),
    });
    op.sysJwt = await encodeAccount("SYS", op.sys, { limits: NO_LIMITS },
      { signer: op.signer });
    return op;
  }

  /** An account signed by the operator's signing key, with its own signing key. */
  async account(name: string, claims: Partial<Account> = {}, kp = createAccount(),
    signer = createAccount(), exp?: number): Promise<TestAccount> {
    const jwt = await encodeAccount(name, kp, {
      ...claims, signing_keys: [signer.getPublicKey(), ...(claims.signing_keys ?? [])],
      limits: { ...NO_LIMITS, ...claims.limits },
    }, { signer: this.signer, ...(exp !== undefined ? { exp } : {}) });
    return { kp, signer, jwt, key: kp.getPublicKey() };
  }

  /** The system account as a TestAccount (its users are signed by the account key). */
  get system(): TestAccount {
    return { kp: this.sys, signer: this.sys, jwt: this.sysJwt, key: this.sys.getPublicKey() };
  }

  preload(...accounts: TestAccount[]): string {
    const entries = [`${this.sys.getPublicKey()}: "${this.sysJwt}"`,
      ...accounts.map((a) => `${a.key}: "${a.jwt}"`)];
    return `resolver_preload: {\n  ${entries.join("\n  ")}\n}`;
  }
}

export interface TestUser {
  kp: KeyPair;
  jwt: string;
  creds: Uint8Array;
}

/** A user of `account`, signed by the account key or (`viaSigner`) its signing key. */
export async function userOf(account: TestAccount, claims: Partial<User> = {},
  options: { viaSigner?: boolean; exp?: number; kp?: KeyPair } = {}): Promise<TestUser> {
  const kp = options.kp ?? createUser();
  const issuer = options.viaSigner ? account.signer : account.kp;
  const data: Partial<User> = options.viaSigner
    ? { issuer_account: account.key, ...claims } : claims;
  const jwt = await encodeUser("user", kp, issuer, data,
    options.exp !== undefined ? { exp: options.exp } : {});
  return { kp, jwt, creds: fmtCreds(jwt, kp) };
}

export async function activation(exporter: TestAccount, importer: TestAccount, subject: string,
  kind: "stream" | "service"): Promise<string> {
  return await encodeActivation("act", importer.kp, exporter.kp, kind, { subject });
}

/** Reads INFO, then sends CONNECT with the user's JWT and its signature of the nonce. */
export async function rawJwtConnect(client: RawClient, user: { kp: KeyPair; jwt: string },
  options: { nonce?: string; sig?: string } = {}): Promise<void> {
  const info = await client.readInfo();
  const nonce = options.nonce ?? String(info.nonce);
  const sig = options.sig ??
    Buffer.from(user.kp.sign(new TextEncoder().encode(nonce))).toString("base64url");
  await client.write(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false,
    jwt: user.jwt, sig, protocol: 1, headers: true })}\r\nPING\r\n`);
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}
