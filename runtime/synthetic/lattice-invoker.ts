import { defaultProvider } from '@aws-sdk/credential-provider-node';
import {
  SHA256_HEADER,
  SignatureV4,
  UNSIGNED_PAYLOAD,
  type SignatureV4Init,
} from '@smithy/signature-v4';
import { SIGNED_REQUEST, type AwsCall } from '../aws-calls';
import { describeError, isErrorLike } from './describe-error';
import { toHttpRequest } from './http-request';
import { NodeSha256 } from './node-sha256';
import type { InvokeOutcome, Invoker } from './types';

/** A signed HTTPS request to a Lattice service is authorized as `vpc-lattice-svcs:Invoke`. */
export const AWS_CALLS: readonly AwsCall[] = [
  { command: SIGNED_REQUEST, action: 'vpc-lattice-svcs:Invoke', on: 'lattice-service' },
];

/** The SigV4 signing name of VPC Lattice services (not of the Lattice control-plane API). */
export const LATTICE_SIGNING_NAME = 'vpc-lattice-svcs';

export interface LatticeInvokerOptions {
  /**
   * The Lattice service's URL, e.g.
   * `https://orders-0123456789abcdef0.7d67968.vpc-lattice-svcs.eu-west-1.on.aws`. A check's
   * `rawPath` is appended to its path.
   */
  readonly url: string;
  /** The region to sign for. @default the region in the URL's host name */
  readonly region?: string;
  /** @default the AWS SDK's default credential provider chain */
  readonly credentials?: SignatureV4Init['credentials'];
}

const LATTICE_REGION = /\.vpc-lattice-svcs\.([a-z0-9-]+)\.on\.aws$/;

/** The region in a Lattice service's generated domain name; `undefined` for a custom domain. */
export function latticeRegion(url: string): string | undefined {
  try {
    return LATTICE_REGION.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * An {@link Invoker} that sends each check's event as an HTTPS request to a VPC Lattice
 * service, signed with SigV4 for `vpc-lattice-svcs`, and hands the response to the runner as
 * `{ statusCode, headers, body }`, so `evaluate` judges it like a Lambda's HTTP-style answer.
 *
 * The event is read as an API Gateway v2 event (see {@link toHttpRequest}). Lattice does not
 * sign payloads: the request carries `x-amz-content-sha256: UNSIGNED-PAYLOAD`. Redirects are
 * not followed; the signal aborts the request and the reading of its body.
 *
 * @throws Error at creation when the region is neither given nor in the URL
 */
export function latticeInvoker(options: LatticeInvokerOptions): Invoker {
  const base = new URL(options.url);
  const region = options.region ?? latticeRegion(options.url);
  if (region === undefined) {
    throw new Error(
      `cannot tell the region of ${options.url}: it is not a generated Lattice domain name; pass the region`,
    );
  }
  const signer = new SignatureV4({
    service: LATTICE_SIGNING_NAME,
    region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: NodeSha256,
  });

  return async (event: unknown, signal: AbortSignal): Promise<InvokeOutcome> => {
    const request = toHttpRequest(event, base);
    const signed = await signer.sign({
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port !== '' && { port: Number(request.url.port) }),
      path: request.url.pathname,
      query: request.query,
      headers: { ...request.headers, host: request.url.host, [SHA256_HEADER]: UNSIGNED_PAYLOAD },
      body: request.body,
    });
    // fetch derives Host from the URL, the very value signed above.
    const headers = Object.fromEntries(
      Object.entries(signed.headers).filter(([name]) => name !== 'host'),
    );
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'manual',
        signal,
      });
      const body = await response.text();
      return {
        payload: {
          statusCode: response.status,
          headers: Object.fromEntries(response.headers),
          body,
        },
      };
    } catch (error) {
      if (signal.aborted) throw error;
      const cause = isErrorLike(error) && error.cause !== undefined ? error.cause : error;
      throw Object.assign(
        new Error(
          `${request.method} ${request.url.origin}${request.url.pathname} failed: ${describeError(cause)}`,
          { cause: error },
        ),
        { hostname: request.url.hostname },
      );
    }
  };
}
