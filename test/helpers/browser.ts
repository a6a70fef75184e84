import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Where browser tests leave screenshots (ignored by git). */
export const artifactsDir = join(process.cwd(), 'test', 'artifacts');

/**
 * Debian's chromium driven by playwright-core, headless, one browser per test file.
 * Never downloads a browser: .ci/run installs Debian's chromium.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
      ],
      // playwright gives the browser a fresh, empty profile folder of its own (the empty --user-data-dir).
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
