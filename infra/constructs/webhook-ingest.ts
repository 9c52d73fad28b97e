import { Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TeamFunction } from './team-function.ts';

export interface WebhookIngestProps {
  api: HttpApi;
  table: ITableV2;
  syncQueue: IQueue;
}

/**
 * GitHub's way in: the `POST /webhooks/github` route of the HTTP API calls the
 * webhook function. The function authenticates every request itself (HMAC
 * over the raw body), with the secret kept in Secrets Manager.
 */
export class WebhookIngest extends Construct {
  public readonly function: TeamFunction;
  public readonly webhookSecret: Secret;
  public readonly webhookUrl: string;

  constructor(scope: Construct, id: string, props: WebhookIngestProps) {
    super(scope, id);
    this.webhookSecret = new Secret(this, 'WebhookSecret', {
      description:
        'GitHub App webhook secret as {"current": "...", "previous": "..."}; set previous while rotating',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'current',
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    Validations.of(this.webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The webhook secret is shared with GitHub and rotated by hand in the App settings; the function accepts the previous value during a rollover.',
    });

    this.function = new TeamFunction(this, 'Function', {
      functionDir: 'webhook',
      description: 'Verifies GitHub webhooks, records installations and PRs, queues sync jobs',
    })
      .bindTable(props.table, 'readWrite')
      .bindQueueSender('SYNC_QUEUE_URL', props.syncQueue);
    this.function.addEnvironment('WEBHOOK_SECRET_ARN', this.webhookSecret.secretArn);
    this.webhookSecret.grantRead(this.function);

    const [route] = props.api.addRoutes({
      path: '/webhooks/github',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('WebhookIntegration', this.function),
    });
    if (route) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'GitHub cannot sign requests for an API Gateway authorizer; the function verifies X-Hub-Signature-256 before doing anything.',
      });
    }
    this.webhookUrl = `${props.api.apiEndpoint}/webhooks/github`;
  }
}
