// The development OpenID Connect provider: panva's oidc-provider (OpenID Certified) configured to
// stand in for GOV.UK One Login (citizens, with identity claims) and staff single sign-on (roles).
// Run by devstack: `node server.mjs <config.json>`. The config file (written by devstack) names
// the issuer, port, keys file, account files, clients and resource servers; nothing here is a
// token issuer of our own: every token is minted by oidc-provider.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';

import * as jose from 'jose';
import Provider, { errors } from 'oidc-provider';

import { escapeHtml, loginPage, logoutPage } from './pages.mjs';

const CORE_IDENTITY = 'https://vocab.account.gov.uk/v1/coreIdentityJWT';
const SOCIAL_SECURITY = 'https://vocab.account.gov.uk/v1/socialSecurityRecord';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const keys = await loadOrCreateKeys(config.keys_file);
const accounts = loadAccounts(config.accounts_files);
const resources = config.resources; // { "urn:carebenefit:api:payments": ["payments:read", ...] }
const SERVICE_TOKEN_SECONDS = config.service_token_seconds ?? 300;
const exchangeExtras = new WeakMap(); // AccessToken -> claims added by the token exchange

async function loadOrCreateKeys(path) {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  const made = {};
  for (const [name, alg] of [['tokens', 'RS256'], ['identity', 'ES256']]) {
    const { privateKey } = await jose.generateKeyPair(alg, { extractable: true });
    const jwk = await jose.exportJWK(privateKey);
    made[name] = { ...jwk, alg, use: 'sig', kid: await jose.calculateJwkThumbprint(jwk) };
  }
  writeFileSync(path, JSON.stringify(made), { mode: 0o600 });
  chmodSync(path, 0o600);
  return made;
}

function loadAccounts(paths) {
  const bySub = new Map();
  for (const path of paths) {
    for (const account of JSON.parse(readFileSync(path, 'utf8')).accounts) {
      bySub.set(account.sub, account);
    }
  }
  return bySub;
}

function findByUsername(username) {
  const wanted = String(username || '').trim().toLowerCase();
  return [...accounts.values()].find((a) => a.username.toLowerCase() === wanted);
}

// Stored as "scrypt:<salt>:<hash>" (base64url); made by `node hash-password.mjs <password>`.
function passwordMatches(account, password) {
  const [scheme, salt, expected] = account.password_hash.split(':');
  if (scheme !== 'scrypt') return false;
  const actual = scryptSync(String(password || ''), salt, 32);
  return timingSafeEqual(actual, Buffer.from(expected, 'base64url'));
}

// The core identity claim, shaped and signed as GOV.UK One Login's identity service does: an
// ES256 JWT whose key is published in a DID document (/.well-known/did.json here).
async function coreIdentityJwt(account, clientId) {
  const { identity } = account;
  const key = await jose.importJWK(keys.identity, 'ES256');
  return new jose.SignJWT({
    vot: 'P2',
    vtm: `${config.issuer}/trustmark`,
    vc: {
      type: ['VerifiableCredential', 'IdentityCheckCredential'],
      credentialSubject: {
        name: [{ nameParts: [
          { type: 'GivenName', value: identity.given_name },
          { type: 'FamilyName', value: identity.family_name },
        ] }],
        birthDate: [{ value: identity.birth_date }],
      },
    },
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: `${didId()}#${keys.identity.kid}` })
    .setIssuer(identityIssuer())
    .setSubject(account.sub)
    .setAudience(clientId)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime('30m')
    .setJti(randomUUID())
    .sign(key);
}

function identityIssuer() {
  return `${config.issuer}/identity`;
}

function didId() {
  return `did:web:${encodeURIComponent(new URL(config.issuer).host)}`;
}

function didDocument() {
  const { d, ...publicJwk } = keys.identity;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
    id: didId(),
    assertionMethod: [{
      type: 'JsonWebKey',
      id: `${didId()}#${keys.identity.kid}`,
      controller: didId(),
      publicKeyJwk: publicJwk,
    }],
  };
}

async function findAccount(ctx, sub) {
  const account = accounts.get(sub);
  if (!account) return undefined;
  return {
    accountId: sub,
    async claims(use, scope, claims) {
      const out = { sub, email: account.email, email_verified: true };
      if (account.roles) out.roles = account.roles;
      if (account.name) out.name = account.name;
      if (account.identity && use === 'userinfo') {
        if (claims?.[CORE_IDENTITY] !== undefined) {
          out[CORE_IDENTITY] = await coreIdentityJwt(account, ctx.oidc.client.clientId);
        }
        if (claims?.[SOCIAL_SECURITY] !== undefined) {
          out[SOCIAL_SECURITY] = [{ personalNumber: account.identity.nino }];
        }
      }
      return out;
    },
  };
}

function resourceServerInfo(ctx, indicator) {
  const scopes = resources[indicator];
  if (!scopes) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
  return {
    scope: scopes.join(' '),
    audience: indicator,
    accessTokenTTL: SERVICE_TOKEN_SECONDS,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };
}

// Claims every JWT access token carries besides iss/sub/aud/exp/iat/jti/client_id/scope.
async function extraTokenClaims(ctx, token) {
  const account = token.accountId ? accounts.get(token.accountId) : undefined;
  return {
    ...(account?.roles ? { roles: account.roles } : {}),
    ...exchangeExtras.get(token),
  };
}

// RFC 8693: the portal exchanges a signed-in user's access token (issued to the portal by this
// provider) for a short-lived JWT for one service's audience. The token keeps the user as `sub`,
// their roles from this provider, names the portal in `act`, and may carry the person id the
// portal linked the identity to (only for a citizen: an account with identity claims), or of a
// person who authorised them to act for them (with `authority_id`).
async function tokenExchange(ctx) {
  const { client, params } = ctx.oidc;
  const { AccessToken } = ctx.oidc.provider;
  if (params.subject_token_type !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest('subject_token_type must be an access token');
  }
  const subject = await AccessToken.find(params.subject_token);
  if (!subject || subject.isExpired || subject.clientId !== client.clientId) {
    throw new errors.InvalidGrant('subject token is not valid for this client');
  }
  const account = accounts.get(subject.accountId);
  if (!account) throw new errors.InvalidGrant('subject token has no account');
  if (!params.resource) throw new errors.InvalidTarget('resource is required');
  const info = resourceServerInfo(ctx, params.resource);
  const token = new AccessToken({
    accountId: subject.accountId,
    client,
    grantId: subject.grantId,
    gty: 'token_exchange',
    sessionUid: subject.sessionUid,
  });
  token.resourceServer = new ctx.oidc.provider.ResourceServer(params.resource, info);
  // no scope the resource does not define, nor one the client was not registered for
  const registered = new Set((client.scope || '').split(' '));
  const allowed = new Set(info.scope.split(' ').filter((s) => registered.has(s)));
  const requested = (params.scope || info.scope).split(' ').filter((s) => allowed.has(s));
  token.scope = requested.join(' ') || undefined;
  const extras = { act: { sub: client.clientId } };
  if (params.person_id) {
    if (!account.identity) throw new errors.InvalidRequest('person_id only for a citizen');
    extras.person_id = String(params.person_id);
  }
  // Acting for someone who authorised the user (the portal keeps the authorities): the token's
  // `sub` stays the user acting, `person_id` is the person acted for, `authority_id` says why.
  if (params.authority_id) {
    if (!params.person_id) throw new errors.InvalidRequest('authority_id needs a person_id');
    extras.authority_id = String(params.authority_id);
  }
  exchangeExtras.set(token, extras);
  ctx.oidc.entity('AccessToken', token);
  ctx.body = {
    access_token: await token.save(),
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: 'Bearer',
    expires_in: token.expiration,
    scope: token.scope,
  };
}

// Signing out of the portal ends this provider's session too (no confirmation question).
async function logoutSource(ctx, form) {
  ctx.type = 'html';
  ctx.body = logoutPage(form);
}

function clients() {
  return config.clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: c.scope,
  }));
}

const provider = new Provider(config.issuer, {
  clients: clients(),
  jwks: { keys: [keys.tokens] },
  responseTypes: ['code'],
  findAccount,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    roles: ['roles'],
    [CORE_IDENTITY]: null,
    [SOCIAL_SECURITY]: null,
  },
  scopes: ['openid', 'email', 'profile', 'roles', ...Object.values(resources).flat()],
  cookies: { keys: config.cookie_keys },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    clientCredentials: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true, logoutSource },
    registration: { enabled: true, initialAccessToken: config.registration_token },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => false,
      getResourceServerInfo: resourceServerInfo,
    },
  },
  extraTokenClaims,
  enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256'] },
  clientAuthMethods: ['private_key_jwt', 'client_secret_basic'],
  ttl: {
    // The portal holds a user's access token server-side only, to exchange it for service
    // tokens; it lives as long as the portal's absolute session timeout and is revoked at sign-out.
    AccessToken: (ctx, token) => token.resourceServer?.accessTokenTTL ?? 12 * 3600,
    ClientCredentials: () => SERVICE_TOKEN_SECONDS,
    AuthorizationCode: () => 60,
    IdToken: () => 3600,
    Interaction: () => 30 * 60,
    Session: () => 12 * 3600,
    Grant: () => 12 * 3600,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: (ctx, out) => {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Sign-in error</title><h1>Sign-in error</h1>`
      + `<p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description || '')}</p>`;
  },
});
provider.proxy = false;
provider.registerGrantType(
  TOKEN_EXCHANGE,
  tokenExchange,
  ['subject_token', 'subject_token_type', 'resource', 'scope', 'person_id', 'authority_id'],
);

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// First-party clients only: consent is granted without asking (as One Login does for services).
async function grantConsent(ctx, details) {
  const { Grant } = provider;
  const grant = details.grantId
    ? await Grant.find(details.grantId)
    : new Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  const missing = details.prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

async function interaction(ctx, uid, action) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== uid) throw new errors.InvalidRequest('interaction mismatch');
  let result;
  if (details.prompt.name === 'login') {
    if (ctx.method !== 'POST' || action !== 'login') {
      ctx.type = 'html';
      ctx.body = loginPage({ uid });
      return;
    }
    const form = await readForm(ctx.req);
    const account = findByUsername(form.get('username'));
    if (!account || !passwordMatches(account, form.get('password'))) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = loginPage({ uid, username: form.get('username'), failed: true });
      return;
    }
    result = { login: { accountId: account.sub } };
  } else if (details.prompt.name === 'consent') {
    result = { consent: { grantId: await grantConsent(ctx, details) } };
  } else {
    throw new errors.InvalidRequest(`unexpected prompt ${details.prompt.name}`);
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: false,
  });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)(?:\/(login))?$/);
  if (match) {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Frame-Options', 'DENY');
    await interaction(ctx, match[1], match[2]);
    return;
  }
  if (ctx.path === '/.well-known/did.json') {
    ctx.body = didDocument();
    return;
  }
  if (ctx.path === '/health') {
    ctx.body = { status: 'ok' };
    return;
  }
  await next();
});

const server = provider.listen(config.port, config.host || '127.0.0.1', () => {
  console.log(`oidc provider ${config.issuer} listening (pid ${process.pid})`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
