// Child process for the cross-process refresh test: waits for a go file, then calls Fortnox through a FileTokenStore-backed client.
import { access } from 'node:fs/promises';
import { FileTokenStore, FortnoxClient } from '../../activities/fortnox';

const [url, dir, tenantKey, clientId, clientSecret, goFile] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const client = new FortnoxClient({
  apiBaseUrl: url,
  authBaseUrl: url,
  tenantKey,
  auth: { mode: 'refresh_token', clientId, clientSecret },
  tokenStore: new FileTokenStore(dir, { pollMs: 2 }),
});

process.stdout.write('ready\n');
for (;;) {
  try {
    await access(goFile);
    break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
try {
  await Promise.all([client.getCompanyInformation(), client.getCompanyInformation()]);
  process.stdout.write('ok\n');
} catch (err) {
  process.stdout.write(`failed ${(err as Error).message}\n`);
  process.exitCode = 1;
}
