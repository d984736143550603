import { buildPage } from '../../lib/chat-web-build';

/**
 * Builds the chat page into `outDir` with the build the deployment uses (lib/chat-web-build.ts), plus a source map
 * for debugging locally.
 */
export async function bundlePage(outDir: string): Promise<void> {
  await buildPage(outDir, { sourceMap: true });
}
