// Integration and end-to-end tests start databases and processes: give hooks and tests room.
// (Jest reads testTimeout only from the global config, not per project.)
jest.setTimeout(Number(process.env.URR_SLOW_TEST_TIMEOUT_MS || 120_000));
