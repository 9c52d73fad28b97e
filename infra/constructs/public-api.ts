import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface PublicApiProps {
  /**
   * Requests per second the API accepts before answering 429 (GitHub retries nothing,
   * so this only guards against floods from elsewhere).
   * @default 200
   */
  rateLimitPerSecond?: number;
}

/**
 * Flowmeter's one HTTP API, throttled and access-logged: GitHub's webhooks,
 * the IAM-authorised status API and the unsubscribe links add their routes.
 */
export class PublicApi extends Construct {
  public readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: PublicApiProps = {}) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Flowmeter: GitHub webhooks, unsubscribe links and the operator status API',
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
  }
}
