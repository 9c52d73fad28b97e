import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { storedWebhookSecretSchema } from '#shared/github/webhook-secrets.ts';
import { appSecretValue, dashboardSecretValue, registrationUrl } from './app-registration.ts';

/**
 * `npm run app:configure`: registers the GitHub App for a deployed stack
 * and hands the deployed functions its credentials. Two steps, with the
 * stack's outputs and AWS credentials in the environment:
 *
 *   npm run app:configure -- --webhook-url <WebhookUrl> --webhook-secret <WebhookSecretArn> [--org <organisation>]
 *     prints the link to GitHub's pre-filled registration page, and the webhook secret to enter there;
 *   npm run app:configure -- --app-secret <GitHubAppSecretArn> --app-id <id> --private-key <file.pem>
 *     stores the App id and the private key GitHub generated;
 *   npm run app:configure -- --dashboard-secret <DashboardSecretArn> --client-id <Iv1...> --client-secret <secret>
 *     stores the App's OAuth client, which signs people in to the dashboard.
 */
const { values } = parseArgs({
  options: {
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string' },
    org: { type: 'string' },
    'github-url': { type: 'string', default: 'https://github.com' },
    'app-secret': { type: 'string' },
    'app-id': { type: 'string' },
    'private-key': { type: 'string' },
    'dashboard-url': { type: 'string' },
    'dashboard-secret': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
  },
});
const secrets = new SecretsManagerClient({});

if (values['webhook-url'] && values['webhook-secret']) {
  const { SecretString } = await secrets.send(
    new GetSecretValueCommand({ SecretId: values['webhook-secret'] }),
  );
  const { current } = storedWebhookSecretSchema.parse(JSON.parse(SecretString ?? '{}'));
  console.log(`1. Open this link and register the App (the form is pre-filled):

   ${registrationUrl({ githubWebUrl: values['github-url'], webhookUrl: values['webhook-url'], dashboardUrl: values['dashboard-url'], organisation: values.org })}

2. Webhook secret (paste it into the form; it is never printed anywhere else):

   ${current}

3. After "Create GitHub App": note the App ID, "Generate a private key" (a .pem
   downloads), then run
   npm run app:configure -- --app-secret <GitHubAppSecretArn> --app-id <App ID> --private-key <file.pem>
4. Under "Client secrets", "Generate a new client secret", then run
   npm run app:configure -- --dashboard-secret <DashboardSecretArn> --client-id <Client ID> --client-secret <secret>
5. "Install App" on the organisation; Flowmeter starts syncing at once.`);
} else if (values['app-secret'] && values['app-id'] && values['private-key']) {
  const value = appSecretValue(
    Number(values['app-id']),
    await readFile(values['private-key'], 'utf8'),
  );
  await secrets.send(
    new PutSecretValueCommand({ SecretId: values['app-secret'], SecretString: value }),
  );
  console.log(
    `stored App ${values['app-id']} and its private key in ${values['app-secret']}; sync workers use them from their next cold start (failed sync jobs retry by themselves)`,
  );
} else if (values['dashboard-secret'] && values['client-id'] && values['client-secret']) {
  const { SecretString } = await secrets.send(
    new GetSecretValueCommand({ SecretId: values['dashboard-secret'] }),
  );
  await secrets.send(
    new PutSecretValueCommand({
      SecretId: values['dashboard-secret'],
      SecretString: dashboardSecretValue(
        SecretString ?? '',
        values['client-id'],
        values['client-secret'],
      ),
    }),
  );
  console.log(
    `stored the App's OAuth client ${values['client-id']} in ${values['dashboard-secret']}; the dashboard signs people in with it within five minutes`,
  );
} else {
  console.error(`usage:
  npm run app:configure -- --webhook-url <WebhookUrl> --webhook-secret <WebhookSecretArn> --dashboard-url <DashboardUrl> [--org <organisation>] [--github-url https://ghe.example]
  npm run app:configure -- --app-secret <GitHubAppSecretArn> --app-id <id> --private-key <file.pem>
  npm run app:configure -- --dashboard-secret <DashboardSecretArn> --client-id <Iv1...> --client-secret <secret>`);
  process.exit(2);
}
