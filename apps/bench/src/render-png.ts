// A static PNG of the ramp chart, for places that show images but not HTML (a README, a review).
// Debian's Chromium through Playwright, as the e2e suite uses it; optional, so a failure only warns.
import { chromium } from '@playwright/test';
import { pathToFileURL } from 'node:url';

export async function renderPng(htmlPath: string, pngPath: string): Promise<boolean> {
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      await page.goto(pathToFileURL(htmlPath).href);
      // Both charts drawn: uPlot puts one canvas in each chart's root.
      await page.locator('.uplot canvas').nth(1).waitFor();
      await page.screenshot({ path: pngPath, fullPage: true });
      return true;
    } finally {
      await browser.close();
    }
  } catch (error) {
    console.warn(`No PNG of the chart (${error instanceof Error ? error.message : error})`);
    return false;
  }
}
