/** Jest runs TypeScript through ts-jest, which transpiles file by file (isolatedModules); `npm run check` type-checks. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/platform/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
  },
  // Tests that import app modules directly load @azure/functions through Jest, which bypasses the worker's
  // require hook; this mapping answers the library's lazy require of the core module in the same way.
  moduleNameMapper: {
    '^@azure/functions-core$': '<rootDir>/platform/src/worker/coreModule.ts',
  },
  testTimeout: 60000,
};
