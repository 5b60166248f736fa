import { NodeSha256 } from '../../../runtime/synthetic/node-sha256';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const RFC4231_CASE_2 = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

describe('NodeSha256', () => {
  it('hashes text and bytes fed in parts (FIPS 180-2 "abc")', async () => {
    const hash = new NodeSha256();
    hash.update('a');
    hash.update(new TextEncoder().encode('b'));
    hash.update(new Uint8Array([0x00, 0x63, 0x00]).subarray(1, 2)); // a view into a larger buffer
    expect(hex(await hash.digest())).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it.each([
    ['text', 'Jefe'],
    ['an ArrayBuffer', new TextEncoder().encode('Jefe').buffer],
  ])('is an HMAC when given a secret as %s (RFC 4231 test case 2)', async (_kind, secret) => {
    const hmac = new NodeSha256(secret);
    hmac.update('what do ya want for nothing?');
    expect(hex(await hmac.digest())).toBe(RFC4231_CASE_2);
  });
});
