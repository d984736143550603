/**
 * How long a test waits for something the system must do (a frame through Kinesis and fanout, a page update) before
 * failing. Generous on purpose: a loaded 2-core machine can be many times slower than an idle one, and this is a limit
 * on waiting, never an assertion about speed. Below jest's 60 s test timeout, so a failure still says what was missing.
 */
export const WAIT_LIMIT_MS = 45_000;
