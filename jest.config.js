/** Jest runs TypeScript through ts-jest in transpile-only mode; `npm run check` type-checks separately. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/platform/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true }],
  },
  // Under Jest, Node's Module.prototype.require is bypassed, so the worker's core-module hook cannot
  // intercept the library's lazy require. The mapping hands it the same core API object instead.
  moduleNameMapper: {
    '^@azure/functions-core$': '<rootDir>/platform/src/worker/coreModule.ts',
  },
  testTimeout: 60000,
};
