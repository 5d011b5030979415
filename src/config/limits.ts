/**
 * Named bounds for the config reader. Hostile or broken files (deep nesting, include cycles,
 * variable amplification) hit one of these and get a ConfigError instead of a crash or a hang.
 * Real nats-server configs stay far below every one of them.
 * @module
 */

/** Bytes read from one config file (main or included). */
export const configFileBytesMax = 64 * 1024 * 1024;

/** Depth of nested maps/arrays in the parsed tree, after variable substitution. */
export const treeDepthMax = 64;

/**
 * Values in the parsed tree counted with shared subtrees expanded (variables can reference
 * maps, so `a2 = [$a1, $a1]` doubles the size per line without this bound).
 */
export const treeNodeCountMax = 1_000_000;

/** Nested `include` directives (a includes b includes c ...). */
export const includeDepthMax = 16;

/** Environment variables whose values reference further environment variables. */
export const envReferenceDepthMax = 16;

/** Length of one key, in characters. */
export const keyLengthMax = 4096;
