/**
 * Invalid deploy-time configuration (CDK context). The message lists every problem at once, one per line, each
 * naming the context key, so a deploy fails before anything reaches CloudFormation.
 */
export class ChatConfigError extends Error {
  public readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(['Invalid CDK context:', ...problems.map((problem) => `  - ${problem}`)].join('\n'));
    this.name = 'ChatConfigError';
    this.problems = problems;
  }
}
