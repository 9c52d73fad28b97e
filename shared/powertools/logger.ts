import { Logger } from '@aws-lambda-powertools/logger';
import { type FunctionDefinition, serviceName } from '../function-definition.ts';

/**
 * A function's logger: structured JSON under its service name, the one the
 * stack also gives it as POWERTOOLS_SERVICE_NAME (locally, every function
 * shares one process, so the name must come from here).
 */
export function functionLogger(definition: Pick<FunctionDefinition, 'name'>): Logger {
  return new Logger({ serviceName: serviceName(definition) });
}
