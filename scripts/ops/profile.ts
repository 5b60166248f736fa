import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { closest } from '../../lib/config/describe-issue';
import { list } from './format';

/**
 * The AWS profile `AWS_PROFILE` names, checked offline against the files the AWS SDK reads it
 * from (`AWS_CONFIG_FILE`, default `~/.aws/config`: `[profile <name>]` and `[default]`;
 * `AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`: `[<name>]`). With AWS_PROFILE
 * set, the SDK's default chain looks nowhere else, so a name in neither file can only end in
 * "Could not load credentials": better said by name, before any client is made.
 */

/** Why `AWS_PROFILE` cannot work, or undefined when it is unset or names a known profile. */
export function profileProblem(
  env: Readonly<Record<string, string | undefined>>,
  home: string = os.homedir(),
): string | undefined {
  const profile = env.AWS_PROFILE?.trim();
  if (!profile) return undefined;
  const configFile = env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials');
  const known = [...new Set([...configProfiles(configFile), ...sections(credentialsFile)])].sort();
  if (known.includes(profile)) return undefined;
  const shown = (file: string) =>
    file.startsWith(home + path.sep)
      ? `~/${path.relative(home, file).split(path.sep).join('/')}`
      : file;
  const there = known.length
    ? `the profiles there are ${list(known)}`
    : `${fs.existsSync(configFile) || fs.existsSync(credentialsFile) ? 'they hold no profile' : 'neither file exists'}`;
  const guess = closest(profile, known);
  return `AWS profile "${profile}" (AWS_PROFILE) is not in ${shown(configFile)} or ${shown(credentialsFile)}: the AWS SDK finds no credentials for it (${there}). Fix: ${guess ? `did you mean "${guess}"? ` : ''}set AWS_PROFILE to a profile that exists, create this one (aws configure --profile ${profile}, or aws configure sso --profile ${profile}), or unset AWS_PROFILE to use the default credentials`;
}

/** The section names of an INI file; none when it cannot be read. */
function sections(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [...text.matchAll(/^[ \t]*\[([^\]\r\n]+)\][ \t]*$/gm)].map((m) => m[1].trim());
}

/** The profiles of a config file: `[default]` and `[profile <name>]`, not `[sso-session x]`. */
function configProfiles(file: string): string[] {
  return sections(file).flatMap((s) => {
    if (s === 'default') return ['default'];
    const named = /^profile\s+(.+)$/.exec(s);
    return named ? [named[1].trim()] : [];
  });
}
