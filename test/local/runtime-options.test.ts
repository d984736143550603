import { resolveOptions } from '../../local/runtime-options';

describe('where the local runtime listens', () => {
  it('is this machine only unless HOST says otherwise', () => {
    expect(resolveOptions({}).host).toBe('127.0.0.1');
    expect(resolveOptions({ host: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});
