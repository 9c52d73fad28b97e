import { BadRequestError } from '../errors.ts';

/** A whole number from a path or query parameter, or a 400 naming the parameter and its bounds. */
export function integerParameter(
  name: string,
  text: string | undefined,
  { min, max = Number.MAX_SAFE_INTEGER }: { min: number; max?: number },
): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestError(
      max === Number.MAX_SAFE_INTEGER
        ? `${name} must be an integer of at least ${min}, not ${text}`
        : `${name} must be an integer from ${min} to ${max}, not ${text}`,
    );
  }
  return value;
}
