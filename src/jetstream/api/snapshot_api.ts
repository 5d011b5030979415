/**
 * $JS.API.STREAM.SNAPSHOT.<stream> and $JS.API.STREAM.RESTORE.<stream>, with nats-server's checks
 * in its order, its response JSON and err_codes, and its chunked, acknowledged transfer
 * (snapshot/sender.ts, snapshot/receiver.ts). The archive inside is natsd's (snapshot/archive.ts).
 * @module
 */
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { isValidPublishSubject } from "../../subjects/subject.ts";
import { ApiError, apiError, apiErrorUnless } from "./api_error.ts";
import {
  JSBadRequestErr, JSMaximumStreamsLimitErr, JSRestoreSubscribeFailedErrF,
  JSSnapshotDeliverSubjectInvalidErr, JSStreamMismatchErr, JSStreamNameContainsPathSeparatorsErr,
  JSStreamNameExistRestoreFailedErr, JSStreamNotFoundErr, JSStreamRestoreErrF,
} from "./errors_generated.ts";
import { goJson, type JsonValue, rfc3339Nano } from "./go_json.ts";
import { array, bool, int, map, object, str, time } from "./json_decode.ts";
import { apiLevelError, decodeStrict, isEmptyRequest } from "./request.ts";
import { apiResponse, RESPONSE_TYPE } from "./responses.ts";
import type { ApiRequest, ApiResponse, ApiRoute } from "./router.ts";
import { info } from "./stream_api.ts";
import { setRequiredApiLevel, unsupportedFeature } from "./stream_features.ts";
import type { JsAccount } from "../js_account.ts";
import {
  STREAM_CONFIG_REQUEST, type StreamConfig, type StreamConfigRequest, streamConfigJson,
} from "../stream/config.ts";
import { checkStreamConfig } from "../stream/config_check.ts";
import { RESTORE_PREFIX, RestoreReceiver } from "../snapshot/receiver.ts";
import { sendSnapshot } from "../snapshot/sender.ts";
import {
  readArchiveMeta, type RecordSource, restoreConsumers, restoreStreamBody, snapshotStream,
} from "../snapshot/stream_archive.ts";

const T = RESPONSE_TYPE;
const ADVISORY = "$JS.EVENT.ADVISORY.STREAM";
const ADVISORY_TYPE = "io.nats.jetstream.advisory.v1.";

const snapshotRequest = object("JSApiStreamSnapshotRequest", {
  deliver_subject: str, no_consumers: bool, chunk_size: int("int"), window_size: int("int"),
  jsck: bool,
});
const u64 = int("uint64");
const streamState = object("StreamState", {
  messages: u64, bytes: u64, first_seq: u64, first_ts: time, last_seq: u64, last_ts: time,
  num_subjects: int("int"), subjects: map(u64), num_deleted: int("int"), deleted: array(u64),
  lost: object("LostStreamData", { msgs: array(u64), bytes: u64 }), consumer_count: int("int"),
});
const restoreRequest = object("JSApiStreamRestoreRequest",
  { config: STREAM_CONFIG_REQUEST, state: streamState });

interface SnapshotRequest {
  deliver_subject?: string;
  no_consumers?: boolean;
  chunk_size?: number;
  window_size?: number;
  jsck?: boolean;
}

const streamToken = (req: ApiRequest) => req.tokens[4] ?? "";

function snapshot(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const fail = (e: ApiError) => apiResponse(T.streamSnapshot, e);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  if (isEmptyRequest(req.body)) return fail(apiError(JSBadRequestErr));
  const stream = jsa.streams.get(streamToken(req));
  if (stream === undefined) return fail(apiError(JSStreamNotFoundErr));
  const params = decodeStrict<SnapshotRequest>(req.body, snapshotRequest, jsa.strict);
  if (params instanceof ApiError) return fail(params);
  const deliver = params.deliver_subject ?? "";
  if (!isValidPublishSubject(deliver)) return fail(apiError(JSSnapshotDeliverSubjectInvalidErr));
  const startNs = jsa.clock.nowNs();
  const snap = snapshotStream(stream, !(params.no_consumers ?? false));
  // The response goes out before the first chunk.
  jsa.router.respond(req, apiResponse(T.streamSnapshot, null,
    { config: streamConfigJson(snap.config, rfc3339Nano), state: snap.state }));
  jsa.advisory(`${ADVISORY}.SNAPSHOT_CREATE.${stream.name}`, `${ADVISORY_TYPE}snapshot_create`,
    { stream: stream.name, state: snap.state, client: { acc: jsa.accountName } });
  const client = jsa.client;
  void sendSnapshot({
    publish: (subject, reply, hdr, payload) => client.publish(subject, reply, hdr, payload),
    subscribe: (subject, onMessage) => {
      const sub = client.subscribe(subject, () => onMessage());
      return () => client.unsubscribe(sub);
    },
    hasInterest: (subject) => jsa.hasInterest(subject),
    newId: () => jsa.newId(),
  }, {
    stream: stream.name, deliverSubject: deliver, chunkSize: params.chunk_size,
    windowSize: params.window_size,
  }, snap.bytes).then((error) => {
    if (error !== null) {
      jsa.warn(`Snapshot for stream '${jsa.accountName} > ${stream.name}' failed: ${
        error.message}`);
    }
    jsa.advisory(`${ADVISORY}.SNAPSHOT_COMPLETE.${stream.name}`,
      `${ADVISORY_TYPE}snapshot_complete`, {
        stream: stream.name, start: rfc3339Nano(startNs), end: jsa.nowRfc3339(),
        client: { acc: jsa.accountName }, error: error?.message,
      });
  });
  return null;
}

/** nats-server's jsNonClusteredStreamLimitsCheck. */
function limitsCheck(jsa: JsAccount, cfg: StreamConfig): ApiError | null {
  if (jsa.limits.max_streams > 0 && jsa.streams.size >= jsa.limits.max_streams) {
    return apiError(JSMaximumStreamsLimitErr);
  }
  return jsa.checkReservation(cfg, null);
}

async function restore(jsa: JsAccount, req: ApiRequest): Promise<ApiResponse> {
  const fail = (e: ApiError) => apiResponse(T.streamRestore, e, { deliver_subject: "" });
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  if (isEmptyRequest(req.body)) return fail(apiError(JSBadRequestErr));
  const input = decodeStrict<{ config?: StreamConfigRequest }>(req.body, restoreRequest,
    jsa.strict);
  if (input instanceof ApiError) return fail(input);
  const name = streamToken(req);
  const requested: StreamConfigRequest = { ...(input.config ?? {}) };
  if ((requested.name ?? "") === "") requested.name = name;
  if (requested.name !== name) return fail(apiError(JSStreamMismatchErr));
  if (/[\\/]/.test(name)) return fail(apiError(JSStreamNameContainsPathSeparatorsErr));
  delete requested.pedantic;
  const cfg = checkStreamConfig(requested, jsa.checkContext(), false);
  if (cfg instanceof ApiError) return fail(cfg);
  const limits = limitsCheck(jsa, cfg);
  if (limits !== null) return fail(limits);
  if (jsa.streams.has(name)) return fail(apiError(JSStreamNameExistRestoreFailedErr));
  const unsupported = unsupportedFeature(cfg);
  if (unsupported) return fail(unsupported);
  setRequiredApiLevel(cfg);
  const id = jsa.newId();
  const subject = `${RESTORE_PREFIX}.${name}.${id}`;
  const receiver = restoreReceiver(jsa, cfg, subject, id);
  try {
    await receiver.start();
  } catch (error) {
    return fail(apiError(JSRestoreSubscribeFailedErrF, { subject, err: error as Error }));
  }
  jsa.advisory(`${ADVISORY}.RESTORE_CREATE.${name}`, `${ADVISORY_TYPE}restore_create`,
    { stream: name, client: { acc: jsa.accountName } });
  return apiResponse(T.streamRestore, null, { deliver_subject: subject });
}

function restoreReceiver(jsa: JsAccount, cfg: StreamConfig, subject: string, id: string):
  RestoreReceiver {
  const encode = (body: Record<string, JsonValue>) => new TextEncoder().encode(goJson(body));
  const label = `restore for stream '${jsa.accountName} > ${cfg.name}'`;
  const startNs = jsa.clock.nowNs();
  const streamsDir = jsa.streamsDir;
  const spoolDir = streamsDir !== null ? join(dirname(streamsDir), "snapshots")
    : join(tmpdir(), "natsd-snapshots");
  const client = jsa.client;
  let receiver: RestoreReceiver;
  receiver = new RestoreReceiver({
    subscribe: (s, onMessage) => {
      const sub = client.subscribe(s, onMessage);
      return () => client.unsubscribe(sub);
    },
    publish: (s, payload) => client.publish(s, "", null, payload),
    warn: (m) => jsa.warn(m),
  }, {
    subject, spoolDir, label,
    finish: async (records) => encode(await finishRestore(jsa, cfg, records)),
    chunkFailed: (error) => encode(apiResponse(T.streamCreate,
      apiErrorUnless(JSStreamRestoreErrF, error))),
    done: (error) => {
      jsa.advisory(`${ADVISORY}.RESTORE_COMPLETE.${cfg.name}`,
        `${ADVISORY_TYPE}restore_complete`, {
          stream: cfg.name, start: rfc3339Nano(startNs), end: jsa.nowRfc3339(),
          bytes: receiver.bytes, client: { acc: jsa.accountName },
        });
      if (error !== null) jsa.warn(`${label} failed: ${error.message}`);
    },
  }, id);
  return receiver;
}

async function finishRestore(jsa: JsAccount, cfg: StreamConfig, records: RecordSource):
  Promise<Record<string, JsonValue>> {
  const meta = await readArchiveMeta(records);
  if (meta.name !== cfg.name) throw new Error("stream names do not match");
  const restored = await jsa.restoreStream(cfg, meta.createdNs ?? jsa.clock.nowNs(),
    async (stream) => {
      const consumers = await restoreStreamBody(records, stream);
      await restoreConsumers(stream, consumers);
    });
  if (restored instanceof ApiError) {
    return apiResponse(T.streamCreate, restored);
  }
  return apiResponse(T.streamCreate, null,
    info(jsa, restored, { dynamicMetadata: true, domain: false }));
}

/** The snapshot and restore routes of an account. */
export function snapshotRoutes(jsa: JsAccount): ApiRoute[] {
  return [
    { pattern: "STREAM.SNAPSHOT.*", handler: (req) => snapshot(jsa, req) },
    { pattern: "STREAM.RESTORE.*", handler: (req) => restore(jsa, req) },
  ];
}
