#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readChatConfig } from '../lib/chat-config';
import { ChatConfigError } from '../lib/chat-config-error';
import { ChatStack } from '../lib/chat-stack';

const app = new App();
try {
  const config = readChatConfig(app.node);
  new ChatStack(app, config.stackName, { stackName: config.stackName, config });
  // cdk-nag runs as a policy validation plugin: `cdk synth` fails on any unacknowledged finding.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (error) {
  if (!(error instanceof ChatConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
