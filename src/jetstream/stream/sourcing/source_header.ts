/**
 * Naming a source and the `Nats-Stream-Source` header a sourced message carries (nats-server
 * stream.go: composeIName, genSourceHeader, streamAndSeq).
 *
 * Index name: `<stream>[:<hash(external api)>] <filters> <destinations>`, filters and
 * destinations joined by form feeds, `>` for an empty one.
 * Header (2.10+, 2.14 adds the original subject):
 *   `<stream>[:<hash>] <origin seq> <filters> <destinations> <original subject>`.
 * nats-server 2.9 wrote `<stream> <seq>`; older still the whole `$JS.ACK` reply. Both parse.
 * @module
 */
import { accountHash, parseAckReply } from "../../consumer/core/ack_subject.ts";
import type { StreamSource } from "../config.ts";

const ALL = ">";

/** nats-server's getHash: 8 base-62 characters of a sha256. */
export const goHash = accountHash;

/** The index name that tells two sources of one stream apart (Go's composeIName). */
export function indexName(src: StreamSource): string {
  let name = src.name ?? "";
  if (src.external !== undefined) name += `:${goHash(src.external.api ?? "")}`;
  const transforms = src.subject_transforms ?? [];
  if (transforms.length === 0) {
    const filter = src.filter_subject || ALL;
    return `${name} ${filter} ${ALL}`;
  }
  const filters = transforms.map((t) => t.src || ALL).join("\f");
  const dests = transforms.map((t) => t.dest || ALL).join("\f");
  return `${name} ${filters} ${dests}`;
}

/** The header value for a message of origin sequence `seq` that had subject `original`. */
export function sourceHeaderValue(iname: string, seq: number, original: string): string {
  const [stream, filters, dests] = iname.split(" ");
  return `${stream} ${seq} ${filters} ${dests} ${original}`;
}

/** What a `Nats-Stream-Source` value says. */
export interface ParsedSourceHeader {
  /** The stream token (with `:<hash>` for external sources). */
  stream: string;
  /** The index name, "" for the 2.9 and ack-reply forms (match by stream then). */
  iname: string;
  seq: number;
}

/** Parses any of the three header forms; null when it is none of them. */
export function parseSourceHeader(value: string): ParsedSourceHeader | null {
  if (value.startsWith("$JS.ACK.")) {
    const info = parseAckReply(value);
    if (info === null) return null;
    const tokens = value.split(".");
    return { stream: tokens[tokens.length >= 11 ? 4 : 2], iname: "", seq: info.streamSeq };
  }
  const fields = value.split(" ");
  if (fields.length !== 2 && fields.length <= 3) return null;
  const seq = /^\d{1,16}$/.test(fields[1]) ? Number(fields[1]) : -1;
  if (seq < 0) return null;
  if (fields.length === 2) return { stream: fields[0], iname: "", seq };
  return { stream: fields[0], iname: `${fields[0]} ${fields[2]} ${fields[3]}`, seq };
}

/** The stream token a 2.9-style header of this source carries. */
export function headerStreamToken(src: StreamSource): string {
  const name = src.name ?? "";
  return src.external === undefined ? name : `${name}:${goHash(src.external.api ?? "")}`;
}
