/** Browser tests (tests/e2e): run by `npm run test:e2e`, which builds what they need first. */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['<rootDir>/tests/e2e/**/*.e2e.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // Booting Strapi as a child process and driving Chromium is slow on a 2-core machine.
  testTimeout: 240_000,
  maxWorkers: 1,
};
