import { isLoopbackAddress as isLoopback } from '../../local/services/loopback';

describe('isLoopbackAddress', () => {
  it('accepts every loopback address, in IPv4, IPv6 and IPv4-mapped IPv6 form', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '::ffff:127.9.9.9'].map(isLoopback)).toStrictEqual([true, true, true, true, true]);
  });

  it('refuses any other address, a look-alike and a missing one', () => {
    expect(['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', '::2', '127.example.com', '1127.0.0.1', '', undefined].map(isLoopback)).toStrictEqual(
      [false, false, false, false, false, false, false, false],
    );
  });
});
