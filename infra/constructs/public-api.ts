import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface PublicApiProps {
  /**
   * Requests per second the API accepts before answering 429 (GitHub retries nothing,
   * so this only guards against floods from elsewhere).
   * @default 200
   */
  rateLimitPerSecond?: number;
  /**
   * Routes with limits of their own (burst: twice the rate), apart from the
   * stage's.
   * @default none
   */
  routeRateLimits?: readonly { routeKey: string; perSecond: number }[];
}

/**
 * Flowmeter's one HTTP API, throttled and access-logged: GitHub's webhooks,
 * the IAM-authorised status API and the unsubscribe links add their routes.
 */
export class PublicApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;

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
    this.stage = new HttpStage(this, 'DefaultStage', {
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
    // HttpStage has no route settings of its own: they are set on the CloudFormation stage.
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      (props.routeRateLimits ?? []).map(({ routeKey, perSecond }) => [
        routeKey,
        { ThrottlingRateLimit: perSecond, ThrottlingBurstLimit: perSecond * 2 },
      ]),
    );
  }
}
