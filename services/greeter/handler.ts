import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const logger = new Logger({ serviceName: 'greeter' });

/**
 * Greets the caller: `GET /hello?name=Ada` answers `{ "message": "Hello, Ada!" }`.
 * A name longer than 64 characters is a client error.
 */
export const handler = async (
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const name = event.queryStringParameters?.name?.trim() || 'world';
  if (name.length > 64) {
    logger.warn('name too long', { length: name.length });
    return json(400, { error: 'name must be at most 64 characters' });
  }
  logger.info('greeting', { name });
  return json(200, { message: `Hello, ${name}!` });
};

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
