/** Whether any flag of a set (`parseArgs` options) was given. */
export const givesAny =
  <T extends object>(options: T) =>
  (flags: Partial<Record<keyof T, string>>): boolean =>
    Object.keys(options).some((flag) => flags[flag as keyof T] !== undefined);
