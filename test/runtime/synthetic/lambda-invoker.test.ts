import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaInvoker } from '../../../runtime/synthetic/lambda-invoker';
import { apiResult, lambdaPayload } from '../support';

const lambdaMock = mockClient(LambdaClient);
const client = new LambdaClient({ region: 'eu-west-1' });

beforeEach(() => lambdaMock.reset());

describe('lambdaInvoker', () => {
  it('invokes the qualified function synchronously with the event as JSON, passing the signal', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: lambdaPayload(apiResult(200, { ok: true })) });
    const controller = new AbortController();

    const outcome = await lambdaInvoker(
      client,
      'prod-greeter',
      '7',
    )({ rawPath: '/hello' }, controller.signal);

    expect(outcome).toEqual({ payload: apiResult(200, { ok: true }) });
    const [call] = lambdaMock.commandCalls(InvokeCommand);
    const input = call.args[0].input;
    expect(input).toMatchObject({
      FunctionName: 'prod-greeter',
      Qualifier: '7',
      InvocationType: 'RequestResponse',
    });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual({
      rawPath: '/hello',
    });
    // The second argument of Client#send carries the abort signal to the SDK.
    expect((lambdaMock.send.firstCall.args as unknown[])[1]).toEqual({
      abortSignal: controller.signal,
    });
  });

  it('leaves out the qualifier when none is given (e.g. a qualified ARN)', async () => {
    lambdaMock.on(InvokeCommand).resolves({ Payload: lambdaPayload(null) });
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:dev-greeter:live';
    await lambdaInvoker(client, arn)({}, new AbortController().signal);
    const input = lambdaMock.commandCalls(InvokeCommand)[0].args[0].input;
    expect(input.FunctionName).toBe(arn);
    expect('Qualifier' in input).toBe(false);
  });

  it('reports FunctionError with the decoded error payload', async () => {
    const errorPayload = { errorType: 'Error', errorMessage: 'boom', trace: [] };
    lambdaMock
      .on(InvokeCommand)
      .resolves({ FunctionError: 'Unhandled', Payload: lambdaPayload(errorPayload) });
    const outcome = await lambdaInvoker(client, 'f', '1')({}, new AbortController().signal);
    expect(outcome).toEqual({ payload: errorPayload, functionError: 'Unhandled' });
  });

  it('treats an empty payload as undefined', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200 });
    const outcome = await lambdaInvoker(client, 'f')({}, new AbortController().signal);
    expect(outcome).toEqual({ payload: undefined });
  });

  it('rejects a payload that is not JSON', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves({ Payload: new TextEncoder().encode('not json') as never });
    await expect(lambdaInvoker(client, 'f')({}, new AbortController().signal)).rejects.toThrow(
      'Lambda returned a payload that is not JSON: not json',
    );
  });

  it('propagates SDK errors so the runner can fail the check', async () => {
    lambdaMock
      .on(InvokeCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(lambdaInvoker(client, 'f')({}, new AbortController().signal)).rejects.toThrow(
      'denied',
    );
  });
});
