/**
 * Reading synthesized CloudFormation templates the way the deploy-time checks need: the logical
 * ids a value refers to, and a value's text with its intrinsic functions replaced by stand-ins
 * of a realistic length (what CloudFormation will substitute is not known at synth).
 */

/** A CloudFormation template as JSON. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, unknown>;
  readonly Parameters?: Record<string, unknown>;
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly UpdatePolicy?: unknown;
  readonly CreationPolicy?: unknown;
  readonly Metadata?: unknown;
}

/** How long an ARN or name CloudFormation substitutes for a `Ref`/`GetAtt` may be, at most. */
export const REFERENCE_LENGTH = 128;

/** `${Name}` and `${Name.Attr}` in an `Fn::Sub` string, but not `${!Literal}`. */
const SUB_VARIABLE = /\$\{(?!!)([A-Za-z0-9_]+)(\.[A-Za-z0-9_.]+)?\}/g;

/**
 * The logical ids `value` refers to with `Ref`, `Fn::GetAtt` or `Fn::Sub`, among `known`
 * (parameters and pseudo parameters such as `AWS::Region` are not resources).
 */
export function referencesIn(value: unknown, known: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const [key, inner] of Object.entries(v)) {
      if (key === 'Ref' && typeof inner === 'string' && known.has(inner)) found.add(inner);
      else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(inner) ? inner[0] : String(inner).split('.')[0];
        if (typeof target === 'string' && known.has(target)) found.add(target);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        const vars = Array.isArray(inner) && inner[1] ? Object.keys(inner[1]) : [];
        if (typeof text === 'string') {
          for (const m of text.matchAll(SUB_VARIABLE)) {
            if (known.has(m[1]) && !vars.includes(m[1])) found.add(m[1]);
          }
        }
        if (Array.isArray(inner) && inner[1]) visit(inner[1]);
        continue;
      }
      visit(inner);
    }
  };
  visit(value);
  return found;
}

/**
 * The text a value will have once CloudFormation resolves it, with every reference replaced by
 * a stand-in of REFERENCE_LENGTH characters (letters only, so it is safe inside JSON strings).
 * Non-string values are rendered as JSON.
 */
export function renderText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [key, inner] = entries[0];
      if (key === 'Ref' || key === 'Fn::GetAtt' || key === 'Fn::ImportValue') return standIn();
      if (key === 'Fn::Join' && Array.isArray(inner)) {
        const [separator, parts] = inner as [string, unknown[]];
        return Array.isArray(parts) ? parts.map(renderText).join(separator) : standIn();
      }
      if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        return typeof text === 'string' ? text.replace(SUB_VARIABLE, standIn()) : standIn();
      }
      if (key.startsWith('Fn::')) return standIn();
    }
  }
  return JSON.stringify(value);
}

function standIn(): string {
  return 'x'.repeat(REFERENCE_LENGTH);
}
