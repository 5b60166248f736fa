import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { profileProblem } from '../../../scripts/ops/profile';

/** A home folder of the test's own, with these files under `.aws/`. */
function home(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-home-'));
  fs.mkdirSync(path.join(dir, '.aws'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, '.aws', name), text);
  }
  return dir;
}

const config = `[default]
region = eu-west-1

[profile prod-admin]
sso_session = corp

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
`;
const credentials = '[ci]\naws_access_key_id = AKIDEXAMPLE\n';

test('a profile of either file, or no AWS_PROFILE at all, is fine', () => {
  const dir = home({ config, credentials });
  for (const AWS_PROFILE of ['default', 'prod-admin', 'ci', undefined, '']) {
    expect(profileProblem({ AWS_PROFILE }, dir)).toBeUndefined();
  }
});

test('a profile in neither file: the files as ~/..., the profiles there, the likely one', () => {
  const dir = home({ config, credentials });
  expect(profileProblem({ AWS_PROFILE: 'prod-admn' }, dir)).toBe(
    'AWS profile "prod-admn" (AWS_PROFILE) is not in ~/.aws/config or ~/.aws/credentials: the AWS SDK finds no credentials for it (the profiles there are ci, default and prod-admin). Fix: did you mean "prod-admin"? set AWS_PROFILE to a profile that exists, create this one (aws configure --profile prod-admn, or aws configure sso --profile prod-admn), or unset AWS_PROFILE to use the default credentials',
  );
  // An SSO session is not a profile.
  expect(profileProblem({ AWS_PROFILE: 'corp' }, dir)).toMatch(
    /^AWS profile "corp" \(AWS_PROFILE\) is not in/,
  );
});

test('the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name, and no file at all', () => {
  const dir = home({});
  const other = path.join(dir, 'elsewhere');
  fs.writeFileSync(other, '[profile team]\n');
  expect(profileProblem({ AWS_PROFILE: 'team', AWS_CONFIG_FILE: other }, dir)).toBeUndefined();
  expect(profileProblem({ AWS_PROFILE: 'x' }, dir)).toBe(
    'AWS profile "x" (AWS_PROFILE) is not in ~/.aws/config or ~/.aws/credentials: the AWS SDK finds no credentials for it (neither file exists). Fix: set AWS_PROFILE to a profile that exists, create this one (aws configure --profile x, or aws configure sso --profile x), or unset AWS_PROFILE to use the default credentials',
  );
});
