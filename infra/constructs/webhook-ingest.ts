import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TeamFunction } from './team-function.ts';

export interface WebhookIngestProps {
  table: ITableV2;
  syncQueue: IQueue;
  /**
   * Requests per second the API accepts before answering 429 (GitHub retries nothing,
   * so this only guards against floods from elsewhere).
   * @default 200
   */
  rateLimitPerSecond?: number;
}

/**
 * GitHub's way in: an HTTP API whose `POST /webhooks/github` route calls the
 * webhook function. The function authenticates every request itself (HMAC
 * over the raw body), with the secret kept in Secrets Manager.
 */
export class WebhookIngest extends Construct {
  public readonly api: HttpApi;
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

    this.api = new HttpApi(this, 'Api', {
      description: 'Flowmeter: GitHub webhooks and the operator status API',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.rateLimitPerSecond ?? 200,
        burstLimit: (props.rateLimitPerSecond ?? 200) * 2,
      },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const [route] = this.api.addRoutes({
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
    this.webhookUrl = `${this.api.apiEndpoint}/webhooks/github`;
  }
}
