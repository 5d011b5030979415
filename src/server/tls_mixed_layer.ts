/**
 * A server-side TLS session fed with bytes the plain socket has already read. Bun's native
 * `upgradeTLS` cannot take bytes it delivered before the upgrade, yet two modes decide on TLS
 * only after reading: `allow_non_tls` (the first byte tells) and `handshake_first: auto` (any
 * byte within the fallback delay means TLS first). node:tls runs over a Duplex here: slower
 * than the native upgrade, and used only when the first bytes were read in clear.
 * @module
 */
import { Duplex } from "node:stream";
import { TLSSocket } from "node:tls";
import type { ListenerTlsOptions } from "./listener_bun.ts";

/** The plain socket underneath: takes what the kernel takes now, says when it drains. */
export interface RawSink {
  write(bytes: Uint8Array): number;
  end(): void;
}

/** What the layer reports to its owner. */
export interface MixedTlsEvents {
  secure(session: { version: string; cipher: string; peerCertificateDer: Uint8Array | null }):
    void;
  data(chunk: Uint8Array): void;
  /** The application side can take more after a write returned less than asked. */
  drain(): void;
  failed(error: Error): void;
}

interface PendingWrite {
  bytes: Uint8Array;
  done: (error?: Error | null) => void;
}

export class MixedTlsLayer {
  readonly #duplex: Duplex;
  readonly #tls: TLSSocket;
  readonly #raw: RawSink;
  /** Ciphertext the kernel did not take yet; node:tls waits until it is written. */
  #pending: PendingWrite | null = null;

  constructor(raw: RawSink, options: ListenerTlsOptions, events: MixedTlsEvents) {
    this.#raw = raw;
    this.#duplex = new Duplex({
      read() {},
      write: (chunk: Uint8Array, _encoding, done) => this.#writeRaw({ bytes: chunk, done }),
    });
    this.#tls = new TLSSocket(this.#duplex, {
      isServer: true, key: options.key as string, cert: options.cert as string,
      ...(options.ca ? { ca: options.ca as string } : {}),
      requestCert: options.requestCert, rejectUnauthorized: options.rejectUnauthorized,
      ...(options.ciphers ? { ciphers: options.ciphers as string } : {}),
      ...(options.ecdhCurve ? { ecdhCurve: options.ecdhCurve } : {}),
    });
    const tls = this.#tls;
    tls.on("secure", () => events.secure({
      version: (tls.getProtocol() ?? "").replace(/^TLSv/, ""),
      cipher: tls.getCipher()?.name ?? "",
      peerCertificateDer: tls.getPeerCertificate(true)?.raw ?? null,
    }));
    tls.on("data", (chunk: Uint8Array) => events.data(chunk));
    tls.on("drain", () => events.drain());
    tls.on("error", (error: Error) => events.failed(error));
    tls.on("close", () => raw.end());
  }

  /** Ciphertext read from the plain socket. */
  receive(chunk: Uint8Array): void {
    this.#duplex.push(Buffer.from(chunk));
  }

  /** Plaintext for the peer; 0 while earlier writes still wait for the kernel. */
  write(bytes: Uint8Array): number {
    if (this.#tls.writableNeedDrain) return 0;
    this.#tls.write(bytes);
    return bytes.length;
  }

  end(): void {
    this.#tls.end();
  }

  /** The plain socket drained: retry the ciphertext it refused. */
  onRawDrain(): void {
    const pending = this.#pending;
    this.#pending = null;
    if (pending !== null) this.#writeRaw(pending);
  }

  #writeRaw(write: PendingWrite): void {
    const written = this.#raw.write(write.bytes);
    if (written >= write.bytes.length) {
      write.done();
      return;
    }
    this.#pending = { bytes: write.bytes.subarray(Math.max(written, 0)), done: write.done };
  }
}
