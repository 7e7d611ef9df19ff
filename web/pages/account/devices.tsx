/**
 * The user's signed-in devices (GET /api/auth/sessions), this one first among equals and marked.
 * "Sign out" ends one other device's session, "Sign out everywhere else" all of them; either way
 * that device is signed out at its next request.
 */
import type { InferResponseType } from 'hono/client';
import { useEffect, useState } from 'preact/hooks';
import { type ApiResult, api, call } from '../../api.ts';
import { deviceName } from './device-name.ts';

type Device = InferResponseType<typeof api.auth.sessions.$get, 200>['sessions'][number];

const when = (iso: string) => new Date(iso).toLocaleString();

/** `reloadKey` changes when the list must be read again (after a password change). */
export function SignedInDevices({ reloadKey }: { reloadKey: number }) {
  const [devices, setDevices] = useState<Device[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [pending, setPending] = useState(false);

  const load = async () => {
    const result = await call(api.auth.sessions.$get());
    if (result.ok) setDevices(result.data.sessions);
    else setError(result.error.message);
  };
  useEffect(() => {
    void load();
  }, [reloadKey]);

  /** Runs one sign-out request, then shows what happened and the list as it now is. */
  const signOut = async (request: () => Promise<ApiResult<unknown>>, done: string) => {
    setPending(true);
    setError(undefined);
    setNotice(undefined);
    const result = await request();
    setPending(false);
    if (result.ok) setNotice(done);
    else setError(result.error.message);
    await load();
  };

  if (!devices) return error ? <Alert message={error} /> : <p role="status">Loading your devices…</p>;
  const others = devices.filter((device) => !device.current);
  return (
    <>
      {error && <Alert message={error} />}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <ul class="devices">
        {devices.map((device) => (
          <li key={device.id}>
            <p class="device-name" id={`device-${device.id}`} title={device.userAgent ?? undefined}>
              {deviceName(device.userAgent)}
              {device.current && <strong class="this-device"> · This device</strong>}
            </p>
            <p class="hint">
              Signed in {when(device.createdAt)} · last used {when(device.lastSeenAt)}
            </p>
            {!device.current && (
              <button
                type="button"
                aria-describedby={`device-${device.id}`}
                disabled={pending}
                onClick={() =>
                  signOut(
                    () => call(api.auth.sessions[':id'].$delete({ param: { id: device.id } })),
                    `${deviceName(device.userAgent)} was signed out.`,
                  )
                }
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.length > 0 && (
        <button
          type="button"
          disabled={pending}
          onClick={() => signOut(() => call(api.auth.sessions.$delete()), 'Every other device was signed out.')}
        >
          Sign out everywhere else
        </button>
      )}
    </>
  );
}

const Alert = ({ message }: { message: string }) => (
  <p class="form-error" role="alert">
    {message}
  </p>
);
