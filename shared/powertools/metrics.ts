import { Metrics } from '@aws-lambda-powertools/metrics';
import { type FunctionDefinition, serviceName } from '../function-definition.ts';

/** The CloudWatch namespace of Flowmeter's own metrics; the operators' dashboard reads it. */
export const metricsNamespace = 'Flowmeter';

/** A function's metrics (CloudWatch embedded metric format), dimensioned by its service name. */
export function functionMetrics(definition: Pick<FunctionDefinition, 'name'>): Metrics {
  return new Metrics({ namespace: metricsNamespace, serviceName: serviceName(definition) });
}
