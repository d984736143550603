// The SDK warns on every start that future versions need Node 22; the machine runs Node 20 and the Lambdas Node 24.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
