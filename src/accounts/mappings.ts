/**
 * An account's subject mappings (nats-server's AddWeightedMappings and selectMappedSubject):
 * a published subject matching a mapping's source is rewritten to one of its destinations,
 * picked at random by weight. When the weights do not add up to 100 the source itself takes
 * the rest, unless it is listed explicitly (then the rest is dropped: the subject maps to "").
 * Destinations scoped to a cluster (`cluster: c1`) replace the others when the server's
 * cluster name is that cluster; a server without a cluster name never matches one.
 * @module
 */
import { pubArgsFor as newPubArgs } from "../protocol/pub_args_for.ts";
import type { PubArgs } from "../protocol/parser.ts";
import { decode } from "../protocol/parser.ts";
import { isLiteralSubject, isValidSubject, subjectMatchesPattern } from "../subjects/subject.ts";
import {
  SubjectTransform, TransformError, tokenizeWildcards, validateMapping,
} from "./subject_transform.ts";
import type { MappingConfig } from "./types.ts";

const WEIGHT_TOTAL = 100;

/** A mapping nats-server would refuse; the message is its text (without the config prefix). */
export class MappingError extends Error {
  override name = "MappingError";
}

interface Destination {
  transform: SubjectTransform;
  /** Upper bound (exclusive) of the random percentage that picks this destination. */
  cumulativeWeight: number;
}

interface Mapping {
  source: string;
  literal: boolean;
  destinations: Destination[];
  /** Cluster-scoped destinations by cluster name; used instead of the others on a match. */
  clusterDestinations: Map<string, Destination[]>;
}

interface Weighted {
  transform: SubjectTransform;
  weight: number;
}

function transformFor(source: string, subject: string): SubjectTransform {
  try {
    validateMapping(source, subject);
    return SubjectTransform.create(source, subject);
  } catch (error) {
    if (error instanceof TransformError) throw new MappingError(error.message);
    throw error;
  }
}

/**
 * One destination list (the unscoped one, or one cluster's): the source itself takes the
 * weight left over unless it was listed anywhere, then cumulative weights, lightest first.
 */
function cumulative(source: string, literal: boolean, listed: ReadonlySet<string>,
  weighted: Weighted[]): Destination[] {
  const list = [...weighted];
  const sum = list.reduce((acc, d) => acc + d.weight, 0);
  if (sum !== WEIGHT_TOTAL && !listed.has(source)) {
    const self = SubjectTransform.create(source, literal ? source : tokenizeWildcards(source));
    list.push({ transform: self, weight: list.length === 0 ? WEIGHT_TOTAL : WEIGHT_TOTAL - sum });
  }
  list.sort((a, b) => a.weight - b.weight);
  let total = 0;
  return list.map((d) => {
    total += d.weight;
    return { transform: d.transform, cumulativeWeight: total };
  });
}

function buildMapping(config: MappingConfig): Mapping {
  const { source } = config;
  if (!isValidSubject(source)) throw new MappingError("invalid subject");
  const seen = new Set<string>();
  const totals = new Map<string, number>();
  const unscoped: Weighted[] = [];
  const scoped = new Map<string, Weighted[]>();
  for (const d of config.destinations) {
    if (seen.has(d.subject)) {
      throw new MappingError(`duplicate entry for ${JSON.stringify(d.subject)}`);
    }
    seen.add(d.subject);
    if (d.weight > WEIGHT_TOTAL) throw new MappingError("individual weights need to be <= 100");
    const total = (totals.get(d.cluster) ?? 0) + d.weight;
    totals.set(d.cluster, total);
    if (total > WEIGHT_TOTAL) throw new MappingError("total weight needs to be <= 100");
    const weighted = { transform: transformFor(source, d.subject), weight: d.weight };
    if (d.cluster === "") unscoped.push(weighted);
    else scoped.set(d.cluster, [...(scoped.get(d.cluster) ?? []), weighted]);
  }
  const literal = isLiteralSubject(source);
  const clusterDestinations = new Map<string, Destination[]>();
  for (const [cluster, list] of scoped) {
    clusterDestinations.set(cluster, cumulative(source, literal, seen, list));
  }
  return {
    source, literal, destinations: cumulative(source, literal, seen, unscoped), clusterDestinations,
  };
}

/** Checks one mapping as nats-server does when loading a config; null when it is fine. */
export function mappingProblem(config: MappingConfig): string | null {
  try {
    buildMapping(config);
    return null;
  } catch (error) {
    if (error instanceof MappingError) return error.message;
    throw error;
  }
}

export class SubjectMapper {
  readonly #mappings: Mapping[] = [];
  readonly #random: () => number;
  readonly #clusterName: string;

  /**
   * `clusterName` is the server's (`cluster { name }`), "" for none.
   * @throws MappingError for a mapping nats-server would refuse.
   */
  constructor(configs: readonly MappingConfig[], random: () => number = Math.random,
    clusterName = "") {
    for (const config of configs) {
      const mapping = buildMapping(config);
      // A later mapping of the same source replaces the earlier one in place.
      const at = this.#mappings.findIndex((m) => m.source === mapping.source);
      if (at >= 0) this.#mappings[at] = mapping;
      else this.#mappings.push(mapping);
    }
    this.#random = random;
    this.#clusterName = clusterName;
  }

  get size(): number {
    return this.#mappings.length;
  }

  /** The subject `subject` maps to ("" when dropped), or null when no mapping applies. */
  select(subject: string): string | null {
    const mapping = this.#mappings.find((m) => (m.literal ? m.source === subject
      : subjectMatchesPattern(subject, m.source)));
    if (mapping === undefined) return null;
    // "" is never a key: unscoped destinations live in `destinations`.
    const dests = mapping.clusterDestinations.get(this.#clusterName) ?? mapping.destinations;
    let chosen: Destination | undefined;
    if (dests.length === 1 && dests[0].cumulativeWeight === WEIGHT_TOTAL) {
      chosen = dests[0];
    } else {
      const w = Math.floor(this.#random() * WEIGHT_TOTAL);
      chosen = dests.find((d) => w < d.cumulativeWeight);
    }
    return chosen === undefined ? "" : chosen.transform.transform(subject);
  }

  /**
   * The publish arguments for the mapped subject, or null when no mapping applies. The
   * reply and sizes are kept; the payload is not touched.
   */
  mapArgs(args: PubArgs): PubArgs | null {
    const subject = decode(args.argBuf, args.subjectStart, args.subjectEnd);
    const mapped = this.select(subject);
    if (mapped === null) return null;
    return pubArgsFor(mapped, decode(args.argBuf, args.replyStart, args.replyEnd), args);
  }
}

/** New publish arguments for `subject` and `reply`, with the sizes of `like`. */
export function pubArgsFor(subject: string, reply: string, like: PubArgs): PubArgs {
  return newPubArgs(subject, reply, like.headerBytes, like.totalBytes);
}
