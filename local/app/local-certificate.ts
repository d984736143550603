import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface LocalCertificate {
  key: string;
  cert: string;
}

/**
 * A self-signed certificate for localhost, 127.0.0.1 and ::1, made once per data folder with the `openssl` command
 * (Node can read certificates but not make them). Undefined when there is no `openssl`: the runtime then serves
 * without HTTPS, and `log` says what that leaves out.
 */
export async function localCertificate(folder: string, log: (line: string) => void): Promise<LocalCertificate | undefined> {
  const keyPath = join(folder, 'key.pem');
  const certPath = join(folder, 'cert.pem');
  if (!existsSync(keyPath) || !existsSync(certPath)) {
    mkdirSync(folder, { recursive: true });
    try {
      await promisify(execFile)('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
        '-days', '3650', '-keyout', keyPath, '-out', certPath,
      ]);
    } catch (error) {
      log(`  no HTTPS: openssl could not make a certificate (${(error as Error).message.split('\n')[0]}); https://{domainName} calls from functions will fail`);
      return undefined;
    }
  }
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
}
