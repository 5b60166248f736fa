/** An HTTP request built from a check's event. */
export interface HttpRequestParts {
  readonly method: string;
  /** The full URL as sent, query included (encoded as SigV4 encodes it). */
  readonly url: URL;
  /** The decoded query parameters, as the signer wants them. */
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case names; without the headers the transport or the signer own. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** Headers the event may not set: the signer, the transport or the target's host own them. */
const OWNED_HEADERS = new Set([
  'host',
  'authorization',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
]);

/**
 * Maps an API Gateway v2 style event onto an HTTP request to `base`:
 * method `requestContext.http.method` (default `GET`), path `base` path + `rawPath` (default
 * `/`), query `queryStringParameters`, headers `headers`, body `body` (base64-decoded when
 * `isBase64Encoded`).
 *
 * @throws Error naming the event field that has the wrong type
 */
export function toHttpRequest(event: unknown, base: URL): HttpRequestParts {
  const e = isRecord(event) ? event : {};
  const http = isRecord(e.requestContext) ? e.requestContext.http : undefined;
  const method = isRecord(http) && http.method !== undefined ? http.method : 'GET';
  if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) {
    throw new Error('event.requestContext.http.method must be an HTTP method such as "GET"');
  }
  const rawPath = e.rawPath ?? '/';
  if (typeof rawPath !== 'string' || !rawPath.startsWith('/')) {
    throw new Error('event.rawPath must be a string that starts with "/"');
  }
  const query = stringRecord(e.queryStringParameters, 'event.queryStringParameters');
  const headers = Object.fromEntries(
    Object.entries(stringRecord(e.headers, 'event.headers'))
      .map(([name, value]) => [name.toLowerCase(), value])
      .filter(([name]) => !OWNED_HEADERS.has(name)),
  );
  const body = readBody(e, method.toUpperCase());

  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/$/, '')}${rawPath}`;
  url.search = Object.entries(query)
    .map(([key, value]) => `${escape(key)}=${escape(value)}`)
    .join('&');
  return {
    method: method.toUpperCase(),
    url,
    query,
    headers,
    ...(body !== undefined && { body }),
  };
}

function readBody(e: Record<string, unknown>, method: string): string | Buffer | undefined {
  if (e.body === undefined || e.body === null) return undefined;
  if (typeof e.body !== 'string') throw new Error('event.body must be a string');
  if (method === 'GET' || method === 'HEAD') {
    throw new Error(`event.body is set, but a ${method} request cannot carry a body`);
  }
  return e.isBase64Encoded === true ? Buffer.from(e.body, 'base64') : e.body;
}

function stringRecord(value: unknown, at: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new Error(`${at} must be an object of strings`);
  }
  return value as Record<string, string>;
}

/** RFC 3986 encoding, as SigV4 canonicalises query strings. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
