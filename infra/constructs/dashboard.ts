import { Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { dashboardFunction } from '#functions/dashboard/function.ts';
import { FlowmeterFunction } from './flowmeter-function.ts';

export interface DashboardProps {
  api: HttpApi;
  table: ITableV2;
  githubApiUrl: string;
  /** Where people sign in: github.com or the Enterprise host (`flowmeter:githubWebUrl`). */
  githubWebUrl: string;
  /** The key a team's Slack webhook URL is sealed under when its settings page saves one. */
  slackKey: ISecret;
  /** Where a saved calendar's holiday region goes to be resolved to dates. */
  holidaysQueue: IQueue;
}

/**
 * The dashboard on the shared HTTP API (`/`, `/login`, `/installations/...`,
 * throttled with the API's default route settings), and the secret holding
 * the App's OAuth client (`npm run app:configure` fills it) beside a session
 * key Secrets Manager generates.
 */
export class Dashboard extends Construct {
  public readonly function: FlowmeterFunction<typeof dashboardFunction>;
  public readonly secret: Secret;
  public readonly url: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description:
        'Dashboard sign-in: {"clientId": "Iv1...", "clientSecret": "...", "sessionKey": "<generated>"}',
      generateSecretString: {
        secretStringTemplate: '{"clientId": "", "clientSecret": ""}',
        generateStringKey: 'sessionKey',
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The OAuth client secret is rotated by generating a new one in the GitHub App settings, by hand; a new session key signs everyone out, done by hand too.',
    });
    this.url = props.api.apiEndpoint;
    this.function = new FlowmeterFunction(this, 'Function', dashboardFunction, {
      table: props.table,
      api: props.api,
      queues: { holidays: props.holidaysQueue },
      environment: {
        GITHUB_API_URL: props.githubApiUrl,
        GITHUB_WEB_URL: props.githubWebUrl,
        DASHBOARD_URL: this.url,
        DASHBOARD_SECRET_ARN: this.secret.secretArn,
        SLACK_KEY_SECRET_ARN: props.slackKey.secretArn,
      },
    });
    this.secret.grantRead(this.function);
    props.slackKey.grantRead(this.function);
  }
}
