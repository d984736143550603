import { SettingsError } from '../contract';

/**
 * Invalid deploy-time configuration (CDK context). The message lists every problem at once, one per line, each
 * naming the context key, so a deploy fails before anything reaches CloudFormation.
 */
export class ChatConfigError extends SettingsError {
  constructor(problems: readonly string[]) {
    super(problems, 'Invalid CDK context:');
    this.name = 'ChatConfigError';
  }
}
