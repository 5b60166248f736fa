import { z } from 'zod';
import { PREDEFINED_CONFIGS } from './strategy';

/**
 * Schemas for the three kinds of input: the pipeline configuration (`pipeline.config.ts`),
 * service definitions (`services/<name>/service.ts`) and stage entries (`stages/*.ts`).
 * Every message says what is wrong and how to fix it; `validate.ts` adds where and the value.
 */

/** Lower-case letters, digits and single hyphens, starting with a letter. */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Longest service name: `<stage>-<service>-post-hook` must fit Lambda's 64 characters. */
export const SERVICE_NAME_MAX = 28;
export const STAGE_NAME_PATTERN = /^[a-z][a-z0-9]*$/;
export const STAGE_NAME_MAX = 12;

export const serviceName = z
  .string({ error: 'must be a string. Fix: name the service, e.g. "payments"' })
  .min(2, { error: 'is too short. Fix: use 2 or more characters' })
  .max(SERVICE_NAME_MAX, {
    error: `is longer than ${SERVICE_NAME_MAX} characters, too long for the resource names derived from it. Fix: use a shorter name`,
  })
  .regex(SERVICE_NAME_PATTERN, {
    error:
      'is not a valid service name. Fix: use lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen, e.g. "order-history"',
  });

/** A shared stack, named in a stage entry: same grammar as service names. */
export const stackName = z
  .string({ error: 'must be a string. Fix: name the shared stack, e.g. "group-1"' })
  .max(SERVICE_NAME_MAX, {
    error: `is longer than ${SERVICE_NAME_MAX} characters. Fix: use a shorter stack name`,
  })
  .regex(SERVICE_NAME_PATTERN, {
    error:
      'is not a valid stack name. Fix: use lower-case letters, digits and single hyphens, starting with a letter, e.g. "group-1"',
  });

export const stageName = z
  .string({ error: 'must be a string. Fix: name the stage, e.g. "dev"' })
  .min(2, { error: 'is too short. Fix: use 2 or more characters' })
  .max(STAGE_NAME_MAX, {
    error: `is longer than ${STAGE_NAME_MAX} characters. Fix: use a shorter stage name`,
  })
  .regex(STAGE_NAME_PATTERN, {
    error: 'is not a valid stage name. Fix: use lower-case letters and digits, e.g. "prod"',
  });

const accountId = z.string().regex(/^\d{12}$/, {
  error:
    'is not a 12-digit AWS account id. Fix: use the account id exactly as the console shows it, e.g. "123456789012"',
});

const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, {
  error: 'is not an AWS region code. Fix: use a region code such as "us-east-1" or "eu-west-2"',
});

const environment = z.strictObject({ account: accountId, region });

const connectionArn = z
  .string()
  .regex(
    /^arn:aws(-[a-z]+)*:(codestar-connections|codeconnections):[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:connection\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    {
      error:
        'is not a CodeConnections connection ARN. Fix: copy the ARN from Developer Tools > Settings > Connections, e.g. "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-...."',
    },
  );

const repository = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, {
  error:
    'is not an "owner/repo" name. Fix: write the repository as "owner/repo", e.g. "my-org/my-services"',
});

const email = z.email({ error: 'is not an e-mail address. Fix: write it as "name@example.com"' });

export const pipelineConfigSchema = z.strictObject({
  pipelineName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/, {
    error:
      'is not a valid pipeline name. Fix: use letters, digits and hyphens, at most 63 characters',
  }),
  source: z.strictObject({
    connectionArn,
    repository,
    branch: z.string().min(1, { error: 'is empty. Fix: name the branch, usually "main"' }),
  }),
  pipeline: environment,
  environments: z.record(z.string(), environment).refine((e) => Object.keys(e).length > 0, {
    error: 'is empty. Fix: add at least one environment, e.g. dev: { account, region }',
  }),
  notifications: z.strictObject({ emails: z.array(email).default([]) }).default({ emails: [] }),
});

const percentage = z
  .number()
  .int({ error: 'must be a whole number. Fix: use a whole percentage from 1 to 99' })
  .min(1, { error: 'is below 1. Fix: use a whole percentage from 1 to 99' })
  .max(99, { error: 'is above 99. Fix: use a whole percentage from 1 to 99, or ALL_AT_ONCE' });

const intervalMinutes = z
  .number()
  .int({ error: 'must be a whole number of minutes. Fix: use 1 to 2880 minutes' })
  .min(1, { error: 'is below 1 minute. Fix: use 1 to 2880 minutes' })
  .max(2880, { error: "is above 2880 minutes (two days), CodeDeploy's limit. Fix: use 1 to 2880" });

export const strategySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('predefined'),
      name: z.enum(PREDEFINED_CONFIGS, {
        error: `is not a predefined CodeDeploy Lambda config. Fix: use one of ${PREDEFINED_CONFIGS.join(', ')}, or Strategy.canary()/Strategy.linear() for a custom one`,
      }),
    }),
    z.strictObject({ kind: z.literal('canary'), percentage, intervalMinutes }),
    z.strictObject({ kind: z.literal('linear'), percentage, intervalMinutes }),
  ],
  {
    error:
      'is not a deployment strategy. Fix: use Strategy.allAtOnce(), Strategy.predefined(NAME), Strategy.canary(percent, minutes) or Strategy.linear(percent, minutes)',
  },
);

const memoryMb = z
  .number()
  .int({ error: 'must be a whole number of MB. Fix: use 128 to 10240' })
  .min(128, { error: "is below Lambda's minimum of 128 MB. Fix: use 128 to 10240" })
  .max(10240, { error: "is above Lambda's maximum of 10240 MB. Fix: use 128 to 10240" });

/** Upper bound for a service's timeout: synthetic checks must finish inside a hook's budget. */
export const SERVICE_TIMEOUT_MAX_SECONDS = 60;

const timeoutSeconds = z
  .number()
  .int({ error: 'must be a whole number of seconds. Fix: use 1 to 60' })
  .min(1, { error: 'is below 1 second. Fix: use 1 to 60' })
  .max(SERVICE_TIMEOUT_MAX_SECONDS, {
    error: `is above ${SERVICE_TIMEOUT_MAX_SECONDS} seconds; synthetic checks must finish inside the traffic hook's budget. Fix: use 1 to ${SERVICE_TIMEOUT_MAX_SECONDS}, or move long work to an asynchronous worker`,
  });

const reservedConcurrency = z
  .number()
  .int({ error: 'must be a whole number. Fix: use 1 to 1000' })
  .min(1, { error: 'is below 1; 0 would stop the function. Fix: use 1 to 1000, or leave it out' })
  .max(1000, { error: 'is above 1000. Fix: use 1 to 1000, or leave it out' });

const envVarName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, {
    error:
      'is not a valid environment variable name. Fix: use letters, digits and underscores, starting with a letter',
  })
  .refine((k) => !k.startsWith('AWS_'), {
    error: 'is reserved by Lambda (AWS_*). Fix: pick another name',
  });

const environmentVars = z.record(
  envVarName,
  z.string({ error: 'must be a string. Fix: quote the value' }),
);

const alarms = z.strictObject({
  maxErrors: z
    .number()
    .int({ error: 'must be a whole number. Fix: use 1 to 1000' })
    .min(1, { error: 'is below 1; the alarm would fire with no errors. Fix: use 1 to 1000' })
    .max(1000, { error: 'is above 1000; the alarm would never roll back. Fix: use 1 to 1000' })
    .optional(),
  p99LatencyMs: z
    .number()
    .int({ error: 'must be a whole number of milliseconds. Fix: use 10 or more' })
    .min(10, { error: 'is below 10 ms. Fix: use 10 ms or more, below the timeout' })
    .optional(),
  maxThrottles: z
    .number()
    .int({ error: 'must be a whole number. Fix: use 1 to 1000' })
    .min(1, { error: 'is below 1; the alarm would fire with no throttles. Fix: use 1 to 1000' })
    .max(1000, { error: 'is above 1000. Fix: use 1 to 1000' })
    .optional(),
});

const serviceSettings = {
  memoryMb: memoryMb.optional(),
  timeoutSeconds: timeoutSeconds.optional(),
  reservedConcurrency: reservedConcurrency.optional(),
  environment: environmentVars.optional(),
  alarms: alarms.optional(),
};

export const serviceDefinitionSchema = z.strictObject({
  name: serviceName,
  description: z
    .string()
    .max(256, { error: 'is longer than 256 characters. Fix: shorten it' })
    .optional(),
  handler: z
    .string()
    .regex(/^[A-Za-z0-9_./-]+\.ts$/, {
      error:
        'is not a TypeScript file name. Fix: name the handler file relative to the service folder, e.g. "handler.ts"',
    })
    .optional(),
  ...serviceSettings,
  stageOverrides: z.record(z.string(), z.strictObject(serviceSettings)).optional(),
});

const reason = z.string().min(20, {
  error:
    'is too short to explain anything. Fix: give a reason of at least 20 characters that a reviewer can check',
});

export const stageServiceSchema = z.union(
  [
    serviceName,
    z.strictObject({
      name: serviceName,
      strategy: strategySchema.optional(),
      allAtOnceReason: reason.optional(),
      stack: stackName.optional(),
    }),
  ],
  {
    error:
      'is not a service entry. Fix: write the service name, or { name, strategy, allAtOnceReason, stack }',
  },
);

export const stageEntrySchema = z.strictObject({
  name: stageName,
  environment: z.string({
    error: 'must name an environment of pipeline.config.ts. Fix: e.g. "dev"',
  }),
  strategy: strategySchema,
  requiresApproval: z.boolean().default(false),
  allAtOnceReason: reason.optional(),
  smokeTests: z.boolean().default(false),
  services: z.array(stageServiceSchema).min(1, {
    error: 'is empty. Fix: list at least one service, or remove the stage',
  }),
});

export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;
export type ServiceDefinitionInput = z.input<typeof serviceDefinitionSchema>;
export type StageEntryInput = z.input<typeof stageEntrySchema>;
export type ServiceSettingsInput = NonNullable<ServiceDefinitionInput['stageOverrides']>[string];

export const syntheticChecksSchema = z
  .array(
    z.looseObject({
      name: z.string().min(1, { error: 'is empty. Fix: give every check a name' }),
      event: z.unknown(),
      expect: z.looseObject({
        statusCode: z.number().int().min(100).max(599).optional(),
        bodyFields: z.record(z.string(), z.unknown()).optional(),
        bodyContains: z.array(z.string()).optional(),
        maxLatencyMs: z.number().int().min(1).optional(),
      }),
    }),
    {
      error:
        'must export `checks`, an array of synthetic checks. Fix: export const checks: SyntheticCheck[] = [...]',
    },
  )
  .min(1, {
    error:
      'is empty: a service without synthetic checks cannot be verified by its traffic hooks. Fix: add at least one check',
  });
