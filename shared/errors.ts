/**
 * Errors that cross a module boundary. Each carries the HTTP status it maps to
 * so the one place that answers HTTP (`shared/http/http-errors.ts`) needs no lookup table.
 */
export class FlowmeterError extends Error {
  readonly status: number;
  constructor(message: string, status: number, options?: ErrorOptions) {
    super(`[flowmeter] ${message}`, options);
    this.name = new.target.name;
    this.status = status;
  }
}

/** The request is not from GitHub: missing or wrong signature. */
export class SignatureError extends FlowmeterError {
  constructor(message: string) {
    super(message, 401);
  }
}

/** The request is signed but unusable: missing headers, bad JSON, wrong shape. */
export class BadRequestError extends FlowmeterError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 400, options);
  }
}

/** What the request names does not exist, or is not the caller's to see. */
export class NotFoundError extends FlowmeterError {
  constructor(message: string) {
    super(message, 404);
  }
}

export class PayloadTooLargeError extends FlowmeterError {
  constructor(bytes: number, limit: number) {
    super(`payload of ${bytes} bytes exceeds the ${limit} byte limit`, 413);
  }
}

/** Configuration is missing or malformed; raised at cold start. */
export class ConfigError extends FlowmeterError {
  constructor(message: string) {
    super(message, 500);
  }
}
