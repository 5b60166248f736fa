import { Strategy } from '../../../lib/config/strategy';
import {
  MAX_CHECK_EVENT_BYTES,
  type AppInput,
  type LoadedService,
} from '../../../lib/config/validate';
import {
  addService,
  type ChangeableInput,
  config,
  environments,
  setChecks,
  fixtureService,
  LIVE_ACCOUNT,
  service,
  stage,
  TOOLS_ACCOUNT,
  type Json,
} from './fixtures';

/**
 * Bad edits of the test fixture (test/lib/config/fixtures.ts), each with the one message
 * validateApp() refuses it with. validate.test.ts checks each message exactly; the refusal
 * samples in docs/configuration.md are checked against the real messages of these cases
 * (test/docs/refusals.test.ts).
 */
export const alpha = 'Service definition "alpha" (services/alpha/service.ts)';
export const beta = 'Service definition "beta-two" (services/beta-two/service.ts)';
export const test = 'Stage entry "test" (stages/test.ts)';
export const live = 'Stage entry "live" (stages/live.ts)';
export const pipeline = 'Pipeline configuration (pipeline.config.ts)';
export const SN = 'sn-0123456789abcdef0';
export const snArn = (region: string) =>
  `arn:aws:vpc-lattice:${region}:${LIVE_ACCOUNT}:servicenetwork/${SN}`;

/** The live stage deploys in waves instead of to one environment. */
export function inWaves(i: AppInput, waves: string[][]): void {
  const entry = stage(i, 'live');
  delete entry.environment;
  entry.waves = waves.map((environments) => ({ environments }));
}

export const PREDEFINED_LIST =
  'ALL_AT_ONCE, CANARY_10PERCENT_5MINUTES, CANARY_10PERCENT_10MINUTES, CANARY_10PERCENT_15MINUTES, CANARY_10PERCENT_30MINUTES, LINEAR_10PERCENT_EVERY_1MINUTE, LINEAR_10PERCENT_EVERY_2MINUTES, LINEAR_10PERCENT_EVERY_3MINUTES, LINEAR_10PERCENT_EVERY_10MINUTES';
export const OBJECT_KEY =
  'is a property every JavaScript object has, so a lookup by this name would find that property instead of the entry. Fix: choose another name';
export const CRON_FIX =
  'Fix: write six fields and an optional year, e.g. "* 0-59 9-16 ? * MON-FRI" (every minute from 9:00 to 16:59, Monday to Friday)';

export const cases: ReadonlyArray<readonly [string, (i: ChangeableInput) => void, string]> = [
  // Stage entries: services
  [
    'an unknown service in a stage',
    (i) => (stage(i, 'test').services as unknown[]).push('gamma'),
    `${test}: services[2] is "gamma", which is not a service. Known services: alpha, beta-two. Fix: correct the name, or create it with npm run new-service -- gamma`,
  ],
  [
    'a misspelt service in a stage, with a suggestion',
    (i) => (stage(i, 'live').services = ['alpha', 'beta-tow']),
    `${live}: services[1] is "beta-tow", which is not a service. Known services: alpha, beta-two. Fix: did you mean "beta-two"? Correct the name, or create it with npm run new-service -- beta-tow`,
  ],
  [
    'a service listed twice in a stage',
    (i) => (stage(i, 'test').services = ['alpha', 'beta-two', { name: 'alpha' }]),
    `${test}: services[2] lists "alpha" a second time. Fix: list each service once per stage`,
  ],
  [
    'a service name that breaks the name rule in a stage',
    (i) => (stage(i, 'test').services = ['Alpha']),
    `${test}: services[0] is "Alpha": is not a valid service name. Fix: use lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen, e.g. "order-history"`,
  ],
  [
    'a service in an approval-gated stage that no earlier stage deploys',
    (i) => (stage(i, 'test').services = ['alpha']),
    `${live}: services[1] is "beta-two", which no earlier stage deploys, so it would reach "live" untested. Fix: add "beta-two" to an earlier stage (e.g. "test") too, or set untestedReason on "live" to say why it may go untested`,
  ],
  [
    'a stage that requires approval listed first, before the stage that deploys its services',
    (i) => i.stages.reverse(),
    `${live}: services[0] is "alpha", but "live" requires approval and comes first in stages/index.ts: no earlier stage deploys "alpha", so it would reach "live" untested. Fix: list "test" before "live" in stages/index.ts (it deploys "alpha"), or set untestedReason on "live" to say why it may go untested`,
  ],
  [
    'a stage that requires approval and no stage to test its services',
    (i) => i.stages.splice(0, 1),
    `${live}: services[0] is "alpha", but "live" requires approval and comes first in stages/index.ts: no earlier stage deploys "alpha", so it would reach "live" untested. Fix: put a stage that deploys "alpha" before "live" in stages/index.ts, or set untestedReason on "live" to say why it may go untested`,
  ],
  [
    'a reason to deploy untested where every service was deployed before',
    (i) => (stage(i, 'live').untestedReason = 'the partner API answers in live only'),
    `${live}: untestedReason is set, but every service of "live" is deployed by an earlier stage first, so there is nothing for it to excuse. Fix: remove untestedReason`,
  ],
  [
    'a reason to deploy untested in a stage without approval',
    (i) => (stage(i, 'test').untestedReason = 'the partner API answers in live only'),
    `${test}: untestedReason is set, but "test" does not require approval: the rule it excuses (a stage that requires approval deploys only services an earlier stage deployed) does not apply. Fix: remove untestedReason`,
  ],
  [
    'a reason to deploy untested too short to explain anything',
    (i) => {
      i.stages.reverse();
      stage(i, 'live').untestedReason = 'trust me';
    },
    `${live}: untestedReason is "trust me": is too short to explain anything. Fix: give a reason of at least 20 characters that a reviewer can check`,
  ],
  [
    'a shared stack named like a service',
    (i) => (stage(i, 'test').services = ['alpha', { name: 'beta-two', stack: 'alpha' }]),
    `${test}: services[1].stack is "alpha", the name of a service (services/alpha/service.ts), whose own stack has that name. Fix: give the shared stack another name, e.g. "group-N", or the service`,
  ],
  // Stage entries: stages and environments
  [
    'two stages with the same name: the later file is blamed',
    (i) => (stage(i, 'live').name = 'test'),
    'Stage entry "test" (stages/live.ts): the stage name "test" is used by an earlier stage (stages/test.ts). Fix: give every stage a unique name',
  ],
  [
    'a stage named like an Object.prototype property',
    (i) => (stage(i, 'live').name = 'constructor'),
    `Stage entry "constructor" (stages/live.ts): name is "constructor": ${OBJECT_KEY}`,
  ],
  [
    'a stage environment that the pipeline configuration does not define',
    (i) => (stage(i, 'test').environment = 'staging'),
    `${test}: environment is "staging", which pipeline.config.ts does not define. Fix: use one of "test", "live", or add it to environments`,
  ],
  [
    'a misspelt stage environment, with a suggestion',
    (i) => (stage(i, 'live').environment = 'lvie'),
    `${live}: environment is "lvie", which pipeline.config.ts does not define. Fix: did you mean "live"? Otherwise use one of "test", "live", or add it to environments`,
  ],
  [
    'a stage with both environment and waves',
    (i) => (stage(i, 'live').waves = [{ environments: ['live'] }]),
    `${live}: sets both environment ("live") and waves. Fix: keep one: environment for a single environment, or waves to deploy to several in order`,
  ],
  [
    'a stage with neither environment nor waves',
    (i) => delete stage(i, 'live').environment,
    `${live}: environment is missing: a stage deploys to one environment, or to waves of environments. Fix: add environment: "<name>" (one of "test", "live"), or waves: [{ environments: [...] }, ...]`,
  ],
  [
    'an empty list of waves',
    (i) => inWaves(i, []),
    `${live}: waves is []: is empty. Fix: list at least one wave, e.g. [{ environments: ["prod"] }], or use environment instead`,
  ],
  [
    'a wave without environments',
    (i) => inWaves(i, [['live'], []]),
    `${live}: waves[1].environments is []: is empty: a wave deploys to at least one environment. Fix: list environments of the pipeline configuration, e.g. ["prod-eu"], or remove the wave`,
  ],
  [
    'an environment named twice in a stage',
    (i) => inWaves(i, [['live'], ['live']]),
    `${live}: waves[1].environments[0] is "live", which waves[0].environments[0] already names. Fix: deploy to each environment once per stage`,
  ],
  [
    'two environments of a stage in the same account and region',
    (i) => {
      environments(i)['live-b'] = { account: LIVE_ACCOUNT, region: 'eu-west-1' };
      inWaves(i, [['live', 'live-b']]);
    },
    `${live}: waves[0].environments[1] is "live-b", in the same account and region (${LIVE_ACCOUNT}, eu-west-1) as "live" (waves[0].environments[0]), so the stage's resources would get the same names twice. Fix: deploy to one of them, or give "live-b" another account or region in pipeline.config.ts`,
  ],
  [
    'a stage in a region the tools account is not bootstrapped in',
    (i) => (environments(i).live.region = 'eu-central-1'),
    `${live}: environment is "live", in region eu-central-1, which pipeline.regions in pipeline.config.ts does not list (eu-west-1): the pipeline needs its bootstrap stack there for cross-region deployments. Fix: add "eu-central-1" to pipeline.regions and bootstrap the tools account there: npx cdk bootstrap aws://${TOOLS_ACCOUNT}/eu-central-1`,
  ],
  [
    'a wave whose second region is not in pipeline.regions',
    (i) => {
      environments(i)['live-us'] = { account: LIVE_ACCOUNT, region: 'us-west-2' };
      (config(i).pipeline as Json).regions = ['eu-west-1', 'us-east-2'];
      inWaves(i, [['live'], ['live-us']]);
    },
    `${live}: waves[1].environments[0] is "live-us", in region us-west-2, which pipeline.regions in pipeline.config.ts does not list (eu-west-1, us-east-2): the pipeline needs its bootstrap stack there for cross-region deployments. Fix: add "us-west-2" to pipeline.regions and bootstrap the tools account there: npx cdk bootstrap aws://${TOOLS_ACCOUNT}/us-west-2`,
  ],
  // Stage entries: strategies
  [
    'an unknown predefined deployment config',
    (i) => (stage(i, 'live').strategy = { kind: 'predefined', name: 'CANARY_10PERCENT_20MINUTES' }),
    `${live}: strategy.name is "CANARY_10PERCENT_20MINUTES": is not a predefined CodeDeploy Lambda config. Fix: use one of ${PREDEFINED_LIST}, or Strategy.canary()/Strategy.linear() for a custom one`,
  ],
  [
    'a canary of 0% on one entry',
    (i) =>
      (stage(i, 'live').services = [
        'alpha',
        { name: 'beta-two', strategy: Strategy.canary(0, 5) },
      ]),
    `${live}: services[1].strategy.percentage is 0: is below 1. Fix: use a whole percentage from 1 to 99`,
  ],
  [
    'a canary of 100% on one entry',
    (i) =>
      (stage(i, 'live').services = [
        'alpha',
        { name: 'beta-two', strategy: Strategy.canary(100, 5) },
      ]),
    `${live}: services[1].strategy.percentage is 100: is above 99. Fix: use a whole percentage from 1 to 99, or ALL_AT_ONCE`,
  ],
  [
    'a linear shift every 0 minutes',
    (i) => (stage(i, 'live').strategy = Strategy.linear(10, 0)),
    `${live}: strategy.intervalMinutes is 0: is below 1 minute. Fix: use 1 to 2880 minutes`,
  ],
  [
    'an unknown predefined config on one entry (inside the entry union)',
    (i) =>
      (stage(i, 'live').services = [
        'alpha',
        { name: 'beta-two', strategy: { kind: 'predefined', name: 'CANARY_99' } },
      ]),
    `${live}: services[1].strategy.name is "CANARY_99": is not a predefined CodeDeploy Lambda config. Fix: use one of ${PREDEFINED_LIST}, or Strategy.canary()/Strategy.linear() for a custom one`,
  ],
  [
    'an approval-gated stage deploying all at once without a reason',
    (i) => (stage(i, 'live').strategy = Strategy.allAtOnce()),
    `${live}: strategy is ALL_AT_ONCE in a stage that requires approval, so a bad release would reach all traffic at once. Fix: use a canary or linear strategy, or set allAtOnceReason to say why all-at-once is safe here`,
  ],
  [
    'one entry of an approval-gated stage deploying all at once without a reason',
    (i) =>
      (stage(i, 'live').services = ['alpha', { name: 'beta-two', strategy: Strategy.allAtOnce() }]),
    `${live}: services[1] ("beta-two"): strategy is ALL_AT_ONCE in a stage that requires approval. Fix: use a canary or linear strategy, or set allAtOnceReason on the entry`,
  ],
  [
    'a reason for all-at-once too short to explain anything',
    (i) =>
      (stage(i, 'live').services = [
        'alpha',
        { name: 'beta-two', strategy: Strategy.allAtOnce(), allAtOnceReason: 'fine' },
      ]),
    `${live}: services[1].allAtOnceReason is "fine": is too short to explain anything. Fix: give a reason of at least 20 characters that a reviewer can check`,
  ],
  // Stage entries: release settings
  [
    'a bake longer than a day',
    (i) => (stage(i, 'live').bakeMinutes = 1500),
    `${live}: bakeMinutes is 1500: is above 1440 minutes (one day). Fix: use 0 to 1440`,
  ],
  [
    'a bake in fractions of a minute',
    (i) => (stage(i, 'live').bakeMinutes = 2.5),
    `${live}: bakeMinutes is 2.5: must be a whole number of minutes. Fix: use 0 to 1440`,
  ],
  [
    'a deployment window cron with five fields',
    (i) => (stage(i, 'live').deploymentWindow = { cron: '0 9-16 ? * MON-FRI' }),
    `${live}: deploymentWindow.cron is "0 9-16 ? * MON-FRI": has 5 fields; a deployment window's cron has six (seconds minutes hours day-of-month month day-of-week) and an optional year. ${CRON_FIX}`,
  ],
  [
    'a deployment window cron with seconds other than *',
    (i) => (stage(i, 'live').deploymentWindow = { cron: '0 0-59 9-16 ? * MON-FRI' }),
    `${live}: deploymentWindow.cron is "0 0-59 9-16 ? * MON-FRI": has "0" in the seconds field, where CodePipeline allows only "*". Fix: start the expression with "* ", e.g. "* 0-59 9-16 ? * MON-FRI"`,
  ],
  [
    'a deployment window cron with an hour out of range',
    (i) => (stage(i, 'live').deploymentWindow = { cron: '* 0-59 9-24 ? * MON-FRI' }),
    `${live}: deploymentWindow.cron is "* 0-59 9-24 ? * MON-FRI": has "9-24" in the hours field: "24" is outside 0-23. ${CRON_FIX}`,
  ],
  [
    'a deployment window cron in the EventBridge format',
    (i) => (stage(i, 'live').deploymentWindow = { cron: 'cron(0 9-16 ? * MON-FRI *)' }),
    `${live}: deploymentWindow.cron is "cron(0 9-16 ? * MON-FRI *)": is in the EventBridge format; a deployment window takes the expression alone, with a seconds field first. ${CRON_FIX}`,
  ],
  [
    'a deployment window cron without ? in either day field',
    (i) => (stage(i, 'live').deploymentWindow = { cron: '* * 9-16 * * MON-FRI' }),
    `${live}: deploymentWindow.cron is "* * 9-16 * * MON-FRI": has "*" as day-of-month and "MON-FRI" as day-of-week; exactly one of the two must be "?". ${CRON_FIX}`,
  ],
  [
    'a deployment window in a misspelt time zone',
    (i) =>
      (stage(i, 'live').deploymentWindow = {
        cron: '* 0-59 9-16 ? * MON-FRI',
        timeZone: 'Europe/Berln',
      }),
    `${live}: deploymentWindow.timeZone is "Europe/Berln": is not an IANA time zone. Fix: did you mean "Europe/Berlin"? Otherwise use a zone such as "Europe/Berlin", "America/New_York" or "UTC"`,
  ],
  // Service definitions
  [
    'a service named like an Object.prototype property',
    (i) => addService(i, 'constructor'),
    `Service definition "constructor" (services/constructor/service.ts): name is "constructor": ${OBJECT_KEY}`,
  ],
  [
    'a service named __proto__',
    (i) => addService(i, '__proto__'),
    `Service definition "__proto__" (services/__proto__/service.ts): name is "__proto__": ${OBJECT_KEY}`,
  ],
  [
    'a service named toString',
    (i) => addService(i, 'toString'),
    `Service definition "toString" (services/toString/service.ts): name is "toString": ${OBJECT_KEY}`,
  ],
  [
    'a service named like a JavaScript reserved word',
    (i) => addService(i, 'delete'),
    'Service definition "delete" (services/delete/service.ts): name is "delete": is a JavaScript reserved word, which code that handles entries by name cannot use safely. Fix: choose another name',
  ],
  [
    'a service named like the shared stacks the scaffold opens',
    (i) => addService(i, 'group-3'),
    'Service definition "group-3" (services/group-3/service.ts): name is "group-3": has the form group-N, which names the shared stacks that npm run new-service opens. Fix: choose another name',
  ],
  [
    "a service named like another service's post-traffic hook",
    (i) => addService(i, 'alpha-post-hook'),
    `${test}: services[2] is "alpha-post-hook": its function would be named "fixture-pipeline-test-alpha-post-hook", which is the name of the post-traffic hook function of "alpha" in this stage. Fix: give "alpha-post-hook" another name`,
  ],
  [
    "a service named like another service's pre-traffic hook, listed first",
    (i) => {
      addService(i, 'beta-two-pre-hook');
      stage(i, 'test').services = ['beta-two-pre-hook', 'alpha', 'beta-two'];
    },
    `${test}: services[0] is "beta-two-pre-hook": its function would be named "fixture-pipeline-test-beta-two-pre-hook", which is the name of the pre-traffic hook function of "beta-two" in this stage. Fix: give "beta-two-pre-hook" another name`,
  ],
  [
    "a service named like the stage's monitoring stack (apart from case)",
    (i) => addService(i, 'monitoring'),
    `${test}: services[2] is "monitoring": its stack would be named "fixture-pipeline-test-monitoring", which is the name of the monitoring stack of the stage ("fixture-pipeline-test-Monitoring", apart from case). Fix: give "monitoring" another name`,
  ],
  [
    "a service named like the stage's overview dashboard (apart from case)",
    (i) => addService(i, 'overview'),
    `${test}: services[2] is "overview": its dashboard would be named "fixture-pipeline-test-overview", which is the name of the overview dashboard of the stage ("fixture-pipeline-test-Overview", apart from case). Fix: give "overview" another name`,
  ],
  [
    'a service name that does not match its folder',
    (i) => (service(i, 'beta-two').name = 'beta'),
    'Service definition "beta" (services/beta-two/service.ts): name is "beta" but the folder is services/beta-two/. Fix: make the name match the folder, or rename the folder',
  ],
  [
    'memory below the minimum',
    (i) => (service(i, 'alpha').memoryMb = 64),
    `${alpha}: memoryMb is 64: is below Lambda's minimum of 128 MB. Fix: use 128 to 10240`,
  ],
  [
    'memory above the maximum, in a stage override',
    (i) => (service(i, 'beta-two').stageOverrides = { live: { memoryMb: 20480 } }),
    `${beta}: stageOverrides.live.memoryMb is 20480: is above Lambda's maximum of 10240 MB. Fix: use 128 to 10240`,
  ],
  [
    'memory written as a string',
    (i) => (service(i, 'alpha').memoryMb = '256'),
    `${alpha}: memoryMb is "256": must be a number. Fix: write a number without quotes`,
  ],
  [
    'a timeout of 0',
    (i) => (service(i, 'alpha').timeoutSeconds = 0),
    `${alpha}: timeoutSeconds is 0: is below 1 second. Fix: use 1 to 60`,
  ],
  [
    'a timeout longer than the hooks allow',
    (i) => (service(i, 'beta-two').timeoutSeconds = 120),
    `${beta}: timeoutSeconds is 120: is above 60 seconds; synthetic checks must finish inside the traffic hook's budget. Fix: use 1 to 60, or move long work to an asynchronous worker`,
  ],
  [
    'the retired maxErrors, with what replaced it',
    (i) => (service(i, 'alpha').alarms = { maxErrors: 1 }),
    `${alpha}: alarms.maxErrors is 1: was replaced by errorRatePercent: a release is now judged on the error rate of the new version (errors as a percentage of its invocations, default 1), in minutes with at least minInvocationsPerMinute invocations (default 10). Fix: remove maxErrors, and set errorRatePercent if 1% does not suit`,
  ],
  [
    'the retired maxErrors in a stage override',
    (i) => (service(i, 'alpha').stageOverrides = { live: { alarms: { maxErrors: 5 } } }),
    `${alpha}: stageOverrides.live.alarms.maxErrors is 5: was replaced by errorRatePercent: a release is now judged on the error rate of the new version (errors as a percentage of its invocations, default 1), in minutes with at least minInvocationsPerMinute invocations (default 10). Fix: remove maxErrors, and set errorRatePercent if 1% does not suit`,
  ],
  [
    'an unknown alarm field is not steered to the retired one',
    (i) => (service(i, 'alpha').alarms = { maxError: 1 }),
    `${alpha}: alarms has unknown field "maxError". Fix: remove it; the known fields are errorRatePercent, minInvocationsPerMinute, p99LatencyMs, maxThrottles`,
  ],
  [
    'an error rate of 0%',
    (i) => (service(i, 'alpha').alarms = { errorRatePercent: 0 }),
    `${alpha}: alarms.errorRatePercent is 0: is not above 0; every error would roll back. Fix: use more than 0, up to 100`,
  ],
  [
    'an error rate above 100%',
    (i) => (service(i, 'alpha').alarms = { errorRatePercent: 150 }),
    `${alpha}: alarms.errorRatePercent is 150: is above 100, so the alarm could never fire. Fix: use more than 0, up to 100`,
  ],
  [
    'a minimum of 0 invocations a minute',
    (i) => (service(i, 'alpha').alarms = { minInvocationsPerMinute: 0 }),
    `${alpha}: alarms.minInvocationsPerMinute is 0: is below 1. Fix: use 1 to 100000`,
  ],
  [
    'a p99 latency threshold below 10 ms',
    (i) => (service(i, 'alpha').alarms = { p99LatencyMs: 5 }),
    `${alpha}: alarms.p99LatencyMs is 5: is below 10 ms. Fix: use 10 ms or more, below the timeout`,
  ],
  [
    'a throttle threshold above 1000',
    (i) => (service(i, 'alpha').alarms = { maxThrottles: 5000 }),
    `${alpha}: alarms.maxThrottles is 5000: is above 1000. Fix: use 1 to 1000`,
  ],
  [
    'a p99 threshold not below the timeout',
    (i) =>
      Object.assign(service(i, 'alpha'), { timeoutSeconds: 1, alarms: { p99LatencyMs: 1500 } }),
    `${alpha}: alarms.p99LatencyMs is 1500 in stage "test", not below timeoutSeconds (1 s), so the alarm could never fire before the function times out. Fix: use a p99 threshold below 1000 ms, or a longer timeout`,
  ],
  [
    'a p99 threshold not below the timeout in one stage override',
    (i) => (service(i, 'alpha').stageOverrides = { live: { alarms: { p99LatencyMs: 5000 } } }),
    `${alpha}: stageOverrides.live.alarms.p99LatencyMs is 5000 in stage "live", not below timeoutSeconds (5 s), so the alarm could never fire before the function times out. Fix: use a p99 threshold below 5000 ms, or a longer timeout`,
  ],
  [
    'a quiet-canary choice that does not exist',
    (i) => (service(i, 'alpha').canary = { onQuiet: 'pass' }),
    `${alpha}: canary.onQuiet is "pass": is not a choice. Fix: use "fail" (a release whose real traffic cannot be judged fails) or "generate-traffic" (the post-traffic hook calls the new version with the synthetic checks until the verdict is conclusive)`,
  ],
  [
    'a retired minimum of canary invocations',
    (i) => (service(i, 'alpha').canary = { minInvocations: 50 }),
    `${alpha}: canary.minInvocations is 50: was replaced by the sample the release judge works out: from errorRatePercent, baselineErrorRatePercent (default a tenth of it), confidencePercent (default 99) and powerPercent (default 90) it knows how many calls a verdict needs, and npm run plan prints it. Fix: remove minInvocations`,
  ],
  [
    'a baseline comparison that is not a boolean (the retired margin form)',
    (i) => (service(i, 'alpha').canary = { compareToBaseline: { marginPercent: 2 } }),
    `${alpha}: canary.compareToBaseline is {"marginPercent":2}: must be true or false. The old version's measured rates raise the acceptable ones; the gap between baselineErrorRatePercent and errorRatePercent replaced marginPercent. Fix: write compareToBaseline: true (or false)`,
  ],
  [
    'a confidence below 80%',
    (i) => (service(i, 'alpha').canary = { confidencePercent: 50 }),
    `${alpha}: canary.confidencePercent is 50: is below 80: more than one healthy release in five could be rolled back. Fix: use 80 to 99.99`,
  ],
  [
    'a power above 99.9%',
    (i) => (service(i, 'alpha').canary = { powerPercent: 100 }),
    `${alpha}: canary.powerPercent is 100: is above 99.9. Fix: use 50 to 99.9`,
  ],
  [
    'a watch longer than the post-traffic hook can wait',
    (i) => (service(i, 'alpha').canary = { watchMinutes: 20 }),
    `${alpha}: canary.watchMinutes is 20: is above 13 minutes: the post-traffic hook must report within its 15-minute Lambda timeout. Fix: use 1 to 13, or a longer canary so that it has its sample before 100%`,
  ],
  [
    'a healthy error rate at the threshold',
    (i) => (service(i, 'alpha').canary = { baselineErrorRatePercent: 1 }),
    `${alpha}: canary.baselineErrorRatePercent is 1 in stage "test", not below alarms.errorRatePercent (1), so the judge could not tell a healthy release from one at the threshold. Fix: use a healthy error rate below 1, e.g. 0.1`,
  ],
  [
    'declared traffic that is not a positive number',
    (i) => (stage(i, 'live').services = [{ name: 'alpha', requestsPerMinute: 0 }, 'beta-two']),
    `${live}: services[0].requestsPerMinute is 0: is not above 0. Fix: write the calls a minute you expect, e.g. 50`,
  ],
  [
    'an alarm blocker wait of 0 minutes',
    (i) => (stage(i, 'live').blockWhileAlarming = { waitMinutes: 0 }),
    `${live}: blockWhileAlarming.waitMinutes is 0: is below 1. Fix: use 1 to 1440 minutes`,
  ],
  [
    'a misspelt field in a service definition',
    (i) => (service(i, 'alpha').memroyMb = 512),
    `${alpha}: unknown field "memroyMb". Fix: did you mean "memoryMb"? Correct the spelling, or remove the field`,
  ],
  [
    'stageOverrides naming a stage that does not exist',
    (i) => (service(i, 'beta-two').stageOverrides = { staging: { memoryMb: 512 } }),
    `${beta}: stageOverrides has "staging", which is not a stage. Fix: use one of "test", "live"`,
  ],
  [
    'an environment variable name with a hyphen',
    (i) => (service(i, 'beta-two').environment = { 'LOG-LEVEL': 'INFO' }),
    `${beta}: environment key is "LOG-LEVEL": is not a valid environment variable name. Fix: use letters, digits and underscores, starting with a letter`,
  ],
  [
    'an environment variable name reserved by Lambda',
    (i) => (service(i, 'beta-two').environment = { AWS_REGION: 'eu-west-1' }),
    `${beta}: environment key is "AWS_REGION": is reserved by Lambda (AWS_*). Fix: pick another name`,
  ],
  // Synthetic checks
  [
    'a misspelt field in a synthetic check, with a suggestion',
    (i) => setChecks(i, 'alpha', [{ name: 'answers', event: {}, expcet: { statusCode: 200 } }]),
    'Synthetic checks (services/alpha/synthetic.ts): checks[0] has unknown field "expcet". Fix: did you mean "expect"? Correct the spelling, or remove the field',
  ],
  [
    'an unknown field in what a check expects',
    (i) => setChecks(i, 'alpha', [{ name: 'answers', event: {}, expect: { status: 200 } }]),
    'Synthetic checks (services/alpha/synthetic.ts): checks[0].expect has unknown field "status". Fix: remove it; the known fields are statusCode, bodyFields, bodyContains, maxLatencyMs',
  ],
  [
    'two checks with the same name',
    (i) => {
      const check = { name: 'answers', event: {}, expect: {} };
      setChecks(i, 'beta-two', [check, check]);
    },
    'Synthetic checks (services/beta-two/synthetic.ts): the check name "answers" is used twice. Fix: give every check a unique name',
  ],
  [
    'a check whose event Lambda would not take as an invocation payload',
    (i) =>
      setChecks(i, 'alpha', [
        { name: 'small', event: {}, expect: {} },
        { name: 'big', event: { body: 'x'.repeat(MAX_CHECK_EVENT_BYTES) }, expect: {} },
      ]),
    `Synthetic checks (services/alpha/synthetic.ts): checks[1] ("big") has an event of ${MAX_CHECK_EVENT_BYTES + 11} bytes as JSON, more than the 6291456 bytes (6 MB) Lambda takes as the payload of a synchronous invocation. Fix: make the event smaller`,
  ],
  // Pipeline configuration
  [
    'a misspelt top-level field names the fix',
    (i) => {
      const c = config(i);
      c.pipelineNmae = c.pipelineName;
      delete c.pipelineName;
    },
    `${pipeline}: unknown field "pipelineNmae". Fix: did you mean "pipelineName"? Correct the spelling, or remove the field`,
  ],
  [
    'a missing field next to an unknown one that is not its misspelling',
    (i) => {
      const source = config(i).source as Json;
      delete source.branch;
      source.owner = 'me';
    },
    `${pipeline}: source.branch is missing: is required (a string). Fix: add it`,
  ],
  [
    'an unknown field with no likely spelling',
    (i) => ((config(i).source as Json).owner = 'me'),
    `${pipeline}: source has unknown field "owner". Fix: remove it; the known fields are connectionArn, repository, branch`,
  ],
  [
    'a pipeline name starting with a digit',
    (i) => (config(i).pipelineName = '1pipeline'),
    `${pipeline}: pipelineName is "1pipeline": is not a valid pipeline name. Fix: use letters, digits and hyphens, starting with a letter, at most 63 characters`,
  ],
  [
    'a malformed account id',
    (i) => (config(i).pipeline = { account: '1234', region: 'eu-west-1' }),
    `${pipeline}: pipeline.account is "1234": is not a 12-digit AWS account id. Fix: use the account id exactly as the console shows it, e.g. "123456789012"`,
  ],
  [
    'a region the CDK does not know, with a suggestion',
    (i) => (environments(i).live.region = 'us-east-9'),
    `${pipeline}: environments.live.region is "us-east-9": is not an AWS region the CDK knows. Fix: did you mean "us-east-1"? Otherwise use a region code such as "us-east-1" or "eu-west-2"`,
  ],
  [
    'a region that is nothing like one',
    (i) => (config(i).pipeline = { account: TOOLS_ACCOUNT, region: 'moon' }),
    `${pipeline}: pipeline.region is "moon": is not an AWS region the CDK knows. Fix: use a region code such as "us-east-1" or "eu-west-2"`,
  ],
  [
    'a misspelt region in pipeline.regions',
    (i) => ((config(i).pipeline as Json).regions = ['eu-west-1', 'eu-wst-2']),
    `${pipeline}: pipeline.regions[1] is "eu-wst-2": is not an AWS region the CDK knows. Fix: did you mean "eu-west-2"? Otherwise use a region code such as "us-east-1" or "eu-west-2"`,
  ],
  [
    'an environment name that breaks the name rule',
    (i) => (environments(i).Live = { account: LIVE_ACCOUNT, region: 'eu-west-1' }),
    `${pipeline}: environments key is "Live": is not a valid environment name. Fix: use lower-case letters, digits and single hyphens, starting with a letter, e.g. "prod-eu"`,
  ],
  [
    'a malformed connection ARN',
    (i) =>
      ((config(i).source as Json).connectionArn =
        'arn:aws:codestar:eu-west-1:111111111111:connection/abc'),
    `${pipeline}: source.connectionArn is "arn:aws:codestar:eu-west-1:111111111111:connection/abc": is not a CodeConnections connection ARN. Fix: copy the ARN from Developer Tools > Settings > Connections, e.g. "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-...."`,
  ],
  [
    'a repository without its owner',
    (i) => ((config(i).source as Json).repository = 'fixture-services'),
    `${pipeline}: source.repository is "fixture-services": is not an "owner/repo" name. Fix: write the repository as "owner/repo", e.g. "my-org/my-services"`,
  ],
  // VPC Lattice
  [
    'a malformed VPC id',
    (i) => (environments(i).live.lattice = { vpcIds: ['vpc-123'] }),
    `${pipeline}: environments.live.lattice.vpcIds[0] is "vpc-123": is not a VPC id. Fix: copy it from the VPC console: "vpc-" and 8 or 17 hexadecimal digits, e.g. "vpc-0a1b2c3d4e5f60718"`,
  ],
  [
    'a malformed account among the allowed principals',
    (i) => (environments(i).live.lattice = { allowedAccounts: ['12345'] }),
    `${pipeline}: environments.live.lattice.allowedAccounts[0] is "12345": is not a 12-digit AWS account id. Fix: use the account id exactly as the console shows it, e.g. "123456789012"`,
  ],
  [
    'a malformed organization id',
    (i) => (environments(i).live.lattice = { organizationId: 'o-abc' }),
    `${pipeline}: environments.live.lattice.organizationId is "o-abc": is not an AWS Organizations id. Fix: copy it from the Organizations console: "o-" and 10 to 32 lower-case letters or digits`,
  ],
  [
    'a malformed service network',
    (i) => (environments(i).live.lattice = { serviceNetwork: 'sn-123' }),
    `${pipeline}: environments.live.lattice.serviceNetwork is "sn-123": is not a VPC Lattice service network id or ARN. Fix: copy it from the VPC console, Lattice > Service networks: "sn-" and 17 characters, or its ARN "arn:aws:vpc-lattice:<region>:<account>:servicenetwork/sn-..."`,
  ],
  [
    'one service network named for two environments (once by id, once by ARN)',
    (i) => {
      environments(i).test.lattice = { serviceNetwork: SN };
      environments(i).live.lattice = { serviceNetwork: snArn('eu-west-1') };
    },
    `${pipeline}: environments.live.lattice.serviceNetwork is "${snArn('eu-west-1')}", the service network that environments.test.lattice.serviceNetwork names too. Fix: give each environment its own service network, or leave serviceNetwork out so that each stage creates one`,
  ],
  [
    'VPC ids for an existing service network',
    (i) => (environments(i).live.lattice = { serviceNetwork: SN, vpcIds: ['vpc-0123abcd'] }),
    `${pipeline}: environments.live.lattice.vpcIds is ["vpc-0123abcd"]: VPCs are associated only with a service network the stage creates, not with the existing one serviceNetwork names. Fix: associate the VPCs with that network where it is managed and remove vpcIds, or remove serviceNetwork`,
  ],
  [
    'a front door whose service network is in another region',
    (i) => {
      environments(i).live.lattice = { serviceNetwork: snArn('us-east-1') };
      service(i, 'alpha').lattice = true;
    },
    `${live}: services[0] is "alpha", which has a VPC Lattice front door here (lattice: true in services/alpha/service.ts), but environments.live.lattice.serviceNetwork in pipeline.config.ts is "${snArn('us-east-1')}", a network in us-east-1, while environment "live" is in eu-west-1: a service can only join a service network in its own region. Fix: name a service network in eu-west-1, or leave serviceNetwork out so that the stage creates one`,
  ],
  [
    'a front door (turned on in the stage entry) that no one may call',
    (i) => {
      environments(i).live.lattice = { allowedAccounts: [] };
      stage(i, 'live').services = [{ name: 'alpha', lattice: true }, 'beta-two'];
    },
    `${live}: services[0] is "alpha", which has a VPC Lattice front door here (lattice: true in services[0]), but environments.live.lattice in pipeline.config.ts lets no one call it: allowedAccounts is [] and organizationId is not set, so its auth policy would refuse every request. Fix: list the calling accounts in environments.live.lattice.allowedAccounts, or set environments.live.lattice.organizationId`,
  ],
  [
    'a front door (turned on in a stage override) whose name is not lower-case',
    (i) => {
      config(i).pipelineName = 'Fixture';
      service(i, 'beta-two').stageOverrides = { test: { lattice: true } };
    },
    `${test}: services[1] is "beta-two": its VPC Lattice service would be named "Fixture-test-beta-two", but Lattice names take only lower-case letters, digits and single hyphens. Fix: write pipelineName in lower case with single hyphens (pipeline.config.ts), or turn lattice off for "beta-two"`,
  ],
  // Derived names over their AWS limits
  [
    'a Lattice service name over 40 characters',
    (i) => addService(i, 'lattice-service-name-x', { lattice: true }),
    `${test}: services[2] is "lattice-service-name-x": its VPC Lattice service would be named "fixture-pipeline-test-lattice-service-name-x", 44 characters, over VPC Lattice's limit of 40 characters for service names. Fix: shorten the service name "lattice-service-name-x", the stage name "test" or pipelineName "fixture-pipeline" (pipeline.config.ts) by 4 characters or more between them`,
  ],
  [
    'a hook function name over 64 characters',
    (i) => {
      config(i).pipelineName = 'fixture-pipeline-with-long-name-xx';
      addService(i, 'payments-ledger');
    },
    `${test}: services[2] is "payments-ledger": its post-traffic hook function would be named "fixture-pipeline-with-long-name-xx-test-payments-ledger-post-hook", 65 characters, over Lambda's limit of 64 characters for function names. Fix: shorten the service name "payments-ledger", the stage name "test" or pipelineName "fixture-pipeline-with-long-name-xx" (pipeline.config.ts) by 1 character or more between them`,
  ],
  [
    'the role the bake reads alarms with over 64 characters (IAM names it with the region)',
    (i) => {
      config(i).pipelineName = `fixture-${'x'.repeat(32)}`;
      stage(i, 'test').bakeMinutes = 15;
    },
    `${test}: name is "test": its conditions role in eu-west-1 would be named "fixture-${'x'.repeat(32)}-test-conditions-eu-west-1", 66 characters, over IAM's limit of 64 characters for role names. Fix: shorten the stage name "test" or pipelineName "fixture-${'x'.repeat(32)}" (pipeline.config.ts) by 2 characters or more between them`,
  ],
  [
    "a deploy action name over 100 characters, in a wave of two environments (the monitoring stack's, which names the environment twice)",
    (i) => {
      config(i).pipelineName = `fixture-${'x'.repeat(30)}`;
      environments(i)['live-second-region-x'] = { account: LIVE_ACCOUNT, region: 'eu-west-2' };
      (config(i).pipeline as Json).regions = ['eu-west-2'];
      inWaves(i, [['live', 'live-second-region-x']]);
      stage(i, 'live').name = 'livelivelive';
      (i.services as LoadedService[]).splice(0, 2, fixtureService('a1'), fixtureService('b2'));
      for (const s of i.stages) (s.value as Json).services = ['a1', 'b2'];
    },
    `Stage entry "livelivelive" (stages/live.ts): name is "livelivelive": its monitoring deploy action in environment "live-second-region-x" would be named "livelivelive-live-second-region-x-monitoring.fixture-${'x'.repeat(30)}-livelivelive-Monitoring.Deploy", 114 characters, over CodePipeline's limit of 100 characters for action names (CDK Pipelines names the deploy action of a stack <stack name>.Deploy, and would shorten a longer one to a hash). Fix: shorten the stage name "livelivelive", pipelineName "fixture-${'x'.repeat(30)}" (pipeline.config.ts) or the environment name "live-second-region-x" by 14 characters or more between them`,
  ],
];
