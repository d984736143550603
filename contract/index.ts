// The contract between the stack (lib/), the local runtime (local/), the functions (lambdas/) and the page (web/,
// types only): plain data and small functions, with no dependency outside this folder.
export * from './read-settings';
export * from './settings';
export * from './setting-descriptions';
export * from './stack-settings';
export * from './tailscale-environment';
export * from './topology';
export * from './topology-descriptions';
export * from './validators';
export * from './metrics';
export * from './protocol';
