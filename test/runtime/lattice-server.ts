import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { LATTICE_SIGNING_NAME } from '../../runtime/synthetic/lattice-invoker';
import { NodeSha256 } from '../../runtime/synthetic/node-sha256';

/** A request as the fake Lattice service received it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** Decoded query parameters. */
  readonly query: Record<string, string>;
  /** Lower-case names, as Node hands them over. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the fake answers: a response, or `'hang'` to never answer. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** Static credentials the tests sign with. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};

/**
 * A local HTTP server standing in for a VPC Lattice service: records every request and
 * answers with `answer(request)` (by default 200 with a JSON echo of method and path).
 */
export async function startLatticeFake(
  answer: (request: ReceivedRequest) => Answer = (r) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: r.method, path: r.path }),
  }),
): Promise<{ url: string; requests: ReceivedRequest[]; close: () => Promise<void> }> {
  const requests: ReceivedRequest[] = [];
  const hung: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : `${v}`]),
        ),
        body,
      };
      requests.push(received);
      const reply = answer(received);
      if (reply === 'hang') {
        hung.push(res);
        return;
      }
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const res of hung) res.destroy();
        server.close(() => resolve());
      }),
  };
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** The parts of a SigV4 `Authorization` header; throws when it is not one. */
export function parseAuthorization(value: string | undefined): {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
} {
  const m = AUTHORIZATION.exec(value ?? '');
  if (!m) throw new Error(`not a SigV4 Authorization header: ${value}`);
  return {
    accessKeyId: m[1],
    date: m[2],
    region: m[3],
    service: m[4],
    signedHeaders: m[5].split(';'),
    signature: m[6],
  };
}

/**
 * Signs the request exactly as it arrived (the signed headers, the path and query as received,
 * its x-amz-date) and returns the signature: equal to the one it carries only when nothing was
 * changed between signing and sending.
 */
export async function expectedSignature(request: ReceivedRequest, region: string): Promise<string> {
  const auth = parseAuthorization(request.headers.authorization);
  const headers = Object.fromEntries(auth.signedHeaders.map((h) => [h, request.headers[h]]));
  const amzDate = request.headers['x-amz-date'];
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const [hostname, port] = request.headers.host.split(':');
  const signer = new SignatureV4({
    service: LATTICE_SIGNING_NAME,
    region,
    credentials: TEST_CREDENTIALS,
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname,
      ...(port !== undefined && { port: Number(port) }),
      path: request.path,
      query: request.query,
      headers,
    },
    { signingDate },
  );
  return parseAuthorization(signed.headers.authorization).signature;
}
