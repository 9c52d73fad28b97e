import { Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { webhookFunction } from '#functions/webhook/function.ts';
import { FlowmeterFunction } from './flowmeter-function.ts';

export interface WebhookIngestProps {
  api: HttpApi;
  table: ITableV2;
  syncQueue: IQueue;
  /** Where a new installation's Copilot usage fetch is queued. */
  copilotQueue: IQueue;
  /** Where a new installation's teams reading is queued, and one whose owners accepted new permissions. */
  teamsQueue: IQueue;
  /** Concurrency kept for the function alone (`flowmeter:webhookReservedConcurrency`). */
  reservedConcurrency: number;
}

/**
 * GitHub's way in: the `POST /webhooks/github` route of the HTTP API calls the
 * webhook function. The function authenticates every request itself (HMAC
 * over the raw body), with the secret kept in Secrets Manager.
 */
export class WebhookIngest extends Construct {
  public readonly function: FlowmeterFunction<typeof webhookFunction>;
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
    this.function = new FlowmeterFunction(this, 'Function', webhookFunction, {
      table: props.table,
      queues: { sync: props.syncQueue, copilot: props.copilotQueue, teams: props.teamsQueue },
      api: props.api,
      reservedConcurrency: props.reservedConcurrency,
      environment: { WEBHOOK_SECRET_ARN: this.webhookSecret.secretArn },
    });
    this.webhookSecret.grantRead(this.function);
    this.webhookUrl = `${props.api.apiEndpoint}${webhookFunction.trigger.routes[0].path}`;
  }
}
