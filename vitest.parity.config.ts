import { defineConfig } from 'vitest/config';

/** `npm run test:parity`: our statistics against R (glmnet, survival, pROC) and scikit-learn. */
export default defineConfig({
  test: {
    include: ['test/parity/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
