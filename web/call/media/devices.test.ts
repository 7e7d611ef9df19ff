import { describe, expect, it } from 'vitest';
import { cameraConstraints, micConstraints, nextCamera } from './devices.ts';

describe('camera choice', () => {
  const cameras = [{ deviceId: 'front' }, { deviceId: 'back' }, { deviceId: 'wide' }];

  it('goes round the list', () => {
    expect(nextCamera(cameras, 'front')?.deviceId).toBe('back');
    expect(nextCamera(cameras, 'wide')?.deviceId).toBe('front');
    expect(nextCamera(cameras, 'unknown')?.deviceId).toBe('front');
  });

  it('has nowhere to go with one camera', () => {
    expect(nextCamera([{ deviceId: 'only' }], 'only')).toBeUndefined();
  });

  it('asks for the chosen device exactly, the other side exactly, else the front camera', () => {
    expect(cameraConstraints({ deviceId: 'back' })).toEqual({ deviceId: { exact: 'back' } });
    expect(cameraConstraints({ facing: 'environment' })).toEqual({ facingMode: { exact: 'environment' } });
    expect(cameraConstraints({})).toEqual({ facingMode: 'user' });
  });

  it('keeps voice processing on whatever microphone is chosen', () => {
    expect(micConstraints('usb')).toMatchObject({ deviceId: { exact: 'usb' }, echoCancellation: true });
    expect(micConstraints()).not.toHaveProperty('deviceId');
  });
});
