import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The parity suite (R, scikit-learn) runs on its own: `npm run test:parity`.
    exclude: ['**/node_modules/**', 'test/parity/**', 'test/vscode/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
