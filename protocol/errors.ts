/** How every API error reads (worker/http/errors.ts sends it; the SPA shows `message`, beside `field` if named). */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}
