export * from './client-frames';
export * from './error-codes';
export * from './limits';
export * from './parse-client-frame';
export * from './parse-handshake';
export * from './protocol-error';
export * from './server-frames';
export * from './text';
