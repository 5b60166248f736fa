import {
  describeEnvironmentError,
  networkFailure,
} from '../../../runtime/synthetic/environment-error';

const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
const dns = (hostname: string, code = 'ENOTFOUND') =>
  Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, hostname, $metadata: {} });

describe('describeEnvironmentError', () => {
  it.each([
    [
      named('CredentialsProviderError', 'Could not load credentials from any providers'),
      'no AWS credentials found: configure them (e.g. export AWS_PROFILE=<profile>, or aws sso login) and run again',
    ],
    [
      named('ExpiredTokenException'),
      'the AWS credentials have expired: refresh them (e.g. aws sso login) and run again',
    ],
    [
      named('UnrecognizedClientException'),
      "AWS rejected the credentials (UnrecognizedClientException): configure valid credentials for the target's account and run again",
    ],
    [
      dns('lambda.us-east-9.amazonaws.com'),
      'cannot resolve lambda.us-east-9.amazonaws.com (ENOTFOUND): check that "us-east-9" is an AWS region (it comes from the target ARN) and that this machine has a network connection',
    ],
    [
      // fetch wraps the DNS error as the cause of a TypeError
      Object.assign(new TypeError('fetch failed'), {
        cause: dns('orders-0a1.7d6.vpc-lattice-svcs.eu-west-1.on.aws', 'EAI_AGAIN'),
      }),
      'cannot resolve orders-0a1.7d6.vpc-lattice-svcs.eu-west-1.on.aws (EAI_AGAIN): a VPC Lattice service is reachable only from a VPC associated with its service network; run the checks from such a VPC, or check the alias instead (no url)',
    ],
    [
      // the Lattice invoker names the host it called; undici names only the code
      Object.assign(new Error('GET https://svc-1.abc.vpc-lattice-svcs.eu-west-1.on.aws/ failed'), {
        hostname: 'svc-1.abc.vpc-lattice-svcs.eu-west-1.on.aws',
        cause: Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('Connect Timeout Error'), {
            code: 'UND_ERR_CONNECT_TIMEOUT',
          }),
        }),
      }),
      'cannot connect to svc-1.abc.vpc-lattice-svcs.eu-west-1.on.aws (UND_ERR_CONNECT_TIMEOUT): a VPC Lattice service is reachable only from a VPC associated with its service network; run the checks from such a VPC, or check the alias instead (no url)',
    ],
    [
      dns('orders.example.com'),
      'cannot resolve orders.example.com (ENOTFOUND): check the URL and the network connection',
    ],
    [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
        code: 'ECONNREFUSED',
      }),
      'cannot connect to the target (ECONNREFUSED): check the network connection, proxy and firewall',
    ],
  ])('names the fix for %s', (error, line) => {
    expect(describeEnvironmentError(error)).toBe(line);
  });

  it.each([
    [named('ResourceNotFoundException', 'Function not found')],
    [named('TooManyRequestsException')],
    [new Error('boom')],
    ['a string'],
    [undefined],
  ])('leaves the service’s own errors alone (%s)', (error) => {
    expect(describeEnvironmentError(error)).toBeUndefined();
  });
});

describe('networkFailure', () => {
  it('finds the code and host however deep the cause is, up to a limit', () => {
    const deep = { cause: { cause: { cause: dns('h.example') } } };
    expect(networkFailure(deep)).toEqual({ code: 'ENOTFOUND', hostname: 'h.example' });
    expect(networkFailure({ cause: { cause: { cause: { cause: dns('h') } } } })).toBeUndefined();
    expect(networkFailure(Object.assign(new Error('x'), { code: 'EACCES' }))).toBeUndefined();
  });
});
