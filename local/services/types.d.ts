// dynalite and kinesalite ship no types; both return a plain Node HTTP server.
declare module 'dynalite' {
  import type { Server } from 'node:http';
  function dynalite(options?: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }): Server;
  export = dynalite;
}
declare module 'kinesalite' {
  import type { Server } from 'node:http';
  function kinesalite(options?: { path?: string; createStreamMs?: number; deleteStreamMs?: number; updateStreamMs?: number; shardLimit?: number }): Server;
  export = kinesalite;
}
