// Every test runs offline: no CDK version check, no SDK support warnings, no real credentials.
process.env.CDK_DISABLE_VERSION_CHECK = '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION ??= 'us-east-1';
