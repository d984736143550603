/**
 * Reads a required environment variable naming a resource (a table, a stream, the management API), failing loudly
 * and by name when it is missing. Settings are not read here: see `readSettings` in contract/.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Environment variable ${name} is required`);
  return value;
}
