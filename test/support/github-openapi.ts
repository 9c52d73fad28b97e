import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * GitHub's own OpenAPI description (@octokit/openapi, api.github.com) as
 * JSON Schema validators: of a REST operation's response, and of a webhook
 * event's payload (its `x-webhooks`).
 */
const require = createRequire(import.meta.url);
export const openapi = require('@octokit/openapi/generated/api.github.com.json') as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  'x-webhooks': Record<string, unknown>;
};

/**
 * OpenAPI 3.0 lets `nullable: true` stand beside `allOf` without a `type`;
 * JSON Schema (and Ajv) spell that "this, or null".
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, toJsonSchema(value)] as const);
  const converted = Object.fromEntries(entries) as Record<string, unknown>;
  if (converted.nullable === true && converted.type === undefined) {
    const { nullable: _nullable, ...schema } = converted;
    return { anyOf: [schema, { type: 'null' }] };
  }
  return converted;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats.default(ajv);
ajv.addSchema(toJsonSchema(openapi) as object, 'openapi');

const pointerTo = (parts: string[]) =>
  parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export function responseValidator(path: string, method: string, status: number): ValidateFunction {
  const response = openapi.paths[path]?.[method]?.responses[String(status)] as
    | { $ref?: string; content?: unknown }
    | undefined;
  if (!response) throw new Error(`OpenAPI has no ${method} ${path} ${status}`);
  // Shared error responses are references into components.responses.
  const base = response.$ref
    ? `openapi${response.$ref}`
    : `openapi#/${pointerTo(['paths', path, method, 'responses', String(status)])}`;
  return ajv.compile({ $ref: `${base}/content/application~1json/schema` });
}

/** The payload of `event` with `action`, as `x-webhooks` describes it (`membership-added`, `organization-member-removed`). */
export function webhookValidator(event: string, action: string): ValidateFunction {
  const name = `${event}-${action.replaceAll('_', '-')}`;
  if (!openapi['x-webhooks'][name]) throw new Error(`OpenAPI has no webhook ${name}`);
  return ajv.compile({
    $ref: `openapi#/${pointerTo(['x-webhooks', name, 'post', 'requestBody', 'content', 'application/json', 'schema'])}`,
  });
}
