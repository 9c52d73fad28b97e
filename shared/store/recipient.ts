/** Someone an installation's or a team's emails go to, with the token of their unsubscribe link. */
export interface Recipient {
  email: string;
  unsubscribeToken: string;
}
