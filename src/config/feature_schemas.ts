/**
 * Schemas of the config blocks for features natsd does not have yet. Key names and aliases
 * follow the `case` labels of nats-server's opts.go parsers (v2.14); types are what those
 * parsers accept. Where Go accepts several shapes the schema says so with oneOf; where the
 * shape is free-form (e.g. OCSP peer options) it says `any`.
 * @module
 */
import {
  any, bool, dict, dur, enumOf, int, list, map, num, oneOf, type Schema, size, str, strOrList,
} from "./schema.ts";

const timeout = oneOf(num, dur);

export const tlsSchema: Schema = map({
  "cert_file|key_file|ca_file": str,
  "insecure|verify|verify_and_map|verify_cert_and_check_known_urls": bool,
  "allow_insecure_cipher_suites|cert_match_skip_invalid": bool,
  "cipher_suites|curve_preferences|pinned_certs": list(str),
  timeout,
  connection_rate_limit: int,
  "cert_store|cert_match_by|cert_match": str,
  ca_certs_match: strOrList,
  // A string is "auto" or a fallback duration (checked by the TLS mapping).
  "handshake_first|first|immediate": oneOf(bool, str),
  ocsp_peer: any,
  "certs|certificates": list(map({ "cert_file|key_file": str })),
  "min_version|minimum_version": str,
});

const subjectPermission: Schema = oneOf(strOrList, map({ "allow|deny": strOrList }));

export const permissionsSchema: Schema = map({
  "pub|publish|import": subjectPermission,
  "sub|subscribe|export": subjectPermission,
  "publish_allow_responses|allow_responses": oneOf(bool, map({
    "max|max_msgs|max_messages|max_responses": int,
    "expires|expiration|ttl": dur,
  })),
});

const userSchema: Schema = map({
  nkey: str,
  "user|username": str,
  "pass|password": str,
  "permission|permissions|authorization": permissionsSchema,
  "allowed_connection_types|connection_types|clients": strOrList,
  proxy_required: bool,
  account: str,
});

const authCalloutSchema: Schema = map({
  issuer: str,
  "account|acc": str,
  "auth_users|users": strOrList,
  "xkey|key": str,
  allowed_accounts: strOrList,
});

/** `authorization {}` at the top level (and in websocket/mqtt/cluster/gateway/leafnodes). */
export const authorizationSchema: Schema = map({
  "user|username": str,
  "pass|password": str,
  token: str,
  nkey: str,
  timeout,
  users: list(userSchema),
  "default_permission|default_permissions|permissions": permissionsSchema,
  "auth_callout|auth_hook": authCalloutSchema,
  proxy_required: bool,
  account: str,
});

const streamOrServiceRef: Schema = map({ account: str, subject: str });

const exportSchema: Schema = map({
  "stream|service": str,
  "response|response_type": enumOf("singleton", "single", "stream", "chunked", "chunk"),
  "threshold|response_threshold|response_max_time|response_time": dur,
  accounts: list(str),
  latency: oneOf(str, map({ sampling: oneOf(str, int), subject: str })),
  account_token_position: int,
  allow_trace: bool,
});

const importSchema: Schema = map({
  "stream|service": streamOrServiceRef,
  "prefix|to": str,
  share: bool,
  allow_trace: bool,
});

const mappingDest: Schema = map({ "dest|destination": str, weight: oneOf(str, int), cluster: str });
export const mappingsSchema: Schema = dict(oneOf(str, list(mappingDest)));

const accountJetStream: Schema = oneOf(bool, enumOf("enabled", "enable", "disabled", "disable"),
  map({
    "enabled|enable|disabled|disable": bool,
    "max_memory|max_mem|mem|memory|max_store|max_file|max_disk|store|disk": size,
    "max_streams|streams|max_consumers|consumers|max_ack_pending": int,
    "max_bytes_required|max_stream_bytes|max_bytes": bool,
    "mem_max_stream_bytes|memory_max_stream_bytes": size,
    "disk_max_stream_bytes|store_max_stream_bytes": size,
    cluster_traffic: str,
    owner: str,
  }));

const accountSchema: Schema = map({
  nkey: str,
  imports: list(importSchema),
  exports: list(exportSchema),
  jetstream: accountJetStream,
  users: list(userSchema),
  default_permissions: permissionsSchema,
  "mappings|maps": mappingsSchema,
  limits: map({
    "max_connections|max_conn|max_subscriptions|max_subs": int,
    "max_payload|max_pay|max_leafnodes|max_leafs": int,
  }),
  "msg_trace|trace_dest": oneOf(str, map({ dest: str, sampling: oneOf(str, int) })),
});

/** `accounts { NAME: {…} }`; an account may also be a bare list of users. */
export const accountsSchema: Schema = dict(oneOf(accountSchema, list(userSchema)));

const compressionSchema: Schema = oneOf(bool, str, map({
  mode: str,
  "rtt_thresholds|thresholds|rtts|rtt": list(str),
}));

const listenCommon = {
  listen: oneOf(str, int),
  port: int,
  "host|net": str,
  tls: tlsSchema,
  "authorization|authentication": authorizationSchema,
};

export const clusterSchema: Schema = map({
  ...listenCommon,
  name: str,
  routes: list(str),
  "cluster_advertise|advertise": str,
  no_advertise: bool,
  connect_retries: int,
  connect_backoff: bool,
  permissions: map({ "import|export": subjectPermission }),
  pool_size: int,
  accounts: list(str),
  compression: compressionSchema,
  ping_interval: dur,
  ping_max: int,
  write_deadline: dur,
  write_timeout: enumOf("default", "close", "retry"),
});

export const gatewaySchema: Schema = map({
  ...listenCommon,
  name: str,
  advertise: str,
  connect_retries: int,
  connect_backoff: bool,
  gateways: list(map({ name: str, tls: tlsSchema, url: str, urls: list(str) })),
  "reject_unknown|reject_unknown_cluster": bool,
  write_deadline: dur,
  write_timeout: enumOf("default", "close", "retry"),
});

const leafRemoteSchema: Schema = map({
  "no_randomize|dont_randomize": bool,
  "url|urls": strOrList,
  "account|local": str,
  "creds|credentials": str,
  "nkey|seed": str,
  tls: tlsSchema,
  hub: bool,
  "deny_imports|deny_import|deny_exports|deny_export": strOrList,
  "ws_compress|ws_compression|websocket_compress|websocket_compression": bool,
  "ws_no_masking|websocket_no_masking": bool,
  "jetstream_cluster_migrate|js_cluster_migrate": oneOf(bool, map({ leader_migrate_delay: dur })),
  "isolate_leafnode_interest|isolate|request_isolation": bool,
  compression: compressionSchema,
  "first_info_timeout|dial_timeout": dur,
  disabled: bool,
  proxy: map({ url: str, username: str, password: str, timeout: dur }),
  ignore_discovered_servers: bool,
});

export const leafnodesSchema: Schema = map({
  ...listenCommon,
  remotes: list(leafRemoteSchema),
  "reconnect|reconnect_delay|reconnect_interval": dur,
  dial_timeout: dur,
  "leafnode_advertise|advertise": str,
  no_advertise: bool,
  "min_version|minimum_version": str,
  compression: compressionSchema,
  "isolate_leafnode_interest|isolate": bool,
  write_deadline: dur,
  write_timeout: enumOf("default", "close", "retry"),
});

export const websocketSchema: Schema = map({
  ...listenCommon,
  advertise: str,
  "no_tls|same_origin|compress|compression": bool,
  "allowed_origins|allowed_origin|allow_origins|allow_origin|origins|origin": strOrList,
  handshake_timeout: dur,
  "jwt_cookie|user_cookie|pass_cookie|token_cookie|no_auth_user": str,
  headers: dict(str),
  ping_interval: dur,
});

export const mqttSchema: Schema = map({
  ...listenCommon,
  no_auth_user: str,
  "ack_wait|ackwait|js_api_timeout|api_timeout": dur,
  "max_ack_pending|max_pending|max_inflight": int,
  js_domain: str,
  "stream_replicas|consumer_replicas": int,
  consumer_memory_storage: bool,
  "consumer_inactive_threshold|consumer_auto_cleanup": dur,
  "reject_qos2_publish|downgrade_qos2_subscribe": bool,
});

export const jetstreamSchema: Schema = oneOf(bool,
  enumOf("enabled", "enable", "disabled", "disable"),
  map({
    "enabled|enable|disabled|disable|strict": bool,
    "store|store_dir|storedir": str,
    // A duration or "always" (jetstream_options.ts parses it).
    "sync|sync_interval": oneOf(str, int),
    "max_memory_store|max_mem_store|max_mem|max_file_store|max_file": size,
    domain: str,
    "key|ek|encryption_key|prev_key|prev_ek|prev_encryption_key": str,
    cipher: enumOf("chacha", "chachapoly", "aes"),
    extension_hint: str,
    limits: map({
      "max_ack_pending|max_ha_assets|max_request_batch": int,
      duplicate_window: dur,
      batch: map({
        "max_inflight_per_stream|max_inflight_total|max_msgs": int,
        timeout: dur,
      }),
    }),
    tpm: map({
      "keys_file|encryption_password|srk_password|cipher": str,
      pcr: int,
    }),
    unique_tag: str,
    "max_outstanding_catchup|max_buffered_size": size,
    "max_buffered_msgs|request_queue_limit|info_queue_limit|max_concurrent_io": int,
    meta_compact: int,
    meta_compact_size: size,
    meta_compact_sync: bool,
  }));

export const resolverSchema: Schema = oneOf(str, map({
  "dir|type": str,
  "allow_delete|hard_delete": bool,
  limit: int,
  "ttl|interval|timeout": dur,
}));

export const proxiesSchema: Schema = map({ trusted: list(map({ "key|public_key": str })) });

export const ocspSchema: Schema = oneOf(bool, map({ mode: str, urls: list(str), url: str }));
export const ocspCacheSchema: Schema = oneOf(bool, map({
  type: str, local_store: str, preserve_revoked: bool, save_interval: dur,
}));

export const operatorSchema: Schema = strOrList;
export const defaultJsDomainSchema: Schema = dict(str);
