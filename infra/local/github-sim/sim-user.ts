/** A GitHub account of the simulator: a person, a bot or an organisation. */
export interface SimUser {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
}
