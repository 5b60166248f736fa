import { RegionInfo } from 'aws-cdk-lib/region-info';
import { z } from 'zod';
import { isTimeZone, timeZones, WINDOW_CRON_EXAMPLE, windowCronProblem } from './cron';
import { closest } from './describe-issue';
import { reservedNameProblem, SHARED_STACK_PATTERN } from './names';
import { PREDEFINED_CONFIGS } from './strategy';

/**
 * Schemas for the three kinds of input: the pipeline configuration (`pipeline.config.ts`),
 * service definitions (`services/<name>/service.ts`) and stage entries (`stages/*.ts`), and
 * for synthetic checks. Every object is strict: an unknown field is refused with "did you mean".
 * Every message says what is wrong and how to fix it; `validate.ts` adds where and the value.
 * docs/configuration.md is the reference for every field.
 */

/** Lower-case letters, digits and single hyphens, starting with a letter. */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/**
 * Longest service name the grammar allows. The names derived from it must also fit their AWS
 * limits with the pipeline's and the stage's names added (checked in `validate.ts`).
 */
export const SERVICE_NAME_MAX = 28;
export const STAGE_NAME_PATTERN = /^[a-z][a-z0-9]*$/;
export const STAGE_NAME_MAX = 12;
export const ENVIRONMENT_NAME_MAX = 20;

/** Refuses names that break lookups by name (`constructor`, `delete`, ...). */
const notReserved = (name: unknown) =>
  typeof name !== 'string' || reservedNameProblem(name) === undefined;
const reservedError = (issue: { input?: unknown }) => reservedNameProblem(String(issue.input));

export const serviceName = z
  .string({ error: 'must be a string. Fix: name the service, e.g. "payments"' })
  .refine(notReserved, { error: reservedError })
  .min(2, { error: 'is too short. Fix: use 2 or more characters' })
  .max(SERVICE_NAME_MAX, {
    error: `is longer than ${SERVICE_NAME_MAX} characters, too long for the resource names derived from it. Fix: use a shorter name`,
  })
  .regex(SERVICE_NAME_PATTERN, {
    error:
      'is not a valid service name. Fix: use lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen, e.g. "order-history"',
  })
  .refine((n) => !SHARED_STACK_PATTERN.test(n), {
    error:
      'has the form group-N, which names the shared stacks that npm run new-service opens. Fix: choose another name',
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
  .refine(notReserved, { error: reservedError })
  .min(2, { error: 'is too short. Fix: use 2 or more characters' })
  .max(STAGE_NAME_MAX, {
    error: `is longer than ${STAGE_NAME_MAX} characters. Fix: use a shorter stage name`,
  })
  .regex(STAGE_NAME_PATTERN, {
    error: 'is not a valid stage name. Fix: use lower-case letters and digits, e.g. "prod"',
  });

const environmentName = z
  .string()
  .refine(notReserved, { error: reservedError })
  .max(ENVIRONMENT_NAME_MAX, {
    error: `is longer than ${ENVIRONMENT_NAME_MAX} characters. Fix: use a shorter environment name`,
  })
  .regex(SERVICE_NAME_PATTERN, {
    error:
      'is not a valid environment name. Fix: use lower-case letters, digits and single hyphens, starting with a letter, e.g. "prod-eu"',
  });

const accountId = z.string().regex(/^\d{12}$/, {
  error:
    'is not a 12-digit AWS account id. Fix: use the account id exactly as the console shows it, e.g. "123456789012"',
});

/** Every region the CDK's region table knows (`RegionInfo.regions`). */
export const AWS_REGIONS: readonly string[] = RegionInfo.regions.map((r) => r.name);

const region = z
  .string({ error: 'must be a string. Fix: write a region code such as "us-east-1"' })
  .refine((r) => AWS_REGIONS.includes(r), {
    error: (issue) => {
      const guess = closest(String(issue.input), AWS_REGIONS);
      return `is not an AWS region the CDK knows. Fix: ${guess ? `did you mean "${guess}"? Otherwise use` : 'use'} a region code such as "us-east-1" or "eu-west-2"`;
    },
  });

const vpcId = z.string().regex(/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/, {
  error:
    'is not a VPC id. Fix: copy it from the VPC console: "vpc-" and 8 or 17 hexadecimal digits, e.g. "vpc-0a1b2c3d4e5f60718"',
});

/** A service network's id, alone or in its ARN (whose region is the 1st capture group). */
export const SERVICE_NETWORK_PATTERN =
  /^(?:sn-[0-9a-z]{17}|arn:aws[a-z-]*:vpc-lattice:([a-z0-9-]+):\d{12}:servicenetwork\/sn-[0-9a-z]{17})$/;

const serviceNetwork = z.string().regex(SERVICE_NETWORK_PATTERN, {
  error:
    'is not a VPC Lattice service network id or ARN. Fix: copy it from the VPC console, Lattice > Service networks: "sn-" and 17 characters, or its ARN "arn:aws:vpc-lattice:<region>:<account>:servicenetwork/sn-..."',
});

const organizationId = z.string().regex(/^o-[a-z0-9]{10,32}$/, {
  error:
    'is not an AWS Organizations id. Fix: copy it from the Organizations console: "o-" and 10 to 32 lower-case letters or digits',
});

const latticeNetwork = z.strictObject({
  serviceNetwork: serviceNetwork.optional(),
  vpcIds: z
    .array(vpcId)
    .refine((ids) => new Set(ids).size === ids.length, {
      error: 'lists a VPC twice. Fix: list each VPC once',
    })
    .optional(),
  allowedAccounts: z
    .array(accountId)
    .refine((ids) => new Set(ids).size === ids.length, {
      error: 'lists an account twice. Fix: list each account once',
    })
    .optional(),
  organizationId: organizationId.optional(),
});

const environment = z.strictObject({
  account: accountId,
  region,
  lattice: latticeNetwork.optional(),
});

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
  pipelineName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, {
    error:
      'is not a valid pipeline name. Fix: use letters, digits and hyphens, starting with a letter, at most 63 characters',
  }),
  source: z.strictObject({
    connectionArn,
    repository,
    branch: z.string().min(1, { error: 'is empty. Fix: name the branch, usually "main"' }),
  }),
  pipeline: z.strictObject({
    account: accountId,
    region,
    regions: z
      .array(region)
      .min(1, { error: 'is empty. Fix: list the regions the tools account is bootstrapped in' })
      .optional(),
  }),
  environments: z.record(environmentName, environment).refine((e) => Object.keys(e).length > 0, {
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

/** Defaults the resolution in `validate.ts` applies; docs/configuration.md lists them. */
export const DEFAULTS = {
  /** The handler file of a service, relative to its folder. */
  handler: 'handler.ts',
  memoryMb: 256,
  timeoutSeconds: 10,
  errorRatePercent: 1,
  minInvocationsPerMinute: 10,
  /** p99 alarm: 80% of the timeout, at most this. */
  p99LatencyMsMax: 1000,
  maxThrottles: 1,
  onQuiet: 'fail',
  /** A healthy version's error rate: the threshold divided by this. */
  baselineRatio: 10,
  confidencePercent: 99,
  powerPercent: 90,
  compareToBaseline: true,
  /** Minutes the post-traffic hook watches real traffic at 100% at most. */
  watchMinutes: 10,
  /** Minutes the alarm blocker holds a release at a wave's entry before failing it. */
  blockWaitMinutes: 60,
  /** Bake after each wave of a stage that requires approval; 0 otherwise. */
  bakeMinutesWithApproval: 15,
  timeZone: 'UTC',
} as const;

/** A field that no longer exists: refused with what replaced it (and typed `never`). */
const retired = (message: string) => z.never({ error: message }).optional();

const alarms = z.strictObject({
  errorRatePercent: z
    .number({ error: 'must be a number. Fix: write a percentage such as 1 or 0.5' })
    .gt(0, {
      error: 'is not above 0; every error would roll back. Fix: use more than 0, up to 100',
    })
    .max(100, {
      error: 'is above 100, so the alarm could never fire. Fix: use more than 0, up to 100',
    })
    .optional(),
  minInvocationsPerMinute: z
    .number()
    .int({ error: 'must be a whole number. Fix: use 1 to 100000' })
    .min(1, { error: 'is below 1. Fix: use 1 to 100000' })
    .max(100000, { error: 'is above 100000. Fix: use 1 to 100000' })
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
  maxErrors: retired(
    `was replaced by errorRatePercent: a release is now judged on the error rate of the new version (errors as a percentage of its invocations, default ${DEFAULTS.errorRatePercent}), in minutes with at least minInvocationsPerMinute invocations (default ${DEFAULTS.minInvocationsPerMinute}). Fix: remove maxErrors, and set errorRatePercent if ${DEFAULTS.errorRatePercent}% does not suit`,
  ),
});

const canary = z.strictObject({
  baselineErrorRatePercent: z
    .number({ error: 'must be a number. Fix: write a percentage such as 0.1' })
    .gt(0, { error: 'is not above 0. Fix: use a percentage above 0, below errorRatePercent' })
    .lt(100, { error: 'is not below 100. Fix: use a percentage below errorRatePercent' })
    .optional(),
  confidencePercent: z
    .number({ error: 'must be a number. Fix: write a percentage such as 99' })
    .min(80, {
      error:
        'is below 80: more than one healthy release in five could be rolled back. Fix: use 80 to 99.99',
    })
    .max(99.99, { error: 'is above 99.99. Fix: use 80 to 99.99' })
    .optional(),
  powerPercent: z
    .number({ error: 'must be a number. Fix: write a percentage such as 90' })
    .min(50, { error: 'is below 50. Fix: use 50 to 99.9' })
    .max(99.9, { error: 'is above 99.9. Fix: use 50 to 99.9' })
    .optional(),
  onQuiet: z
    .enum(['fail', 'generate-traffic'], {
      error:
        'is not a choice. Fix: use "fail" (a release whose real traffic cannot be judged fails) or "generate-traffic" (the post-traffic hook calls the new version with the synthetic checks until the verdict is conclusive)',
    })
    .optional(),
  compareToBaseline: z
    .boolean({
      error:
        "must be true or false. The old version's measured rates raise the acceptable ones; the gap between baselineErrorRatePercent and errorRatePercent replaced marginPercent. Fix: write compareToBaseline: true (or false)",
    })
    .optional(),
  watchMinutes: z
    .number()
    .int({ error: 'must be a whole number of minutes. Fix: use 1 to 13' })
    .min(1, { error: 'is below 1. Fix: use 1 to 13 minutes' })
    .max(13, {
      error:
        'is above 13 minutes: the post-traffic hook must report within its 15-minute Lambda timeout. Fix: use 1 to 13, or a longer canary so that it has its sample before 100%',
    })
    .optional(),
  minInvocations: retired(
    `was replaced by the sample the release judge works out: from errorRatePercent, baselineErrorRatePercent (default a tenth of it), confidencePercent (default ${DEFAULTS.confidencePercent}) and powerPercent (default ${DEFAULTS.powerPercent}) it knows how many calls a verdict needs, and npm run plan prints it. Fix: remove minInvocations`,
  ),
});

const serviceSettings = {
  memoryMb: memoryMb.optional(),
  timeoutSeconds: timeoutSeconds.optional(),
  reservedConcurrency: reservedConcurrency.optional(),
  environment: environmentVars.optional(),
  alarms: alarms.optional(),
  canary: canary.optional(),
  lattice: z.boolean().optional(),
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
      lattice: z.boolean().optional(),
      requestsPerMinute: z
        .number({ error: 'must be a number. Fix: write the calls a minute you expect, e.g. 50' })
        .gt(0, { error: 'is not above 0. Fix: write the calls a minute you expect, e.g. 50' })
        .max(10_000_000, { error: 'is above 10,000,000. Fix: write calls a minute, e.g. 50' })
        .optional(),
    }),
  ],
  {
    error:
      'is not a service entry. Fix: write the service name, or { name, strategy, allAtOnceReason, stack, lattice, requestsPerMinute }',
  },
);

const environmentRef = z.string({
  error: 'must name an environment of the pipeline configuration. Fix: e.g. "prod"',
});

const wave = z.strictObject({
  environments: z.array(environmentRef).min(1, {
    error:
      'is empty: a wave deploys to at least one environment. Fix: list environments of the pipeline configuration, e.g. ["prod-eu"], or remove the wave',
  }),
});

const deploymentWindow = z.strictObject({
  cron: z
    .string({ error: `must be a string. Fix: e.g. "${WINDOW_CRON_EXAMPLE}"` })
    .refine((c) => windowCronProblem(c) === undefined, {
      error: (issue) => windowCronProblem(String(issue.input)),
    }),
  timeZone: z
    .string({ error: 'must be a string. Fix: e.g. "Europe/Berlin"' })
    .refine(isTimeZone, {
      error: (issue) => {
        const guess = closest(String(issue.input), timeZones());
        return `is not an IANA time zone. Fix: ${guess ? `did you mean "${guess}"? Otherwise use` : 'use'} a zone such as "Europe/Berlin", "America/New_York" or "UTC"`;
      },
    })
    .default(DEFAULTS.timeZone),
});

export const stageEntrySchema = z.strictObject({
  name: stageName,
  /** The one environment the stage deploys to; or `waves`. */
  environment: environmentRef.optional(),
  /** Environments in waves, each wave after the previous one reached 100% and baked. */
  waves: z
    .array(wave)
    .min(1, {
      error:
        'is empty. Fix: list at least one wave, e.g. [{ environments: ["prod"] }], or use environment instead',
    })
    .optional(),
  strategy: strategySchema,
  requiresApproval: z.boolean().default(false),
  allAtOnceReason: reason.optional(),
  /** Why a stage that requires approval may deploy services no earlier stage deploys. */
  untestedReason: reason.optional(),
  smokeTests: z.boolean().default(true),
  bakeMinutes: z
    .number()
    .int({ error: 'must be a whole number of minutes. Fix: use 0 to 1440' })
    .min(0, { error: 'is below 0. Fix: use 0 (no bake) to 1440 minutes' })
    .max(1440, { error: 'is above 1440 minutes (one day). Fix: use 0 to 1440' })
    .optional(),
  blockWhileAlarming: z
    .union(
      [
        z.boolean(),
        z.strictObject({
          waitMinutes: z
            .number()
            .int({ error: 'must be a whole number of minutes. Fix: use 1 to 1440' })
            .min(1, { error: 'is below 1. Fix: use 1 to 1440 minutes' })
            .max(1440, { error: 'is above 1440 minutes (one day). Fix: use 1 to 1440' }),
        }),
      ],
      {
        error:
          'must be true, false or { waitMinutes }. Fix: e.g. blockWhileAlarming: { waitMinutes: 60 }',
      },
    )
    .optional(),
  deploymentWindow: deploymentWindow.optional(),
  services: z.array(stageServiceSchema).min(1, {
    error: 'is empty. Fix: list at least one service, or remove the stage',
  }),
});

export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;
export type ServiceDefinitionInput = z.input<typeof serviceDefinitionSchema>;
export type StageEntryInput = z.input<typeof stageEntrySchema>;
export type ServiceSettingsInput = NonNullable<ServiceDefinitionInput['stageOverrides']>[string];
export type PipelineConfig = z.output<typeof pipelineConfigSchema>;
export type ServiceDefinition = z.output<typeof serviceDefinitionSchema>;
export type StageEntry = z.output<typeof stageEntrySchema>;

export const syntheticChecksSchema = z
  .array(
    z.strictObject({
      name: z.string().min(1, { error: 'is empty. Fix: give every check a name' }),
      event: z.unknown(),
      expect: z.strictObject({
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
