/**
 * Turns CloudFormation values of a synthesized template into the strings they become on AWS, so
 * that IAM policies, Lambda permissions and function settings can be simulated with concrete
 * ARNs.
 *
 * What it resolves: literals, `Ref` and `Fn::GetAtt` of the resource types this app's policies
 * name (below), the pseudo parameters `AWS::Partition`, `AWS::Region`, `AWS::AccountId`,
 * `AWS::URLSuffix` and `AWS::StackName`, `Fn::Join`, `Fn::Sub` (with and without a variable
 * map), `Fn::Select` and `Fn::Split`.
 *
 * Its limits, all of which throw {@link UnresolvableError} naming the value:
 * - no `Fn::If`, `Fn::ImportValue`, `Fn::FindInMap` or template parameters (the app uses none in
 *   its policies);
 * - a name CloudFormation generates (a role, queue, bucket, key or CodeDeploy application without
 *   a physical name in the template) is stood in for by the resource's logical id (a role's by
 *   `<stack name>-<region>-<logical id>`, as IAM names are global to the account): unique and stable,
 *   which is all a policy check needs, but not the name AWS will choose;
 * - a published Lambda version's number is {@link VERSION_NUMBER} (AWS assigns it on deploy);
 * - `Fn::GetAtt` of a type or attribute not listed in {@link ATTRIBUTES}.
 */

/** The version number a `AWS::Lambda::Version` stands for. */
export const VERSION_NUMBER = '1';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface StackEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly stackName: string;
}

export class UnresolvableError extends Error {}

type Resolver = (res: TemplateResource, id: string, env: ResolvingStack) => string;

/** `Ref` of each type. */
const REFS: Record<string, Resolver> = {
  'AWS::Lambda::Function': (r, id, s) => prop(r, 'FunctionName', id, s),
  'AWS::Lambda::Version': (r, _id, s) =>
    `${lambdaArn(s, s.value(r.Properties?.FunctionName))}:${VERSION_NUMBER}`,
  'AWS::Lambda::Alias': (r, _id, s) =>
    `${lambdaArn(s, s.value(r.Properties?.FunctionName))}:${s.value(r.Properties?.Name)}`,
  'AWS::CodeDeploy::Application': (r, id, s) => prop(r, 'ApplicationName', id, s),
  'AWS::CodeDeploy::DeploymentGroup': (r, id, s) => prop(r, 'DeploymentGroupName', id, s),
  'AWS::CloudWatch::Alarm': (r, id, s) => prop(r, 'AlarmName', id, s),
  'AWS::CloudWatch::CompositeAlarm': (r, id, s) => prop(r, 'AlarmName', id, s),
  'AWS::Logs::LogGroup': (r, id, s) => prop(r, 'LogGroupName', id, s),
  'AWS::SQS::Queue': (r, id, s) =>
    `https://sqs.${s.env.region}.amazonaws.com/${s.env.account}/${prop(r, 'QueueName', id, s)}`,
  // IAM names are global to the account: a generated one carries its stack's name, as AWS's do.
  'AWS::IAM::Role': (r, id, s) =>
    prop(r, 'RoleName', `${s.env.stackName}-${s.env.region}-${id}`, s),
  'AWS::S3::Bucket': (r, id, s) => prop(r, 'BucketName', id.toLowerCase(), s),
  'AWS::KMS::Key': (_r, id) => id,
  'AWS::CodeBuild::Project': (r, id, s) => prop(r, 'Name', id, s),
  'AWS::CodePipeline::Pipeline': (r, id, s) => prop(r, 'Name', id, s),
  'AWS::SNS::Topic': (r, id, s) => arn(s, 'sns', prop(r, 'TopicName', id, s)),
  'AWS::Events::Rule': (r, id, s) => prop(r, 'Name', id, s),
  'AWS::VpcLattice::Service': (_r, id, s) => arn(s, 'vpc-lattice', `service/svc-${id}`),
};

/** `Fn::GetAtt` of each type, by attribute. */
export const ATTRIBUTES: Record<string, Record<string, Resolver>> = {
  'AWS::Lambda::Function': {
    Arn: (r, id, s) => lambdaArn(s, REFS['AWS::Lambda::Function'](r, id, s)),
  },
  'AWS::Lambda::Version': { Version: () => VERSION_NUMBER },
  'AWS::CloudWatch::Alarm': {
    Arn: (r, id, s) => arn(s, 'cloudwatch', `alarm:${REFS['AWS::CloudWatch::Alarm'](r, id, s)}`),
  },
  'AWS::CloudWatch::CompositeAlarm': {
    Arn: (r, id, s) =>
      arn(s, 'cloudwatch', `alarm:${REFS['AWS::CloudWatch::CompositeAlarm'](r, id, s)}`),
  },
  'AWS::Logs::LogGroup': {
    Arn: (r, id, s) => arn(s, 'logs', `log-group:${prop(r, 'LogGroupName', id, s)}:*`),
  },
  'AWS::SQS::Queue': {
    Arn: (r, id, s) => arn(s, 'sqs', prop(r, 'QueueName', id, s)),
    QueueName: (r, id, s) => prop(r, 'QueueName', id, s),
  },
  'AWS::IAM::Role': {
    Arn: (r, id, s) =>
      `arn:${s.env.partition}:iam::${s.env.account}:role/${REFS['AWS::IAM::Role'](r, id, s)}`,
  },
  'AWS::S3::Bucket': {
    Arn: (r, id, s) => `arn:${s.env.partition}:s3:::${REFS['AWS::S3::Bucket'](r, id, s)}`,
  },
  'AWS::KMS::Key': { Arn: (_r, id, s) => arn(s, 'kms', `key/${id}`) },
  'AWS::CodeBuild::Project': {
    Arn: (r, id, s) => arn(s, 'codebuild', `project/${prop(r, 'Name', id, s)}`),
  },
  'AWS::Events::Rule': {
    Arn: (r, id, s) => arn(s, 'events', `rule/${prop(r, 'Name', id, s)}`),
  },
  'AWS::VpcLattice::Service': {
    Arn: (_r, id, s) => arn(s, 'vpc-lattice', `service/svc-${id}`),
    Id: (_r, id) => `svc-${id}`,
  },
  'AWS::VpcLattice::TargetGroup': {
    Arn: (_r, id, s) => arn(s, 'vpc-lattice', `targetgroup/tg-${id}`),
  },
  'AWS::SNS::Topic': {
    TopicArn: (r, id, s) => REFS['AWS::SNS::Topic'](r, id, s),
  },
};

/** One template in its environment, whose values it resolves. */
export class ResolvingStack {
  constructor(
    readonly env: StackEnvironment,
    readonly resources: Readonly<Record<string, TemplateResource>>,
  ) {}

  /** The string a value becomes on AWS. @throws UnresolvableError */
  value(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const parts = this.list(value);
    if (parts.length !== 1) {
      throw new UnresolvableError(`${show(value)} is a list, not one value`);
    }
    return parts[0];
  }

  /** The strings a value (or list) becomes. @throws UnresolvableError */
  list(value: unknown): string[] {
    if (Array.isArray(value)) return value.flatMap((v) => this.list(v));
    if (typeof value !== 'object' || value === null) return [this.scalar(value)];
    const entries = Object.entries(value);
    if (entries.length !== 1) throw new UnresolvableError(`${show(value)} is not an intrinsic`);
    const [fn, arg] = entries[0];
    switch (fn) {
      case 'Ref':
        return [this.ref(String(arg))];
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return [this.getAtt(String(id), String(attribute))];
      }
      case 'Fn::Join': {
        const [sep, items] = arg as [string, unknown[]];
        return [items.map((i) => this.value(i)).join(sep)];
      }
      case 'Fn::Sub':
        return [this.sub(arg)];
      case 'Fn::Select': {
        const [index, items] = arg as [unknown, unknown];
        const all = this.list(items);
        const i = Number(this.value(index));
        if (!(i >= 0 && i < all.length)) {
          throw new UnresolvableError(`Fn::Select index ${i} outside ${show(all)}`);
        }
        return [all[i]];
      }
      case 'Fn::Split': {
        const [sep, source] = arg as [string, unknown];
        return this.value(source).split(sep);
      }
      default:
        throw new UnresolvableError(`${fn} is not resolved by the IAM check (${show(value)})`);
    }
  }

  /** The resource with `id`. @throws UnresolvableError */
  resource(id: string): TemplateResource {
    const resource = this.resources[id];
    if (!resource) throw new UnresolvableError(`no resource ${id} in ${this.env.stackName}`);
    return resource;
  }

  private scalar(value: unknown): string {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
    throw new UnresolvableError(`cannot resolve ${show(value)}`);
  }

  private ref(id: string): string {
    switch (id) {
      case 'AWS::Partition':
        return this.env.partition;
      case 'AWS::Region':
        return this.env.region;
      case 'AWS::AccountId':
        return this.env.account;
      case 'AWS::URLSuffix':
        return this.env.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackName':
        return this.env.stackName;
    }
    const resource = this.resource(id);
    const resolver = REFS[resource.Type];
    if (!resolver) {
      throw new UnresolvableError(
        `Ref of ${resource.Type} (${id}) is not resolved by the IAM check`,
      );
    }
    return resolver(resource, id, this);
  }

  private getAtt(id: string, attribute: string): string {
    const resource = this.resource(id);
    const resolver = ATTRIBUTES[resource.Type]?.[attribute];
    if (!resolver) {
      throw new UnresolvableError(
        `Fn::GetAtt ${id}.${attribute} (${resource.Type}) is not resolved by the IAM check`,
      );
    }
    return resolver(resource, id, this);
  }

  private sub(arg: unknown): string {
    const [text, vars] = Array.isArray(arg)
      ? (arg as [string, Record<string, unknown>])
      : [String(arg), {}];
    return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      if (name in vars) return this.value(vars[name]);
      const dot = name.indexOf('.');
      return dot > 0 ? this.getAtt(name.slice(0, dot), name.slice(dot + 1)) : this.ref(name);
    });
  }
}

function prop(r: TemplateResource, key: string, fallback: string, s: ResolvingStack): string {
  const v = r.Properties?.[key];
  return v === undefined ? fallback : s.value(v);
}

function arn(s: ResolvingStack, service: string, resource: string): string {
  return `arn:${s.env.partition}:${service}:${s.env.region}:${s.env.account}:${resource}`;
}

/** The unqualified ARN of a function given by name or ARN. */
export function lambdaArn(s: ResolvingStack, nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : arn(s, 'lambda', `function:${nameOrArn}`);
}

function show(value: unknown): string {
  return JSON.stringify(value).slice(0, 200);
}
