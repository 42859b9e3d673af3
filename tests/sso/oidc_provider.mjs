// An OpenID Connect provider for the single sign-on tests: the OpenID-certified npm package
// oidc-provider with its development login form (any password is accepted for a known login
// name). Usage: node tests/sso/oidc_provider.mjs PORT CONFIG.json, where the JSON holds
// {"client": {"client_id", "client_secret", "redirect_uris"}, "accounts": {"login": {claims}}}.
// Prints "ready" once it listens on 127.0.0.1:PORT.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const [port, configPath] = process.argv.slice(2);
const { client, accounts } = JSON.parse(readFileSync(configPath, 'utf8'));

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      ...client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  // The employee number travels with the profile, as an HR-fed directory would send it.
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'employee_number'],
  },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['vaardig-test-only-cookie-key'] },
});
provider.proxy = false;

provider.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
