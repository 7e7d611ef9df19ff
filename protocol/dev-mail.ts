/** One mail in the dev mailbox, as `GET /api/dev/mail` lists it (local development and tests only). */
export interface DevMail {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** ISO 8601. */
  createdAt: string;
}
