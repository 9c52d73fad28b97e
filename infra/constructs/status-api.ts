import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { statusApiFunction } from '#functions/status-api/function.ts';
import { FlowmeterFunction } from './flowmeter-function.ts';

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
  public readonly function: FlowmeterFunction<typeof statusApiFunction>;

  constructor(scope: Construct, id: string, props: StatusApiProps) {
    super(scope, id);
    this.function = new FlowmeterFunction(this, 'Function', statusApiFunction, {
      table: props.table,
      api: props.api,
    });
  }
}
