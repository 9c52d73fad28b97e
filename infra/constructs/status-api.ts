import { type HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TeamFunction } from './team-function.ts';

export interface StatusApiProps {
  api: HttpApi;
  table: ITableV2;
}

/**
 * Read-only operator views under `GET /api/...` on the shared HTTP API.
 * IAM-authorised: callers sign requests with SigV4 (e.g. `awscurl`) and need
 * `execute-api:Invoke` on the route.
 */
export class StatusApi extends Construct {
  public readonly function: TeamFunction;

  constructor(scope: Construct, id: string, props: StatusApiProps) {
    super(scope, id);
    this.function = new TeamFunction(this, 'Function', {
      functionDir: 'status-api',
      description: 'Read-only views of installations, sync progress and metrics',
    }).bindTable(props.table, 'read');
    props.api.addRoutes({
      path: '/api/{proxy+}',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('StatusIntegration', this.function),
      authorizer: new HttpIamAuthorizer(),
    });
  }
}
