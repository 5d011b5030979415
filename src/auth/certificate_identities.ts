/**
 * The identities a client certificate offers to `verify_and_map`, in nats-server's order:
 * e-mail addresses, DNS names and URIs from the subject alternative names, then the subject
 * distinguished name written as Go's pkix.Name.String() writes it (most specific first,
 * comma-separated, e.g. "CN=alice,OU=eng,O=Acme").
 * @module
 */
import { X509Certificate } from "node:crypto";

export function certificateIdentities(der: Uint8Array): string[] {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return [];
  }
  const alternative = parseSubjectAltName(cert.subjectAltName ?? "");
  const subject = cert.subject.split("\n").filter((part) => part !== "").reverse().join(",");
  return [...alternative.email, ...alternative.dns, ...alternative.uri,
    ...(subject !== "" ? [subject] : [])];
}

function parseSubjectAltName(text: string): { email: string[]; dns: string[]; uri: string[] } {
  const out = { email: [] as string[], dns: [] as string[], uri: [] as string[] };
  for (const entry of text.split(/,\s*/)) {
    const colon = entry.indexOf(":");
    if (colon < 0) continue;
    const kind = entry.slice(0, colon);
    const value = entry.slice(colon + 1);
    if (kind === "email") out.email.push(value);
    else if (kind === "DNS") out.dns.push(value);
    else if (kind === "URI") out.uri.push(value);
  }
  return out;
}
