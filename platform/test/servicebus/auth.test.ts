import { ClaimSet, toClaimPath } from '../../src/servicebus/auth/claims';
import { createSasToken, parseSasToken, verifySasToken } from '../../src/servicebus/auth/sasToken';
import { UnauthorizedError } from '../../src/servicebus/errors';

const keys = { RootManageSharedAccessKey: 'SAS_KEY_VALUE' };
const audience = 'sb://localhost:5672/orders';
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('SAS tokens', () => {
  it('verifySasToken accepts a token signed with a configured key', () => {
    const token = parseSasToken(
      createSasToken(audience, 'RootManageSharedAccessKey', 'SAS_KEY_VALUE', inAnHour()),
      audience,
    );
    expect(token.resource).toBe(audience);
    expect(() => verifySasToken(token, keys, audience)).not.toThrow();
  });

  it('verifySasToken refuses a wrong key, an unknown key name and an expired token', () => {
    const wrong = parseSasToken(createSasToken(audience, 'RootManageSharedAccessKey', 'other', inAnHour()), audience);
    expect(() => verifySasToken(wrong, keys, audience)).toThrow(/signature does not match/);
    const unknown = parseSasToken(createSasToken(audience, 'Someone', 'SAS_KEY_VALUE', inAnHour()), audience);
    expect(() => verifySasToken(unknown, keys, audience)).toThrow(/unknown shared access key name 'Someone'/);
    const expired = parseSasToken(
      createSasToken(audience, 'RootManageSharedAccessKey', 'SAS_KEY_VALUE', 1000),
      audience,
    );
    expect(() => verifySasToken(expired, keys, audience)).toThrow(UnauthorizedError);
  });

  it('parseSasToken refuses text that is not a SAS token', () => {
    expect(() => parseSasToken('Bearer abc', audience)).toThrow(/SharedAccessSignature/);
    expect(() => parseSasToken('SharedAccessSignature sr=x', audience)).toThrow(/sr, sig, se and skn/);
  });
});

describe('claims', () => {
  it('a token for an entity covers its sub-paths, and a namespace token covers everything', () => {
    const claims = new ClaimSet();
    claims.grant('sb://localhost:5672/Orders', Date.now() + 60_000);
    expect(claims.covers('orders', Date.now())).toBe(true);
    expect(claims.covers('orders/$management', Date.now())).toBe(true);
    expect(claims.covers('orders-high', Date.now())).toBe(false);
    claims.grant('sb://localhost:5672/', Date.now() + 60_000);
    expect(claims.covers('anything', Date.now())).toBe(true);
  });

  it('an expired grant covers nothing', () => {
    const claims = new ClaimSet();
    claims.grant('sb://localhost/q', Date.now() - 1);
    expect(claims.covers('q', Date.now())).toBe(false);
  });

  it('toClaimPath drops scheme, host and port, and lower-cases', () => {
    expect(toClaimPath('sb://localhost:5672/T/Subscriptions/S/')).toBe('t/subscriptions/s');
  });
});
