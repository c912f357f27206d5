// `node hash-password.mjs <password>` prints the "scrypt:<salt>:<hash>" value accounts.json stores.
import { randomBytes, scryptSync } from 'node:crypto';

const salt = randomBytes(16).toString('base64url');
const hash = scryptSync(process.argv[2] ?? '', salt, 32).toString('base64url');
console.log(`scrypt:${salt}:${hash}`);
