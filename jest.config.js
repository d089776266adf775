/** Integration tests boot the example CRM in-process; browser tests (tests/e2e) have their own config. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/tests/{unit,integration}/**/*.test.ts'],
  // Several instances need PostgreSQL (and Redis): those files run, always on PostgreSQL, in the TEST_DB=postgres run.
  testPathIgnorePatterns: process.env.TEST_DB === 'postgres' ? ['/node_modules/'] : ['/node_modules/', '/tests/integration/(campaigns-)?cluster\\.test\\.ts$'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'], '^.+/node_modules/unpdf/.+\\.[cm]js$': ['@swc/jest'] },
  // file-type (content sniffing of customer media) is ESM only: Node loads it natively, Jest needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!(file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|unpdf)/)'],
  // unpdf loads pdf.js (ESM only) with import(), which Jest's VM cannot: compiled to require() instead.
  moduleNameMapper: { '^file-type$': '<rootDir>/node_modules/file-type/core.js', '^unpdf/pdfjs$': '<rootDir>/node_modules/unpdf/dist/pdfjs.mjs' },
  testTimeout: 60_000,
  maxWorkers: 1,
};
