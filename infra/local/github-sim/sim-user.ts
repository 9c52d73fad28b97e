/** A GitHub account of the simulator: a person, a bot or an organisation. */
export interface SimUser {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  /** The login REST and webhooks show, where GitHub gives another than GraphQL's (its `login`, with `[bot]`). */
  restLogin?: string;
}
