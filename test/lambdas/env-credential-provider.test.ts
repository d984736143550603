// The stand-in for the SDK's default credential chain in every function bundle (contract BUNDLING.alias): a client
// wired the way the bundles wire it signs with the credentials Lambda (and the local runtime) put in the environment.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { defaultProvider } from '../../lambdas/shared/aws/env-credential-provider';

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'] as const;
const saved = Object.fromEntries(CREDENTIAL_VARIABLES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of CREDENTIAL_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function setCredentials(values: Partial<Record<(typeof CREDENTIAL_VARIABLES)[number], string>>): void {
  for (const name of CREDENTIAL_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
}

describe('the environment credential provider of the bundles', () => {
  it('signs a real SDK request with the role credentials Lambda puts in the environment', async () => {
    // Prepare: a client given the stand-in exactly where the bundles put it (the client's credentialDefaultProvider).
    setCredentials({ AWS_ACCESS_KEY_ID: 'ASIAROLEKEY', AWS_SECRET_ACCESS_KEY: 'role-secret', AWS_SESSION_TOKEN: 'role-session' });
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"TableNames":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentialDefaultProvider: defaultProvider,
    });

    // Act
    const result = await client.send(new ListTablesCommand({}));
    client.destroy();
    await new Promise((resolve) => server.close(resolve));

    // Assess
    expect(result.TableNames).toStrictEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAROLEKEY\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, /);
    expect(seen[0]?.['x-amz-security-token']).toBe('role-session');
  });

  it('fails clearly, and looks nowhere else, when the environment has no credentials', async () => {
    // Prepare: a profile alone (which the SDK's whole chain would follow) is not a credential source here.
    setCredentials({ AWS_PROFILE: 'someone' });

    // Act / Assess
    await expect(defaultProvider()()).rejects.toThrow('Unable to find environment variable credentials.');
  });
});
