import { expect, it } from 'vitest';
import { pageCertificate } from './certificate-store.ts';

it('gives up on a store that never answers, so a call never waits for it for long', async () => {
  const stuck = () => new Promise<RTCCertificate | undefined>(() => {});
  expect(await pageCertificate(stuck, 20)).toBeUndefined();
});
