import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keepAliveHandler } from './keep-alive-handler';

let documentClient: DynamoDBDocumentClient | undefined;

/** The DynamoDB document client, created once per Lambda instance. */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: keepAliveHandler() }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}
