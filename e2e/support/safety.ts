/**
 * The safety code as a person in a call reads it: open "Safety code", wait for the code, read its
 * four groups. Shared by the safety code and man-in-the-middle tests.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const safetyButton = (page: Page) => page.getByRole('button', { name: 'Safety code', exact: true });

/** Opens the panel (unless open) and returns the code shown, e.g. "12345 67890 13579 24680". */
export async function readSafetyCode(page: Page): Promise<string> {
  const button = safetyButton(page);
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const panel = page.getByRole('region', { name: 'Safety code' });
  const code = panel.locator('.safety-code');
  await code.waitFor({ timeout: 30_000 });
  const text = await code.getAttribute('data-code');
  // What a person sees: four groups of five digits.
  expect(await code.locator('span').allTextContents()).toEqual(text?.split(' '));
  expect(text).toMatch(/^\d{5} \d{5} \d{5} \d{5}$/);
  return text ?? '';
}

/** Closes the panel with its own Close button (focus goes back to the control). */
export async function closeSafetyPanel(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Close safety code' }).click();
  await expect.poll(() => safetyButton(page).getAttribute('aria-expanded')).toBe('false');
}
