// Real Bedrock locally (USE_BEDROCK=1): the function bundles read credentials from the environment only (contract
// BUNDLING.alias), so the runtime resolves the developer's credentials once and hands them over as Lambda does.
import { lambdaEnvironment, type LambdaEnvironmentInput } from '../../local/lambda/lambda-environment';
import { inheritedCredentialVariables } from '../../local/services/inherited-credentials';

const input: LambdaEnvironmentInput = {
  functionName: 'chat-bot',
  memoryMb: 512,
  endpoints: { dynamoDb: 'http://127.0.0.1:2', kinesis: 'http://127.0.0.1:3', managementApi: 'http://127.0.0.1:1/local' },
};

describe('the AWS credentials a local function gets', () => {
  const savedProfile = process.env.AWS_PROFILE;
  afterEach(() => {
    if (savedProfile === undefined) delete process.env.AWS_PROFILE;
    else process.env.AWS_PROFILE = savedProfile;
  });

  it('are the resolved credentials of this process, as variables, with the profile kept for the region', async () => {
    // Prepare: credentials a profile (SSO, assumed role) resolved to.
    process.env.AWS_PROFILE = 'developer';
    const inheritedCredentials = await inheritedCredentialVariables(async () => ({
      accessKeyId: 'ASIADEV',
      secretAccessKey: 'dev-secret',
      sessionToken: 'dev-session',
    }));

    // Act
    const environment = lambdaEnvironment({ ...input, inheritedCredentials }).reserved;

    // Assess
    expect(environment).toMatchObject({
      AWS_ACCESS_KEY_ID: 'ASIADEV',
      AWS_SECRET_ACCESS_KEY: 'dev-secret',
      AWS_SESSION_TOKEN: 'dev-session',
      AWS_PROFILE: 'developer',
    });
  });

  it('are the dummy local ones otherwise, with no session token', () => {
    const environment = lambdaEnvironment(input).reserved;

    expect(environment).toMatchObject({ AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' });
    expect(environment).not.toHaveProperty('AWS_SESSION_TOKEN');
  });
});
