import { Logger } from '@aws-lambda-powertools/logger';
import { readSettings } from '../../contract/read-settings';

/** One structured logger per function; level from the logLevel setting, service name from POWERTOOLS_SERVICE_NAME. */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'chat',
  logLevel: readSettings(process.env, ['logLevel']).logLevel,
});
