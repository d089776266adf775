/** Integration tests boot the example CRM in-process; browser tests (tests/e2e) have their own config. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/tests/{unit,integration}/**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  testTimeout: 60_000,
  maxWorkers: 1,
};
