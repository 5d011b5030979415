/**
 * StreamSourceInfo as nats-server writes it in STREAM.INFO (`mirror`, `sources[]`): name,
 * external (when configured), lag, active (ns since the origin last sent anything, -1 before
 * that), error (the origin's answer to the last consumer request), filter_subject and the
 * subject transforms.
 * @module
 */
import type { JsonValue } from "../../api/go_json.ts";
import type { StreamSource } from "../config.ts";

export interface ApiErrorJson {
  code: number;
  err_code: number;
  description: string;
}

export interface SourceInfoInput {
  origin: StreamSource;
  lag: number;
  /** Unix ns of the origin's last message, 0 when none yet. */
  lastActiveNs: bigint;
  nowNs: bigint;
  error: ApiErrorJson | null;
}

/** One StreamSourceInfo, Go's field order and omitempty rules. */
export function sourceInfoJson(s: SourceInfoInput): JsonValue {
  const o = s.origin;
  const transforms = (o.subject_transforms ?? []).map((t) =>
    ({ src: t.src ?? "", dest: t.dest ?? "" }));
  return {
    name: o.name ?? "",
    external: o.external && { api: o.external.api ?? "", deliver: o.external.deliver ?? "" },
    lag: s.lag,
    active: s.lastActiveNs === 0n ? -1 : s.nowNs - s.lastActiveNs,
    error: s.error === null ? undefined : { ...s.error },
    filter_subject: o.filter_subject || undefined,
    subject_transforms: transforms.length > 0 ? transforms : undefined,
  };
}
