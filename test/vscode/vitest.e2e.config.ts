// The end-to-end suites (npm run test:e2e, after npm run setup:e2e): the webview app as a
// standalone page in Chromium (test/webview) and the extension inside a real VS Code, code-server
// 4.100.3 (test/vscode). One file at a time: each drives a browser with software WebGL on a
// 2-core machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/webview/**/*.e2e.ts', 'test/vscode/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    reporters: ['default'],
  },
});
