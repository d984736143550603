import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core finding, short enough to read in a failed assertion. */
export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  targets: string[];
}

/**
 * Runs axe-core (from npm) in the page as it is now and returns every violation of any impact. The script goes in
 * through the DevTools protocol (`evaluate`), which the page's Content-Security-Policy does not govern, so the page
 * is audited exactly as served.
 */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: typeof import('axe-core') };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`),
    }));
  });
}
