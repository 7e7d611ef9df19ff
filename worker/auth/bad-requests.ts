/**
 * fast-check generators of bad requests for a JSON form endpoint (test support, not imported by
 * the Worker). Each starts from a valid form and breaks it one way: malformed JSON, a body that
 * is not an object, missing, extra, wrongly typed, oversized or odd-Unicode fields, a wrong
 * content type, or a 1 MB body (with and without Content-Length).
 */
import fc from 'fast-check';

export interface RawRequest {
  /** null: no Content-Type header at all. */
  contentType: string | null;
  body: string | Uint8Array<ArrayBuffer> | (() => ReadableStream<Uint8Array>);
  /**
   * Set on the one kind that can be valid by accident (an odd-Unicode value that happens to fit
   * the field): the test skips those the schema accepts. Every other kind is invalid by
   * construction, so a schema that wrongly accepted it makes the test fail instead of skipping.
   */
  maybeValid?: true;
}

const JSON_TYPE = 'application/json';
const json = (text: string): RawRequest => ({ contentType: JSON_TYPE, body: text });
const MEGABYTE = 1024 * 1024;
const ONE_MB_OF_A = 'a'.repeat(MEGABYTE);

const WRONG_CONTENT_TYPES = [
  ...[null, '', 'text/plain', 'text/json', 'application/jsonp', 'application/xml'],
  ...['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'],
];

const notJson = (text: string) => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
};

/** Characters that trip up normalisation, case mapping, regexes and Postgres (NUL, lone surrogates). */
const ODD_CHARACTERS = fc.constantFrom(
  ...['\u0000', '\u0007', '\u202e', '\ud800', '\udfff', '\ufeff', '\u200b', '\u00a0', '\u2028', 'ﷺ', '\u0301'],
  ...['𝔘', 'İ', 'ß', 'K', 'ﬁ', 'Ａ', '\n', '\t', ' ', '@', '.', '_', '-', 'a', 'Z', '0', '"', '\\', '%', '<'],
);

export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: ODD_CHARACTERS, maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** A megabyte in one JSON string, sent with its length or as a stream of unknown length. */
const oneMegabyte: fc.Arbitrary<RawRequest> = fc.constantFrom('sized', 'streamed').map((kind) => {
  const text = `{"x":"${ONE_MB_OF_A}"}`;
  if (kind === 'sized') return json(text);
  const bytes = new TextEncoder().encode(text);
  const stream = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
  return { contentType: JSON_TYPE, body: stream };
});

/**
 * Bad requests for a form whose valid version is `valid`; `maxLength[field]` is the longest
 * value the field accepts, so longer ones are "oversized".
 */
export function badRequests(
  valid: Record<string, string>,
  maxLength: Record<string, number>,
): fc.Arbitrary<RawRequest> {
  const keys = Object.keys(valid);
  const field = fc.constantFrom(...keys);
  const replacing = (key: string, value: unknown) => json(JSON.stringify({ ...valid, [key]: value }));
  const validJson = JSON.stringify(valid);

  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }).filter(notJson).map(json),
    fc.uint8Array({ maxLength: 200 }).map((body) => ({ contentType: JSON_TYPE, body })),
    fc
      .oneof(fc.jsonValue(), fc.array(fc.jsonValue()))
      .filter((value) => value === null || typeof value !== 'object' || Array.isArray(value))
      .map((value) => json(JSON.stringify(value))),
    fc
      .subarray(keys, { minLength: 1 })
      .map((gone) =>
        json(JSON.stringify(Object.fromEntries(Object.entries(valid).filter(([k]) => !gone.includes(k))))),
      ),
    // Built as text so that keys like "__proto__" reach the server as written.
    fc
      .tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'id', 'isAdmin'), fc.string()), fc.jsonValue())
      .filter(([key]) => !keys.includes(key))
      .map(([key, value]) => json(`${validJson.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`)),
    fc
      .tuple(
        field,
        fc.jsonValue().filter((value) => typeof value !== 'string'),
      )
      .map(([key, value]) => replacing(key, value)),
    fc
      .tuple(field, fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('a', 'é', '😀', 'x '))
      .map(([key, extra, unit]) => replacing(key, unit.repeat((maxLength[key] ?? 0) + extra))),
    fc.tuple(field, oddString).map(([key, value]): RawRequest => ({ ...replacing(key, value), maybeValid: true })),
    fc
      .constantFrom(...WRONG_CONTENT_TYPES)
      .map((contentType) => ({ contentType, body: new TextEncoder().encode(validJson) })),
    oneMegabyte,
  );
}

/** The form a `maybeValid` request carries. */
export const formOf = (request: RawRequest): unknown => JSON.parse(request.body as string);
