import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const logger = new Logger({ serviceName: 'orders' });

/** What `GET /orders/{orderId}` answers for a known order. */
export interface Order {
  readonly orderId: string;
  readonly status: 'PLACED' | 'SHIPPED' | 'DELIVERED';
  readonly items: number;
  readonly totalCents: number;
  readonly currency: string;
}

/** `ord-` and 4 to 12 digits, e.g. `ord-0001`. */
export const ORDER_ID_PATTERN = /^ord-[0-9]{4,12}$/;

/** A stand-in for the order store: the demo order the synthetic checks read. */
const ORDERS: ReadonlyMap<string, Order> = new Map([
  [
    'ord-0001',
    { orderId: 'ord-0001', status: 'SHIPPED', items: 2, totalCents: 4598, currency: 'EUR' },
  ],
]);

/**
 * The request as VPC Lattice sends it to a Lambda target (event structure version 2): its own
 * field names for the method and the path, and no path parameters.
 */
export interface LatticeRequestV2 {
  readonly version: '2.0';
  readonly method: string;
  readonly path: string;
}

type Request = APIGatewayProxyEventV2 | LatticeRequestV2;

const isLattice = (event: Request): event is LatticeRequestV2 =>
  (event as LatticeRequestV2).version === '2.0' && 'method' in event;

/** `/orders/{orderId}` → the id. */
const ORDER_PATH = /^\/orders\/([^/]+)$/;

/**
 * Looks up one order: `GET /orders/{orderId}`, called through an HTTP API (API Gateway v2 event)
 * or through the service's VPC Lattice front door (Lattice v2 event). A malformed id is a 400
 * that says what a valid one looks like, an unknown one a 404, anything but GET a 405.
 */
export const handler = async (event: Request): Promise<APIGatewayProxyStructuredResultV2> => {
  const method = isLattice(event) ? event.method : (event.requestContext?.http?.method ?? 'GET');
  if (method !== 'GET') {
    return respond(405, { error: `method ${method} is not allowed; use GET` }, { allow: 'GET' });
  }
  const orderId = isLattice(event)
    ? ORDER_PATH.exec(event.path)?.[1]
    : (event.pathParameters?.orderId ?? ORDER_PATH.exec(event.rawPath ?? '')?.[1]);
  if (orderId === undefined || orderId === '') {
    return respond(400, { error: 'orderId is missing: call GET /orders/{orderId}' });
  }
  if (!ORDER_ID_PATTERN.test(orderId)) {
    logger.warn('malformed order id', { length: orderId.length });
    return respond(400, {
      error: 'orderId must be "ord-" followed by 4 to 12 digits, e.g. "ord-0001"',
    });
  }
  const order = ORDERS.get(orderId);
  if (!order) {
    logger.info('order not found', { orderId });
    return respond(404, { error: `order ${orderId} not found` });
  }
  logger.info('order found', { orderId, status: order.status });
  return respond(200, order);
};

function respond(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  // VPC Lattice's Lambda target contract requires isBase64Encoded (API Gateway ignores it).
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}
