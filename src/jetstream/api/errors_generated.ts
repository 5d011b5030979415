/**
 * JetStream API errors, generated from nats-server's server/errors.json
 * (nats-server main at 1787eee, 2026-08-21) by gen_errors.ts. Do not edit: regenerate.
 * Descriptions keep Go's `{tag}` placeholders; api_error.ts fills them in.
 * @module
 */

/** One entry of nats-server's error table. */
export interface ApiErrorDef {
  /** The HTTP-like status code. */
  readonly code: number;
  /** The JetStream error code (10xxx). */
  readonly err_code: number;
  /** The text, with `{tag}` placeholders. */
  readonly description: string;
  /** Go's constant name. */
  readonly constant: string;
}

const def = (constant: string, code: number, errCode: number, description: string):
  ApiErrorDef => Object.freeze({ code, err_code: errCode, description, constant });

export const JSAccountResourcesExceededErr = def(
  "JSAccountResourcesExceededErr", 400, 10002,
  "resource limits exceeded for account");
export const JSBadRequestErr = def(
  "JSBadRequestErr", 400, 10003,
  "bad request");
export const JSClusterIncompleteErr = def(
  "JSClusterIncompleteErr", 503, 10004,
  "incomplete results");
/** Error causing no peers to be available */
export const JSClusterNoPeersErrF = def(
  "JSClusterNoPeersErrF", 400, 10005,
  "{err}");
export const JSClusterNotActiveErr = def(
  "JSClusterNotActiveErr", 500, 10006,
  "JetStream not in clustered mode");
export const JSClusterNotAssignedErr = def(
  "JSClusterNotAssignedErr", 500, 10007,
  "JetStream cluster not assigned to this server");
export const JSClusterNotAvailErr = def(
  "JSClusterNotAvailErr", 503, 10008,
  "JetStream system temporarily unavailable");
export const JSClusterNotLeaderErr = def(
  "JSClusterNotLeaderErr", 500, 10009,
  "JetStream cluster can not handle request");
export const JSClusterRequiredErr = def(
  "JSClusterRequiredErr", 503, 10010,
  "JetStream clustering support required");
export const JSClusterTagsErr = def(
  "JSClusterTagsErr", 400, 10011,
  "tags placement not supported for operation");
/** General consumer creation failure string */
export const JSConsumerCreateErrF = def(
  "JSConsumerCreateErrF", 500, 10012,
  "{err}");
export const JSConsumerNameExistErr = def(
  "JSConsumerNameExistErr", 400, 10013,
  "consumer name already in use");
export const JSConsumerNotFoundErr = def(
  "JSConsumerNotFoundErr", 404, 10014,
  "consumer not found");
export const JSSnapshotDeliverSubjectInvalidErr = def(
  "JSSnapshotDeliverSubjectInvalidErr", 400, 10015,
  "deliver subject not valid");
export const JSConsumerDurableNameNotInSubjectErr = def(
  "JSConsumerDurableNameNotInSubjectErr", 400, 10016,
  "consumer expected to be durable but no durable name set in subject");
export const JSConsumerDurableNameNotMatchSubjectErr = def(
  "JSConsumerDurableNameNotMatchSubjectErr", 400, 10017,
  "consumer name in subject does not match durable name in request");
export const JSConsumerDurableNameNotSetErr = def(
  "JSConsumerDurableNameNotSetErr", 400, 10018,
  "consumer expected to be durable but a durable name was not set");
export const JSConsumerEphemeralWithDurableInSubjectErr = def(
  "JSConsumerEphemeralWithDurableInSubjectErr", 400, 10019,
  "consumer expected to be ephemeral but detected a durable name set in subject");
export const JSConsumerEphemeralWithDurableNameErr = def(
  "JSConsumerEphemeralWithDurableNameErr", 400, 10020,
  "consumer expected to be ephemeral but a durable name was set in request");
export const JSStreamExternalApiOverlapErrF = def(
  "JSStreamExternalApiOverlapErrF", 400, 10021,
  "stream external api prefix {prefix} must not overlap with {subject}");
export const JSStreamExternalDelPrefixOverlapsErrF = def(
  "JSStreamExternalDelPrefixOverlapsErrF", 400, 10022,
  "stream external delivery prefix {prefix} overlaps with stream subject {subject}");
export const JSInsufficientResourcesErr = def(
  "JSInsufficientResourcesErr", 503, 10023,
  "insufficient resources");
export const JSStreamInvalidExternalDeliverySubjErrF = def(
  "JSStreamInvalidExternalDeliverySubjErrF", 400, 10024,
  "stream external delivery prefix {prefix} must not contain wildcards");
export const JSInvalidJSONErr = def(
  "JSInvalidJSONErr", 400, 10025,
  "invalid JSON: {err}");
export const JSMaximumConsumersLimitErr = def(
  "JSMaximumConsumersLimitErr", 400, 10026,
  "maximum consumers limit reached");
export const JSMaximumStreamsLimitErr = def(
  "JSMaximumStreamsLimitErr", 400, 10027,
  "maximum number of streams reached");
export const JSMemoryResourcesExceededErr = def(
  "JSMemoryResourcesExceededErr", 500, 10028,
  "insufficient memory resources available");
/** generic mirror consumer setup failure string */
export const JSMirrorConsumerSetupFailedErrF = def(
  "JSMirrorConsumerSetupFailedErrF", 500, 10029,
  "{err}");
export const JSMirrorMaxMessageSizeTooBigErr = def(
  "JSMirrorMaxMessageSizeTooBigErr", 400, 10030,
  "stream mirror must have max message size >= source");
export const JSMirrorWithSourcesErr = def(
  "JSMirrorWithSourcesErr", 400, 10031,
  "stream mirrors can not also contain other sources");
export const JSMirrorWithStartSeqAndTimeErr = def(
  "JSMirrorWithStartSeqAndTimeErr", 400, 10032,
  "stream mirrors can not have both start seq and start time configured");
export const JSMirrorWithSubjectFiltersErr = def(
  "JSMirrorWithSubjectFiltersErr", 400, 10033,
  "stream mirrors can not contain filtered subjects");
export const JSMirrorWithSubjectsErr = def(
  "JSMirrorWithSubjectsErr", 400, 10034,
  "stream mirrors can not contain subjects");
export const JSNoAccountErr = def(
  "JSNoAccountErr", 503, 10035,
  "account not found");
export const JSClusterUnSupportFeatureErr = def(
  "JSClusterUnSupportFeatureErr", 503, 10036,
  "not currently supported in clustered mode");
export const JSNoMessageFoundErr = def(
  "JSNoMessageFoundErr", 404, 10037,
  "no message found");
export const JSNotEmptyRequestErr = def(
  "JSNotEmptyRequestErr", 400, 10038,
  "expected an empty request payload");
export const JSNotEnabledForAccountErr = def(
  "JSNotEnabledForAccountErr", 503, 10039,
  "JetStream not enabled for account");
export const JSClusterPeerNotMemberErr = def(
  "JSClusterPeerNotMemberErr", 400, 10040,
  "peer not a member");
/** General RAFT error string */
export const JSRaftGeneralErrF = def(
  "JSRaftGeneralErrF", 500, 10041,
  "{err}");
export const JSRestoreSubscribeFailedErrF = def(
  "JSRestoreSubscribeFailedErrF", 500, 10042,
  "JetStream unable to subscribe to restore snapshot {subject}: {err}");
export const JSSequenceNotFoundErrF = def(
  "JSSequenceNotFoundErrF", 400, 10043,
  "sequence {seq} not found");
export const JSClusterServerNotMemberErr = def(
  "JSClusterServerNotMemberErr", 400, 10044,
  "server is not a member of the cluster");
/** General source consumer setup failure string */
export const JSSourceConsumerSetupFailedErrF = def(
  "JSSourceConsumerSetupFailedErrF", 500, 10045,
  "{err}");
export const JSSourceMaxMessageSizeTooBigErr = def(
  "JSSourceMaxMessageSizeTooBigErr", 400, 10046,
  "stream source must have max message size >= target");
export const JSStorageResourcesExceededErr = def(
  "JSStorageResourcesExceededErr", 500, 10047,
  "insufficient storage resources available");
/** Generic stream assignment error string */
export const JSStreamAssignmentErrF = def(
  "JSStreamAssignmentErrF", 500, 10048,
  "{err}");
/** Generic stream creation error string */
export const JSStreamCreateErrF = def(
  "JSStreamCreateErrF", 500, 10049,
  "{err}");
/** General stream deletion error string */
export const JSStreamDeleteErrF = def(
  "JSStreamDeleteErrF", 500, 10050,
  "{err}");
/** General stream failure string */
export const JSStreamGeneralErrorF = def(
  "JSStreamGeneralErrorF", 500, 10051,
  "{err}");
/** Stream configuration validation error string */
export const JSStreamInvalidConfigF = def(
  "JSStreamInvalidConfigF", 500, 10052,
  "{err}");
/** General stream limits exceeded error string */
export const JSStreamLimitsErrF = def(
  "JSStreamLimitsErrF", 500, 10053,
  "{err}");
export const JSStreamMessageExceedsMaximumErr = def(
  "JSStreamMessageExceedsMaximumErr", 400, 10054,
  "message size exceeds maximum allowed");
export const JSStreamMirrorNotUpdatableErr = def(
  "JSStreamMirrorNotUpdatableErr", 400, 10055,
  "stream mirror configuration can not be updated");
export const JSStreamMismatchErr = def(
  "JSStreamMismatchErr", 400, 10056,
  "stream name in subject does not match request");
/** Generic message deletion failure error string */
export const JSStreamMsgDeleteFailedF = def(
  "JSStreamMsgDeleteFailedF", 500, 10057,
  "{err}");
export const JSStreamNameExistErr = def(
  "JSStreamNameExistErr", 400, 10058,
  "stream name already in use with a different configuration");
export const JSStreamNotFoundErr = def(
  "JSStreamNotFoundErr", 404, 10059,
  "stream not found");
export const JSStreamNotMatchErr = def(
  "JSStreamNotMatchErr", 400, 10060,
  "expected stream does not match");
export const JSStreamReplicasNotUpdatableErr = def(
  "JSStreamReplicasNotUpdatableErr", 400, 10061,
  "Replicas configuration can not be updated");
export const JSStreamRestoreErrF = def(
  "JSStreamRestoreErrF", 500, 10062,
  "restore failed: {err}");
export const JSStreamSequenceNotMatchErr = def(
  "JSStreamSequenceNotMatchErr", 503, 10063,
  "expected stream sequence does not match");
export const JSStreamSnapshotErrF = def(
  "JSStreamSnapshotErrF", 500, 10064,
  "snapshot failed: {err}");
export const JSStreamSubjectOverlapErr = def(
  "JSStreamSubjectOverlapErr", 400, 10065,
  "subjects overlap with an existing stream");
/** Generic template creation failed string */
export const JSStreamTemplateCreateErrF = def(
  "JSStreamTemplateCreateErrF", 500, 10066,
  "{err}");
/** Generic stream template deletion failed error string */
export const JSStreamTemplateDeleteErrF = def(
  "JSStreamTemplateDeleteErrF", 500, 10067,
  "{err}");
export const JSStreamTemplateNotFoundErr = def(
  "JSStreamTemplateNotFoundErr", 404, 10068,
  "template not found");
/** Generic stream update error string */
export const JSStreamUpdateErrF = def(
  "JSStreamUpdateErrF", 500, 10069,
  "{err}");
export const JSStreamWrongLastMsgIDErrF = def(
  "JSStreamWrongLastMsgIDErrF", 400, 10070,
  "wrong last msg ID: {id}");
export const JSStreamWrongLastSequenceErrF = def(
  "JSStreamWrongLastSequenceErrF", 400, 10071,
  "wrong last sequence: {seq}");
export const JSTempStorageFailedErr = def(
  "JSTempStorageFailedErr", 500, 10072,
  "JetStream unable to open temp storage for restore");
export const JSTemplateNameNotMatchSubjectErr = def(
  "JSTemplateNameNotMatchSubjectErr", 400, 10073,
  "template name in subject does not match request");
export const JSStreamReplicasNotSupportedErr = def(
  "JSStreamReplicasNotSupportedErr", 500, 10074,
  "replicas > 1 not supported in non-clustered mode");
export const JSPeerRemapErr = def(
  "JSPeerRemapErr", 503, 10075,
  "peer remap failed");
export const JSNotEnabledErr = def(
  "JSNotEnabledErr", 503, 10076,
  "JetStream not enabled");
/** Generic error when storing a message failed */
export const JSStreamStoreFailedF = def(
  "JSStreamStoreFailedF", 503, 10077,
  "{err}");
export const JSConsumerConfigRequiredErr = def(
  "JSConsumerConfigRequiredErr", 400, 10078,
  "consumer config required");
export const JSConsumerDeliverToWildcardsErr = def(
  "JSConsumerDeliverToWildcardsErr", 400, 10079,
  "consumer deliver subject has wildcards");
export const JSConsumerPushMaxWaitingErr = def(
  "JSConsumerPushMaxWaitingErr", 400, 10080,
  "consumer in push mode can not set max waiting");
export const JSConsumerDeliverCycleErr = def(
  "JSConsumerDeliverCycleErr", 400, 10081,
  "consumer deliver subject forms a cycle");
export const JSConsumerMaxPendingAckPolicyRequiredErr = def(
  "JSConsumerMaxPendingAckPolicyRequiredErr", 400, 10082,
  "consumer requires ack policy for max ack pending");
export const JSConsumerSmallHeartbeatErr = def(
  "JSConsumerSmallHeartbeatErr", 400, 10083,
  "consumer idle heartbeat needs to be >= 100ms");
export const JSConsumerPullRequiresAckErr = def(
  "JSConsumerPullRequiresAckErr", 400, 10084,
  "consumer in pull mode requires explicit ack policy on workqueue stream");
export const JSConsumerPullNotDurableErr = def(
  "JSConsumerPullNotDurableErr", 400, 10085,
  "consumer in pull mode requires a durable name");
export const JSConsumerPullWithRateLimitErr = def(
  "JSConsumerPullWithRateLimitErr", 400, 10086,
  "consumer in pull mode can not have rate limit set");
export const JSConsumerMaxWaitingNegativeErr = def(
  "JSConsumerMaxWaitingNegativeErr", 400, 10087,
  "consumer max waiting needs to be positive");
export const JSConsumerHBRequiresPushErr = def(
  "JSConsumerHBRequiresPushErr", 400, 10088,
  "consumer idle heartbeat requires a push based consumer");
export const JSConsumerFCRequiresPushErr = def(
  "JSConsumerFCRequiresPushErr", 400, 10089,
  "consumer flow control requires a push based consumer");
export const JSConsumerDirectRequiresPushErr = def(
  "JSConsumerDirectRequiresPushErr", 400, 10090,
  "consumer direct requires a push based consumer");
export const JSConsumerDirectRequiresEphemeralErr = def(
  "JSConsumerDirectRequiresEphemeralErr", 400, 10091,
  "consumer direct requires an ephemeral consumer");
export const JSConsumerOnMappedErr = def(
  "JSConsumerOnMappedErr", 400, 10092,
  "consumer direct on a mapped consumer");
export const JSConsumerFilterNotSubsetErr = def(
  "JSConsumerFilterNotSubsetErr", 400, 10093,
  "consumer filter subject is not a valid subset of the interest subjects");
/** Generic delivery policy error */
export const JSConsumerInvalidPolicyErrF = def(
  "JSConsumerInvalidPolicyErrF", 400, 10094,
  "{err}");
export const JSConsumerInvalidSamplingErrF = def(
  "JSConsumerInvalidSamplingErrF", 400, 10095,
  "failed to parse consumer sampling configuration: {err}");
export const JSStreamInvalidErr = def(
  "JSStreamInvalidErr", 500, 10096,
  "stream not valid");
export const JSStreamHeaderExceedsMaximumErr = def(
  "JSStreamHeaderExceedsMaximumErr", 400, 10097,
  "header size exceeds maximum allowed of 64k");
export const JSConsumerWQRequiresExplicitAckErr = def(
  "JSConsumerWQRequiresExplicitAckErr", 400, 10098,
  "workqueue stream requires explicit ack");
export const JSConsumerWQMultipleUnfilteredErr = def(
  "JSConsumerWQMultipleUnfilteredErr", 400, 10099,
  "multiple non-filtered consumers not allowed on workqueue stream");
export const JSConsumerWQConsumerNotUniqueErr = def(
  "JSConsumerWQConsumerNotUniqueErr", 400, 10100,
  "filtered consumer not unique on workqueue stream");
export const JSConsumerWQConsumerNotDeliverAllErr = def(
  "JSConsumerWQConsumerNotDeliverAllErr", 400, 10101,
  "consumer must be deliver all on workqueue stream");
export const JSConsumerNameTooLongErrF = def(
  "JSConsumerNameTooLongErrF", 400, 10102,
  "consumer name is too long, maximum allowed is {max}");
export const JSConsumerBadDurableNameErr = def(
  "JSConsumerBadDurableNameErr", 400, 10103,
  "durable name can not contain '.', '*', '>'");
export const JSConsumerStoreFailedErrF = def(
  "JSConsumerStoreFailedErrF", 500, 10104,
  "error creating store for consumer: {err}");
export const JSConsumerExistingActiveErr = def(
  "JSConsumerExistingActiveErr", 400, 10105,
  "consumer already exists and is still active");
export const JSConsumerReplacementWithDifferentNameErr = def(
  "JSConsumerReplacementWithDifferentNameErr", 400, 10106,
  "consumer replacement durable config not the same");
export const JSConsumerDescriptionTooLongErrF = def(
  "JSConsumerDescriptionTooLongErrF", 400, 10107,
  "consumer description is too long, maximum allowed is {max}");
export const JSConsumerWithFlowControlNeedsHeartbeats = def(
  "JSConsumerWithFlowControlNeedsHeartbeats", 400, 10108,
  "consumer with flow control also needs heartbeats");
export const JSStreamSealedErr = def(
  "JSStreamSealedErr", 400, 10109,
  "invalid operation on sealed stream");
/** Generic stream purge failure error string */
export const JSStreamPurgeFailedF = def(
  "JSStreamPurgeFailedF", 500, 10110,
  "{err}");
/** Generic stream rollup failure error string */
export const JSStreamRollupFailedF = def(
  "JSStreamRollupFailedF", 500, 10111,
  "{err}");
export const JSConsumerInvalidDeliverSubject = def(
  "JSConsumerInvalidDeliverSubject", 400, 10112,
  "invalid push consumer deliver subject");
export const JSStreamMaxBytesRequired = def(
  "JSStreamMaxBytesRequired", 400, 10113,
  "account requires a stream config to have max bytes set");
export const JSConsumerMaxRequestBatchNegativeErr = def(
  "JSConsumerMaxRequestBatchNegativeErr", 400, 10114,
  "consumer max request batch needs to be > 0");
export const JSConsumerMaxRequestExpiresTooSmall = def(
  "JSConsumerMaxRequestExpiresTooSmall", 400, 10115,
  "consumer max request expires needs to be >= 1ms");
export const JSConsumerMaxDeliverBackoffErr = def(
  "JSConsumerMaxDeliverBackoffErr", 400, 10116,
  "max deliver is required to be > length of backoff values");
export const JSStreamInfoMaxSubjectsErr = def(
  "JSStreamInfoMaxSubjectsErr", 500, 10117,
  "subject details would exceed maximum allowed");
export const JSStreamOfflineErr = def(
  "JSStreamOfflineErr", 500, 10118,
  "stream is offline");
export const JSConsumerOfflineErr = def(
  "JSConsumerOfflineErr", 500, 10119,
  "consumer is offline");
export const JSNoLimitsErr = def(
  "JSNoLimitsErr", 400, 10120,
  "no JetStream default or applicable tiered limit present");
export const JSConsumerMaxPendingAckExcessErrF = def(
  "JSConsumerMaxPendingAckExcessErrF", 400, 10121,
  "consumer max ack pending exceeds system limit of {limit}");
export const JSStreamMaxStreamBytesExceeded = def(
  "JSStreamMaxStreamBytesExceeded", 400, 10122,
  "stream max bytes exceeds account limit max stream bytes");
export const JSStreamMoveAndScaleErr = def(
  "JSStreamMoveAndScaleErr", 400, 10123,
  "can not move and scale a stream in a single update");
export const JSStreamMoveInProgressErr = def(
  "JSStreamMoveInProgressErr", 400, 10124,
  "stream move already in progress");
export const JSConsumerMaxRequestBatchExceededF = def(
  "JSConsumerMaxRequestBatchExceededF", 400, 10125,
  "consumer max request batch exceeds server limit of {limit}");
export const JSConsumerReplicasExceedsStream = def(
  "JSConsumerReplicasExceedsStream", 400, 10126,
  "consumer config replica count exceeds parent stream");
export const JSConsumerNameContainsPathSeparatorsErr = def(
  "JSConsumerNameContainsPathSeparatorsErr", 400, 10127,
  "Consumer name can not contain path separators");
export const JSStreamNameContainsPathSeparatorsErr = def(
  "JSStreamNameContainsPathSeparatorsErr", 400, 10128,
  "Stream name can not contain path separators");
export const JSStreamReconfigureNotInProgressErr = def(
  "JSStreamReconfigureNotInProgressErr", 400, 10129,
  "stream reconfiguration not in progress");
export const JSStreamNameExistRestoreFailedErr = def(
  "JSStreamNameExistRestoreFailedErr", 400, 10130,
  "stream name already in use, cannot restore");
export const JSConsumerCreateFilterSubjectMismatchErr = def(
  "JSConsumerCreateFilterSubjectMismatchErr", 400, 10131,
  "Consumer create request did not match filtered subject from create subject");
export const JSConsumerCreateDurableAndNameMismatch = def(
  "JSConsumerCreateDurableAndNameMismatch", 400, 10132,
  "Consumer Durable and Name have to be equal if both are provided");
export const JSReplicasCountCannotBeNegative = def(
  "JSReplicasCountCannotBeNegative", 400, 10133,
  "replicas count cannot be negative");
export const JSConsumerReplicasShouldMatchStream = def(
  "JSConsumerReplicasShouldMatchStream", 400, 10134,
  "consumer config replicas must match interest retention stream's replicas");
export const JSConsumerMetadataLengthErrF = def(
  "JSConsumerMetadataLengthErrF", 400, 10135,
  "consumer metadata exceeds maximum size of {limit}");
export const JSConsumerDuplicateFilterSubjects = def(
  "JSConsumerDuplicateFilterSubjects", 400, 10136,
  "consumer cannot have both FilterSubject and FilterSubjects specified");
export const JSConsumerMultipleFiltersNotAllowed = def(
  "JSConsumerMultipleFiltersNotAllowed", 400, 10137,
  "consumer with multiple subject filters cannot use subject based API");
export const JSConsumerOverlappingSubjectFilters = def(
  "JSConsumerOverlappingSubjectFilters", 400, 10138,
  "consumer subject filters cannot overlap");
export const JSConsumerEmptyFilter = def(
  "JSConsumerEmptyFilter", 400, 10139,
  "consumer filter in FilterSubjects cannot be empty");
/** source stream, filter and transform (plus external if present) must form a unique combination */
export const JSSourceDuplicateDetected = def(
  "JSSourceDuplicateDetected", 400, 10140,
  "duplicate source configuration detected");
export const JSSourceInvalidStreamName = def(
  "JSSourceInvalidStreamName", 400, 10141,
  "sourced stream name is invalid");
export const JSMirrorInvalidStreamName = def(
  "JSMirrorInvalidStreamName", 400, 10142,
  "mirrored stream name is invalid");
export const JSMirrorWithFirstSeqErr = def(
  "JSMirrorWithFirstSeqErr", 400, 10143,
  "stream mirrors can not have first sequence configured");
export const JSSourceMultipleFiltersNotAllowed = def(
  "JSSourceMultipleFiltersNotAllowed", 400, 10144,
  "source with multiple subject transforms cannot also have a single subject filter");
export const JSSourceInvalidSubjectFilter = def(
  "JSSourceInvalidSubjectFilter", 400, 10145,
  "source transform source: {err}");
export const JSSourceInvalidTransformDestination = def(
  "JSSourceInvalidTransformDestination", 400, 10146,
  "source transform: {err}");
export const JSSourceOverlappingSubjectFilters = def(
  "JSSourceOverlappingSubjectFilters", 400, 10147,
  "source filters can not overlap");
/** action CREATE is used for a existing consumer with a different config */
export const JSConsumerAlreadyExists = def(
  "JSConsumerAlreadyExists", 400, 10148,
  "consumer already exists");
/** action UPDATE is used for a nonexisting consumer */
export const JSConsumerDoesNotExist = def(
  "JSConsumerDoesNotExist", 400, 10149,
  "consumer does not exist");
export const JSMirrorMultipleFiltersNotAllowed = def(
  "JSMirrorMultipleFiltersNotAllowed", 400, 10150,
  "mirror with multiple subject transforms cannot also have a single subject filter");
export const JSMirrorInvalidSubjectFilter = def(
  "JSMirrorInvalidSubjectFilter", 400, 10151,
  "mirror transform source: {err}");
export const JSMirrorOverlappingSubjectFilters = def(
  "JSMirrorOverlappingSubjectFilters", 400, 10152,
  "mirror subject filters can not overlap");
export const JSConsumerInactiveThresholdExcess = def(
  "JSConsumerInactiveThresholdExcess", 400, 10153,
  "consumer inactive threshold exceeds system limit of {limit}");
export const JSMirrorInvalidTransformDestination = def(
  "JSMirrorInvalidTransformDestination", 400, 10154,
  "mirror transform: {err}");
export const JSStreamTransformInvalidSource = def(
  "JSStreamTransformInvalidSource", 400, 10155,
  "stream transform source: {err}");
export const JSStreamTransformInvalidDestination = def(
  "JSStreamTransformInvalidDestination", 400, 10156,
  "stream transform: {err}");
export const JSPedanticErrF = def(
  "JSPedanticErrF", 400, 10157,
  "pedantic mode: {err}");
export const JSStreamDuplicateMessageConflict = def(
  "JSStreamDuplicateMessageConflict", 409, 10158,
  "duplicate message id is in process");
export const JSConsumerPriorityPolicyWithoutGroup = def(
  "JSConsumerPriorityPolicyWithoutGroup", 400, 10159,
  "Setting PriorityPolicy requires at least one PriorityGroup to be set");
export const JSConsumerInvalidPriorityGroupErr = def(
  "JSConsumerInvalidPriorityGroupErr", 400, 10160,
  "Provided priority group does not exist for this consumer");
export const JSConsumerEmptyGroupName = def(
  "JSConsumerEmptyGroupName", 400, 10161,
  "Group name cannot be an empty string");
export const JSConsumerInvalidGroupNameErr = def(
  "JSConsumerInvalidGroupNameErr", 400, 10162,
  "Valid priority group name must match A-Z, a-z, 0-9, -_/=)+ and may not exceed 16 characters");
export const JSStreamExpectedLastSeqPerSubjectNotReady = def(
  "JSStreamExpectedLastSeqPerSubjectNotReady", 503, 10163,
  "expected last sequence per subject temporarily unavailable");
export const JSStreamWrongLastSequenceConstantErr = def(
  "JSStreamWrongLastSequenceConstantErr", 400, 10164,
  "wrong last sequence");
export const JSMessageTTLInvalidErr = def(
  "JSMessageTTLInvalidErr", 400, 10165,
  "invalid per-message TTL");
export const JSMessageTTLDisabledErr = def(
  "JSMessageTTLDisabledErr", 400, 10166,
  "per-message TTL is disabled");
export const JSStreamTooManyRequests = def(
  "JSStreamTooManyRequests", 429, 10167,
  "too many requests");
export const JSMessageIncrDisabledErr = def(
  "JSMessageIncrDisabledErr", 400, 10168,
  "message counters is disabled");
export const JSMessageIncrMissingErr = def(
  "JSMessageIncrMissingErr", 400, 10169,
  "message counter increment is missing");
export const JSMessageIncrPayloadErr = def(
  "JSMessageIncrPayloadErr", 400, 10170,
  "message counter has payload");
export const JSMessageIncrInvalidErr = def(
  "JSMessageIncrInvalidErr", 400, 10171,
  "message counter increment is invalid");
export const JSMessageCounterBrokenErr = def(
  "JSMessageCounterBrokenErr", 400, 10172,
  "message counter is broken");
export const JSMirrorWithCountersErr = def(
  "JSMirrorWithCountersErr", 400, 10173,
  "stream mirrors can not also calculate counters");
export const JSAtomicPublishDisabledErr = def(
  "JSAtomicPublishDisabledErr", 400, 10174,
  "atomic publish is disabled");
export const JSAtomicPublishMissingSeqErr = def(
  "JSAtomicPublishMissingSeqErr", 400, 10175,
  "atomic publish sequence is missing");
export const JSAtomicPublishIncompleteBatchErr = def(
  "JSAtomicPublishIncompleteBatchErr", 400, 10176,
  "atomic publish batch is incomplete");
export const JSAtomicPublishUnsupportedHeaderBatchErr = def(
  "JSAtomicPublishUnsupportedHeaderBatchErr", 400, 10177,
  "atomic publish unsupported header used: {header}");
export const JSConsumerPushWithPriorityGroupErr = def(
  "JSConsumerPushWithPriorityGroupErr", 400, 10178,
  "priority groups can not be used with push consumers");
export const JSAtomicPublishInvalidBatchIDErr = def(
  "JSAtomicPublishInvalidBatchIDErr", 400, 10179,
  "atomic publish batch ID is invalid");
export const JSStreamMinLastSeqErr = def(
  "JSStreamMinLastSeqErr", 412, 10180,
  "min last sequence");
export const JSConsumerAckPolicyInvalidErr = def(
  "JSConsumerAckPolicyInvalidErr", 400, 10181,
  "consumer ack policy invalid");
export const JSConsumerReplayPolicyInvalidErr = def(
  "JSConsumerReplayPolicyInvalidErr", 400, 10182,
  "consumer replay policy invalid");
export const JSConsumerAckWaitNegativeErr = def(
  "JSConsumerAckWaitNegativeErr", 400, 10183,
  "consumer ack wait needs to be positive");
export const JSConsumerBackOffNegativeErr = def(
  "JSConsumerBackOffNegativeErr", 400, 10184,
  "consumer backoff needs to be positive");
export const JSRequiredApiLevelErr = def(
  "JSRequiredApiLevelErr", 412, 10185,
  "JetStream minimum api level required");
export const JSMirrorWithMsgSchedulesErr = def(
  "JSMirrorWithMsgSchedulesErr", 400, 10186,
  "stream mirrors can not also schedule messages");
export const JSSourceWithMsgSchedulesErr = def(
  "JSSourceWithMsgSchedulesErr", 400, 10187,
  "stream source can not also schedule messages");
export const JSMessageSchedulesDisabledErr = def(
  "JSMessageSchedulesDisabledErr", 400, 10188,
  "message schedules is disabled");
export const JSMessageSchedulesPatternInvalidErr = def(
  "JSMessageSchedulesPatternInvalidErr", 400, 10189,
  "message schedules pattern is invalid");
export const JSMessageSchedulesTargetInvalidErr = def(
  "JSMessageSchedulesTargetInvalidErr", 400, 10190,
  "message schedules target is invalid");
export const JSMessageSchedulesTTLInvalidErr = def(
  "JSMessageSchedulesTTLInvalidErr", 400, 10191,
  "message schedules invalid per-message TTL");
export const JSMessageSchedulesRollupInvalidErr = def(
  "JSMessageSchedulesRollupInvalidErr", 400, 10192,
  "message schedules invalid rollup");
export const JSStreamExpectedLastSeqPerSubjectInvalid = def(
  "JSStreamExpectedLastSeqPerSubjectInvalid", 400, 10193,
  "missing sequence for expected last sequence per subject");
export const JSStreamOfflineReasonErrF = def(
  "JSStreamOfflineReasonErrF", 500, 10194,
  "stream is offline: {err}");
export const JSConsumerOfflineReasonErrF = def(
  "JSConsumerOfflineReasonErrF", 500, 10195,
  "consumer is offline: {err}");
export const JSConsumerPriorityGroupWithPolicyNone = def(
  "JSConsumerPriorityGroupWithPolicyNone", 400, 10196,
  "consumer can not have priority groups when policy is none");
export const JSConsumerPinnedTTLWithoutPriorityPolicyNone = def(
  "JSConsumerPinnedTTLWithoutPriorityPolicyNone", 400, 10197,
  "PinnedTTL cannot be set when PriorityPolicy is none");
export const JSMirrorWithAtomicPublishErr = def(
  "JSMirrorWithAtomicPublishErr", 400, 10198,
  "stream mirrors can not also use atomic publishing");
export const JSAtomicPublishTooLargeBatchErrF = def(
  "JSAtomicPublishTooLargeBatchErrF", 400, 10199,
  "atomic publish batch is too large: {size}");
export const JSAtomicPublishInvalidBatchCommitErr = def(
  "JSAtomicPublishInvalidBatchCommitErr", 400, 10200,
  "atomic publish batch commit is invalid");
export const JSAtomicPublishContainsDuplicateMessageErr = def(
  "JSAtomicPublishContainsDuplicateMessageErr", 400, 10201,
  "atomic publish batch contains duplicate message id");
export const JSClusterServerMemberChangeInflightErr = def(
  "JSClusterServerMemberChangeInflightErr", 400, 10202,
  "cluster member change is in progress");
export const JSMessageSchedulesSourceInvalidErr = def(
  "JSMessageSchedulesSourceInvalidErr", 400, 10203,
  "message schedules source is invalid");
export const JSConsumerInvalidResetErr = def(
  "JSConsumerInvalidResetErr", 400, 10204,
  "invalid reset: {err}");
export const JSBatchPublishDisabledErr = def(
  "JSBatchPublishDisabledErr", 400, 10205,
  "batch publish is disabled");
export const JSBatchPublishInvalidPatternErr = def(
  "JSBatchPublishInvalidPatternErr", 400, 10206,
  "batch publish pattern is invalid");
export const JSBatchPublishInvalidBatchIDErr = def(
  "JSBatchPublishInvalidBatchIDErr", 400, 10207,
  "batch publish ID is invalid");
export const JSBatchPublishUnknownBatchIDErr = def(
  "JSBatchPublishUnknownBatchIDErr", 400, 10208,
  "batch publish ID unknown");
export const JSMirrorWithBatchPublishErr = def(
  "JSMirrorWithBatchPublishErr", 400, 10209,
  "stream mirrors can not also use batch publishing");
export const JSAtomicPublishTooManyInflight = def(
  "JSAtomicPublishTooManyInflight", 429, 10210,
  "atomic publish too many inflight");
export const JSBatchPublishTooManyInflight = def(
  "JSBatchPublishTooManyInflight", 429, 10211,
  "batch publish too many inflight");
export const JSMessageSchedulesSchedulerInvalidErr = def(
  "JSMessageSchedulesSchedulerInvalidErr", 400, 10212,
  "message schedules invalid scheduler");
export const JSMirrorDurableConsumerCfgInvalid = def(
  "JSMirrorDurableConsumerCfgInvalid", 400, 10213,
  "stream mirror consumer config is invalid");
export const JSMirrorConsumerRequiresAckFCErr = def(
  "JSMirrorConsumerRequiresAckFCErr", 400, 10214,
  "stream mirror consumer requires flow control ack policy");
export const JSSourceDurableConsumerCfgInvalid = def(
  "JSSourceDurableConsumerCfgInvalid", 400, 10215,
  "stream source consumer config is invalid");
export const JSSourceDurableConsumerDuplicateDetected = def(
  "JSSourceDurableConsumerDuplicateDetected", 400, 10216,
  "duplicate stream source consumer detected");
export const JSSourceConsumerRequiresAckFCErr = def(
  "JSSourceConsumerRequiresAckFCErr", 400, 10217,
  "stream source consumer requires flow control ack policy");
export const JSConsumerAckFCRequiresPushErr = def(
  "JSConsumerAckFCRequiresPushErr", 400, 10218,
  "flow control ack policy requires a push based consumer");
export const JSConsumerAckFCRequiresFCErr = def(
  "JSConsumerAckFCRequiresFCErr", 400, 10219,
  "flow control ack policy requires flow control");
export const JSConsumerAckFCRequiresMaxAckPendingErr = def(
  "JSConsumerAckFCRequiresMaxAckPendingErr", 400, 10220,
  "flow control ack policy requires max ack pending");
export const JSConsumerAckFCRequiresNoAckWaitErr = def(
  "JSConsumerAckFCRequiresNoAckWaitErr", 400, 10221,
  "flow control ack policy requires unset ack wait");
export const JSConsumerAckFCRequiresNoMaxDeliverErr = def(
  "JSConsumerAckFCRequiresNoMaxDeliverErr", 400, 10222,
  "flow control ack policy requires unset max deliver");
export const JSMessageSchedulesTimeZoneInvalidErr = def(
  "JSMessageSchedulesTimeZoneInvalidErr", 400, 10223,
  "message schedules time zone is invalid");
export const JSClusterRescueErr = def(
  "JSClusterRescueErr", 400, 10224,
  "JetStream system rescue not applied: {err}");
export const JSConsumerStreamIdentityMismatchF = def(
  "JSConsumerStreamIdentityMismatchF", 400, 10225,
  "consumer's stream identity does not match: {msg}");
export const JSStreamReconfigureInProgressErr = def(
  "JSStreamReconfigureInProgressErr", 400, 10226,
  "stream reconfiguration already in progress");
export const JSMessageSourceHdrNotAllowedErr = def(
  "JSMessageSourceHdrNotAllowedErr", 400, 10227,
  "message stream source header is not allowed");

/** Every entry by err_code. */
export const API_ERRORS_BY_CODE: ReadonlyMap<number, ApiErrorDef> = new Map([
  [10002, JSAccountResourcesExceededErr],
  [10003, JSBadRequestErr],
  [10004, JSClusterIncompleteErr],
  [10005, JSClusterNoPeersErrF],
  [10006, JSClusterNotActiveErr],
  [10007, JSClusterNotAssignedErr],
  [10008, JSClusterNotAvailErr],
  [10009, JSClusterNotLeaderErr],
  [10010, JSClusterRequiredErr],
  [10011, JSClusterTagsErr],
  [10012, JSConsumerCreateErrF],
  [10013, JSConsumerNameExistErr],
  [10014, JSConsumerNotFoundErr],
  [10015, JSSnapshotDeliverSubjectInvalidErr],
  [10016, JSConsumerDurableNameNotInSubjectErr],
  [10017, JSConsumerDurableNameNotMatchSubjectErr],
  [10018, JSConsumerDurableNameNotSetErr],
  [10019, JSConsumerEphemeralWithDurableInSubjectErr],
  [10020, JSConsumerEphemeralWithDurableNameErr],
  [10021, JSStreamExternalApiOverlapErrF],
  [10022, JSStreamExternalDelPrefixOverlapsErrF],
  [10023, JSInsufficientResourcesErr],
  [10024, JSStreamInvalidExternalDeliverySubjErrF],
  [10025, JSInvalidJSONErr],
  [10026, JSMaximumConsumersLimitErr],
  [10027, JSMaximumStreamsLimitErr],
  [10028, JSMemoryResourcesExceededErr],
  [10029, JSMirrorConsumerSetupFailedErrF],
  [10030, JSMirrorMaxMessageSizeTooBigErr],
  [10031, JSMirrorWithSourcesErr],
  [10032, JSMirrorWithStartSeqAndTimeErr],
  [10033, JSMirrorWithSubjectFiltersErr],
  [10034, JSMirrorWithSubjectsErr],
  [10035, JSNoAccountErr],
  [10036, JSClusterUnSupportFeatureErr],
  [10037, JSNoMessageFoundErr],
  [10038, JSNotEmptyRequestErr],
  [10039, JSNotEnabledForAccountErr],
  [10040, JSClusterPeerNotMemberErr],
  [10041, JSRaftGeneralErrF],
  [10042, JSRestoreSubscribeFailedErrF],
  [10043, JSSequenceNotFoundErrF],
  [10044, JSClusterServerNotMemberErr],
  [10045, JSSourceConsumerSetupFailedErrF],
  [10046, JSSourceMaxMessageSizeTooBigErr],
  [10047, JSStorageResourcesExceededErr],
  [10048, JSStreamAssignmentErrF],
  [10049, JSStreamCreateErrF],
  [10050, JSStreamDeleteErrF],
  [10051, JSStreamGeneralErrorF],
  [10052, JSStreamInvalidConfigF],
  [10053, JSStreamLimitsErrF],
  [10054, JSStreamMessageExceedsMaximumErr],
  [10055, JSStreamMirrorNotUpdatableErr],
  [10056, JSStreamMismatchErr],
  [10057, JSStreamMsgDeleteFailedF],
  [10058, JSStreamNameExistErr],
  [10059, JSStreamNotFoundErr],
  [10060, JSStreamNotMatchErr],
  [10061, JSStreamReplicasNotUpdatableErr],
  [10062, JSStreamRestoreErrF],
  [10063, JSStreamSequenceNotMatchErr],
  [10064, JSStreamSnapshotErrF],
  [10065, JSStreamSubjectOverlapErr],
  [10066, JSStreamTemplateCreateErrF],
  [10067, JSStreamTemplateDeleteErrF],
  [10068, JSStreamTemplateNotFoundErr],
  [10069, JSStreamUpdateErrF],
  [10070, JSStreamWrongLastMsgIDErrF],
  [10071, JSStreamWrongLastSequenceErrF],
  [10072, JSTempStorageFailedErr],
  [10073, JSTemplateNameNotMatchSubjectErr],
  [10074, JSStreamReplicasNotSupportedErr],
  [10075, JSPeerRemapErr],
  [10076, JSNotEnabledErr],
  [10077, JSStreamStoreFailedF],
  [10078, JSConsumerConfigRequiredErr],
  [10079, JSConsumerDeliverToWildcardsErr],
  [10080, JSConsumerPushMaxWaitingErr],
  [10081, JSConsumerDeliverCycleErr],
  [10082, JSConsumerMaxPendingAckPolicyRequiredErr],
  [10083, JSConsumerSmallHeartbeatErr],
  [10084, JSConsumerPullRequiresAckErr],
  [10085, JSConsumerPullNotDurableErr],
  [10086, JSConsumerPullWithRateLimitErr],
  [10087, JSConsumerMaxWaitingNegativeErr],
  [10088, JSConsumerHBRequiresPushErr],
  [10089, JSConsumerFCRequiresPushErr],
  [10090, JSConsumerDirectRequiresPushErr],
  [10091, JSConsumerDirectRequiresEphemeralErr],
  [10092, JSConsumerOnMappedErr],
  [10093, JSConsumerFilterNotSubsetErr],
  [10094, JSConsumerInvalidPolicyErrF],
  [10095, JSConsumerInvalidSamplingErrF],
  [10096, JSStreamInvalidErr],
  [10097, JSStreamHeaderExceedsMaximumErr],
  [10098, JSConsumerWQRequiresExplicitAckErr],
  [10099, JSConsumerWQMultipleUnfilteredErr],
  [10100, JSConsumerWQConsumerNotUniqueErr],
  [10101, JSConsumerWQConsumerNotDeliverAllErr],
  [10102, JSConsumerNameTooLongErrF],
  [10103, JSConsumerBadDurableNameErr],
  [10104, JSConsumerStoreFailedErrF],
  [10105, JSConsumerExistingActiveErr],
  [10106, JSConsumerReplacementWithDifferentNameErr],
  [10107, JSConsumerDescriptionTooLongErrF],
  [10108, JSConsumerWithFlowControlNeedsHeartbeats],
  [10109, JSStreamSealedErr],
  [10110, JSStreamPurgeFailedF],
  [10111, JSStreamRollupFailedF],
  [10112, JSConsumerInvalidDeliverSubject],
  [10113, JSStreamMaxBytesRequired],
  [10114, JSConsumerMaxRequestBatchNegativeErr],
  [10115, JSConsumerMaxRequestExpiresTooSmall],
  [10116, JSConsumerMaxDeliverBackoffErr],
  [10117, JSStreamInfoMaxSubjectsErr],
  [10118, JSStreamOfflineErr],
  [10119, JSConsumerOfflineErr],
  [10120, JSNoLimitsErr],
  [10121, JSConsumerMaxPendingAckExcessErrF],
  [10122, JSStreamMaxStreamBytesExceeded],
  [10123, JSStreamMoveAndScaleErr],
  [10124, JSStreamMoveInProgressErr],
  [10125, JSConsumerMaxRequestBatchExceededF],
  [10126, JSConsumerReplicasExceedsStream],
  [10127, JSConsumerNameContainsPathSeparatorsErr],
  [10128, JSStreamNameContainsPathSeparatorsErr],
  [10129, JSStreamReconfigureNotInProgressErr],
  [10130, JSStreamNameExistRestoreFailedErr],
  [10131, JSConsumerCreateFilterSubjectMismatchErr],
  [10132, JSConsumerCreateDurableAndNameMismatch],
  [10133, JSReplicasCountCannotBeNegative],
  [10134, JSConsumerReplicasShouldMatchStream],
  [10135, JSConsumerMetadataLengthErrF],
  [10136, JSConsumerDuplicateFilterSubjects],
  [10137, JSConsumerMultipleFiltersNotAllowed],
  [10138, JSConsumerOverlappingSubjectFilters],
  [10139, JSConsumerEmptyFilter],
  [10140, JSSourceDuplicateDetected],
  [10141, JSSourceInvalidStreamName],
  [10142, JSMirrorInvalidStreamName],
  [10143, JSMirrorWithFirstSeqErr],
  [10144, JSSourceMultipleFiltersNotAllowed],
  [10145, JSSourceInvalidSubjectFilter],
  [10146, JSSourceInvalidTransformDestination],
  [10147, JSSourceOverlappingSubjectFilters],
  [10148, JSConsumerAlreadyExists],
  [10149, JSConsumerDoesNotExist],
  [10150, JSMirrorMultipleFiltersNotAllowed],
  [10151, JSMirrorInvalidSubjectFilter],
  [10152, JSMirrorOverlappingSubjectFilters],
  [10153, JSConsumerInactiveThresholdExcess],
  [10154, JSMirrorInvalidTransformDestination],
  [10155, JSStreamTransformInvalidSource],
  [10156, JSStreamTransformInvalidDestination],
  [10157, JSPedanticErrF],
  [10158, JSStreamDuplicateMessageConflict],
  [10159, JSConsumerPriorityPolicyWithoutGroup],
  [10160, JSConsumerInvalidPriorityGroupErr],
  [10161, JSConsumerEmptyGroupName],
  [10162, JSConsumerInvalidGroupNameErr],
  [10163, JSStreamExpectedLastSeqPerSubjectNotReady],
  [10164, JSStreamWrongLastSequenceConstantErr],
  [10165, JSMessageTTLInvalidErr],
  [10166, JSMessageTTLDisabledErr],
  [10167, JSStreamTooManyRequests],
  [10168, JSMessageIncrDisabledErr],
  [10169, JSMessageIncrMissingErr],
  [10170, JSMessageIncrPayloadErr],
  [10171, JSMessageIncrInvalidErr],
  [10172, JSMessageCounterBrokenErr],
  [10173, JSMirrorWithCountersErr],
  [10174, JSAtomicPublishDisabledErr],
  [10175, JSAtomicPublishMissingSeqErr],
  [10176, JSAtomicPublishIncompleteBatchErr],
  [10177, JSAtomicPublishUnsupportedHeaderBatchErr],
  [10178, JSConsumerPushWithPriorityGroupErr],
  [10179, JSAtomicPublishInvalidBatchIDErr],
  [10180, JSStreamMinLastSeqErr],
  [10181, JSConsumerAckPolicyInvalidErr],
  [10182, JSConsumerReplayPolicyInvalidErr],
  [10183, JSConsumerAckWaitNegativeErr],
  [10184, JSConsumerBackOffNegativeErr],
  [10185, JSRequiredApiLevelErr],
  [10186, JSMirrorWithMsgSchedulesErr],
  [10187, JSSourceWithMsgSchedulesErr],
  [10188, JSMessageSchedulesDisabledErr],
  [10189, JSMessageSchedulesPatternInvalidErr],
  [10190, JSMessageSchedulesTargetInvalidErr],
  [10191, JSMessageSchedulesTTLInvalidErr],
  [10192, JSMessageSchedulesRollupInvalidErr],
  [10193, JSStreamExpectedLastSeqPerSubjectInvalid],
  [10194, JSStreamOfflineReasonErrF],
  [10195, JSConsumerOfflineReasonErrF],
  [10196, JSConsumerPriorityGroupWithPolicyNone],
  [10197, JSConsumerPinnedTTLWithoutPriorityPolicyNone],
  [10198, JSMirrorWithAtomicPublishErr],
  [10199, JSAtomicPublishTooLargeBatchErrF],
  [10200, JSAtomicPublishInvalidBatchCommitErr],
  [10201, JSAtomicPublishContainsDuplicateMessageErr],
  [10202, JSClusterServerMemberChangeInflightErr],
  [10203, JSMessageSchedulesSourceInvalidErr],
  [10204, JSConsumerInvalidResetErr],
  [10205, JSBatchPublishDisabledErr],
  [10206, JSBatchPublishInvalidPatternErr],
  [10207, JSBatchPublishInvalidBatchIDErr],
  [10208, JSBatchPublishUnknownBatchIDErr],
  [10209, JSMirrorWithBatchPublishErr],
  [10210, JSAtomicPublishTooManyInflight],
  [10211, JSBatchPublishTooManyInflight],
  [10212, JSMessageSchedulesSchedulerInvalidErr],
  [10213, JSMirrorDurableConsumerCfgInvalid],
  [10214, JSMirrorConsumerRequiresAckFCErr],
  [10215, JSSourceDurableConsumerCfgInvalid],
  [10216, JSSourceDurableConsumerDuplicateDetected],
  [10217, JSSourceConsumerRequiresAckFCErr],
  [10218, JSConsumerAckFCRequiresPushErr],
  [10219, JSConsumerAckFCRequiresFCErr],
  [10220, JSConsumerAckFCRequiresMaxAckPendingErr],
  [10221, JSConsumerAckFCRequiresNoAckWaitErr],
  [10222, JSConsumerAckFCRequiresNoMaxDeliverErr],
  [10223, JSMessageSchedulesTimeZoneInvalidErr],
  [10224, JSClusterRescueErr],
  [10225, JSConsumerStreamIdentityMismatchF],
  [10226, JSStreamReconfigureInProgressErr],
  [10227, JSMessageSourceHdrNotAllowedErr],
]);
