/**
 * A GitHub account of the simulator: a person, a bot or an organisation.
 * A module of its own so the dataset and its teams (`teams.ts`), which the
 * dataset builds, can both name it without importing each other.
 */
export interface SimUser {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
}
