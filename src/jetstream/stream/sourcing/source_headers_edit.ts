/**
 * The header block a sourced message is stored with: the origin's headers without a previous
 * `Nats-Stream-Source` (daisy chains keep only the last hop), `Nats-Expected-*` (not checked
 * again) and `Nats-Batch-*` (no batching when sourcing), plus this hop's `Nats-Stream-Source`
 * (nats-server stream.go: processInboundSourceMsg).
 * @module
 */
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const VERSION_LINE = "NATS/1.0";

const dropped = (line: string) =>
  line.startsWith("Nats-Stream-Source:") || line.startsWith("Nats-Expected-") ||
  line.startsWith("Nats-Batch-");

/** `hdr` (may be null) without the dropped headers, with `Nats-Stream-Source: value` last. */
export function withSourceHeader(hdr: Uint8Array | null, value: string): Uint8Array {
  if (hdr === null || hdr.length <= 4) {
    return encoder.encode(`${VERSION_LINE}\r\nNats-Stream-Source: ${value}\r\n\r\n`);
  }
  let head = `${VERSION_LINE}\r\n`;
  if (hdr !== null && hdr.length > 4) {
    const lines = decoder.decode(hdr).split("\r\n");
    // lines: version, headers..., "", "" (the block ends with an empty line).
    head = `${lines[0]}\r\n`;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (line === "" || dropped(line)) continue;
      head += `${line}\r\n`;
    }
  }
  return encoder.encode(`${head}Nats-Stream-Source: ${value}\r\n\r\n`);
}
