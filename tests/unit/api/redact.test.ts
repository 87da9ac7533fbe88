import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../../gateway/api/redact.ts';

describe('redacting secrets', () => {
  it('replaces every value under a secret-looking key, at any depth, in any case', () => {
    const input = {
      site: { id: 'demo', name: { zh: '示范', en: 'Demo' } },
      password: 'p1',
      mqtt: { bridgePassword: 'p2', boxes: [{ id: 'b', Token: 'p3', authKey: { nested: 'p4' } }] },
      cameras: [{ id: 'c', credentials: { username: 'u', password: 'p5' }, onvif: { host: '127.0.0.1', port: 80 } }],
      SECRET: ['p6'],
      apiKey: 7,
    };
    const out = redactSecrets(input) as typeof input;
    expect(JSON.stringify(out)).not.toMatch(/p[1-6]\b|"apiKey":7/);
    expect(out.password).toBe(REDACTED);
    expect(out.mqtt.bridgePassword).toBe(REDACTED);
    expect(out.mqtt.boxes[0]).toEqual({ id: 'b', Token: REDACTED, authKey: REDACTED });
    expect(out.cameras[0]).toEqual({ id: 'c', credentials: REDACTED, onvif: { host: '127.0.0.1', port: 80 } });
    expect(out.SECRET).toBe(REDACTED);
    expect(out.apiKey).toBe(REDACTED);
  });

  it('leaves everything else as it was, and the input untouched', () => {
    const input = { site: { id: 'demo' }, list: [1, 'two', null, true], gateway: { port: 8080 } };
    const copy = structuredClone(input);
    expect(redactSecrets(input)).toEqual(copy);
    const withSecret = { a: { password: 'x' } };
    redactSecrets(withSecret);
    expect(withSecret.a.password).toBe('x');
  });
});
