// A real OpenID Connect provider (the `oidc-provider` package) for Waypoint's single-sign-on tests.
// It is never deployed. The tests start it on 127.0.0.1 (tests/access/oidc_fixture.py) and sign in
// through it as a hospital's or a patient service's provider would let them.
//
//   node server.mjs PORT
//
// The environment names files the test wrote:
//   OIDC_TEST_SIGNING_KEYS     the provider's private signing keys (a JWKS); restarting with a new
//                              file is how the tests rotate keys
//   OIDC_TEST_PATIENT_JWKS     the public keys of Waypoint's patient client (private_key_jwt)
//   OIDC_TEST_STAFF_SECRET     the staff client's secret (client_secret_basic)
//
// Besides the provider's own endpoints, three routes exist only for the tests:
//   GET/POST /interaction/:uid   a plain sign-in page ("Sign in as", Continue or Cancel); consent
//                                is given without asking, as an organisation's provider does
//   PUT /__test__/accounts       the people the provider knows: {"sub": {claims...}, ...}
//   PUT /__test__/misbehaviour   makes the provider issue an ID token it should not, so the
//                                tests can show Waypoint refusing it: {"id_token_audience": "x"}
//                                signs ID tokens for another audience; {} behaves again

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.argv[2] || process.env.OIDC_TEST_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs PORT (or OIDC_TEST_PORT)');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

function readJson(variable) {
  const path = process.env[variable];
  if (!path) {
    console.error(`${variable} must name a JSON file`);
    process.exit(2);
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

const signingKeys = readJson('OIDC_TEST_SIGNING_KEYS');
const patientJwks = readJson('OIDC_TEST_PATIENT_JWKS');
const staffSecret = process.env.OIDC_TEST_STAFF_SECRET;
if (!staffSecret) {
  console.error('OIDC_TEST_STAFF_SECRET must be set');
  process.exit(2);
}

let accounts = {};
let misbehaviour = {};

// Waypoint under test runs on 127.0.0.1 at a port chosen by the test run. A "native" client may
// use any port on a loopback address (RFC 8252 section 7.3), so one registration covers them all.
const loopbackClient = {
  application_type: 'native',
  grant_types: ['authorization_code'],
  response_types: ['code'],
};

const configuration = {
  clients: [
    {
      ...loopbackClient,
      client_id: 'waypoint-staff',
      client_secret: staffSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: ['http://127.0.0.1/sso/staff/callback'],
    },
    {
      ...loopbackClient,
      client_id: 'waypoint-patient',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS512',
      jwks: patientJwks,
      redirect_uris: ['http://127.0.0.1/sso/patient/callback'],
    },
  ],
  jwks: signingKeys,
  cookies: { keys: ['a test provider, never deployed'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  enabledJWA: {
    clientAuthSigningAlgValues: ['RS256', 'RS512', 'PS256', 'ES256'],
    idTokenSigningAlgValues: ['RS256'],
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'birthdate', 'nhs_number', 'identity_proofing_level'],
    staff: ['staff_id'],
  },
  scopes: ['openid', 'email', 'profile', 'staff'],
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    // Short, so a test can move Waypoint's clock past it (and its leeway) without the sign-in
    // attempt itself having expired.
    IdToken: 300,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, ...(accounts[sub] || {}) };
      },
    };
  },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (ctx, error) => console.error('server_error', error));

// The misbehaviour: an ID token whose audience is someone else. The provider still signs it with
// its real keys, so only Waypoint's audience check stands between it and a sign-in.
const issue = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = async function issueMaybeMisbehaving(options) {
  if (options?.use === 'idtoken' && misbehaviour.id_token_audience) {
    const client = this.client;
    const audience = misbehaviour.id_token_audience;
    this.client = new Proxy(client, {
      get: (target, property) => (property === 'clientId' ? audience : Reflect.get(target, property, target)),
    });
  }
  return issue.call(this, options);
};

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, type, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.end(body);
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, 'text/plain', 'interaction mismatch');
    return;
  }
  const { prompt, params, session } = details;
  if (req.method === 'POST' && prompt.name === 'login') {
    const form = new URLSearchParams(await readBody(req));
    if (form.get('cancel')) {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'The person chose not to sign in',
      }, { mergeWithLastSubmission: false });
      return;
    }
    const login = form.get('login') || '';
    if (!login) {
      send(res, 400, 'text/plain', 'login is required');
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, {
      mergeWithLastSubmission: false,
    });
    return;
  }
  if (prompt.name === 'consent') {
    const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, {
      mergeWithLastSubmission: true,
    });
    return;
  }
  send(res, 200, 'text/html; charset=utf-8', `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main>
<h1>Test identity provider</h1>
<p>Signing in to ${escapeHtml(params.client_id)}.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="login">Sign in as</label>
<input id="login" name="login" autocomplete="off" required>
<button type="submit">Continue</button>
<button type="submit" name="cancel" value="1" formnovalidate>Cancel</button>
</form>
</main></body></html>`);
}

async function testRoute(req, res, name) {
  if (req.method !== 'PUT') {
    send(res, 405, 'text/plain', 'PUT only');
    return;
  }
  const body = JSON.parse((await readBody(req)) || '{}');
  if (name === 'accounts') accounts = body;
  else if (name === 'misbehaviour') misbehaviour = body;
  else {
    send(res, 404, 'text/plain', 'no such test route');
    return;
  }
  send(res, 204, 'text/plain', '');
}

const handleProvider = provider.callback();
const server = createServer(async (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  try {
    const interactionMatch = path.match(/^\/interaction\/([^/]+)$/);
    if (interactionMatch) {
      await interaction(req, res, interactionMatch[1]);
      return;
    }
    const testMatch = path.match(/^\/__test__\/([a-z]+)$/);
    if (testMatch) {
      await testRoute(req, res, testMatch[1]);
      return;
    }
  } catch (error) {
    console.error(error);
    send(res, 500, 'text/plain', String(error));
    return;
  }
  handleProvider(req, res);
});

server.listen(port, '127.0.0.1', () => console.log(`test OpenID provider at ${issuer}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
