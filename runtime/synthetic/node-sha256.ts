import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/** What the signer hands to a hash: text or bytes. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

/**
 * SHA-256 (or HMAC-SHA-256 when given a secret) on Node's own crypto, in the shape the
 * Smithy `SignatureV4` signer expects of its `sha256` constructor.
 */
export class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.hash =
      secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
