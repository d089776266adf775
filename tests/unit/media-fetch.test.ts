import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockedReason, fetchMedia, judgeUrl, MediaFetchError, MediaRefusedError } from '../../server/providers/media-fetch';

/** A local server that counts every TCP connection made to it, whatever comes after. */
const listen = async (handler: http.RequestListener) => {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, port, connections: () => connections, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
};

describe('address classification', () => {
  test.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '0.1.2.3',
    '224.0.0.1', '239.255.255.250', '255.255.255.255', '240.0.0.1', '198.18.0.1', '192.0.2.10',
    '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::7f00:1', '2002:7f00:1::1', '[::1]',
  ])('%s is refused', (address) => {
    expect(blockedReason(address)).toEqual(expect.any(String));
  });

  test.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '157.240.1.1', '2a03:2880:f10c:83:face:b00c:0:25de', '::ffff:8.8.8.8', '2606:4700::1111'])('%s is public', (address) => {
    expect(blockedReason(address)).toBeNull();
  });
});

describe('which URLs may be fetched', () => {
  const allowed = ['http://127.0.0.1:4010'];
  test.each([
    ['http://files.example.com/a.jpg', /only https/],
    ['ftp://files.example.com/a.jpg', /only https/],
    ['file:///etc/passwd', /only https/],
    ['https://127.0.0.1/a', /loopback/],
    ['https://2130706433/a', /loopback/],
    ['https://[::1]/a', /loopback/],
    ['https://[::ffff:169.254.169.254]/latest/meta-data', /link-local/],
    ['https://10.0.0.5/a', /private/],
    ['http://127.0.0.1:4011/a', /only https/],
    ['https://127.0.0.1:4010/a', /loopback/],
    ['not a url', /not a valid URL/],
  ])('%s is refused', (url, reason) => {
    expect(() => judgeUrl(url, allowed)).toThrow(MediaRefusedError);
    expect(() => judgeUrl(url, allowed)).toThrow(reason);
  });

  test('a configured provider origin is reachable by its exact origin only', () => {
    expect(judgeUrl('http://127.0.0.1:4010/media/1', allowed).checkAddress).toBe(false);
    expect(judgeUrl('https://files.example.com/a.jpg', allowed).checkAddress).toBe(true);
  });
});

describe('fetching', () => {
  const policy = (over: Partial<Parameters<typeof fetchMedia>[1]> = {}) => ({ allowedOrigins: [] as string[], maxBytes: 1024, deadlineMs: 5000, ...over });

  test('a name that resolves to a private address is refused when connecting, and nothing reaches it', async () => {
    const target = await listen((_req, res) => res.end('secret'));
    try {
      const error = await fetchMedia(`https://localhost:${target.port}/secret`, policy()).catch((e) => e);
      expect(error).toBeInstanceOf(MediaRefusedError);
      expect(error.message).toMatch(/localhost resolves to .*loopback/);
      expect(target.connections()).toBe(0);
    } finally {
      await target.close();
    }
  });

  test('an allowed origin works; a redirect from it to a private address is refused before connecting', async () => {
    const target = await listen((_req, res) => res.end('secret'));
    const provider = await listen((req, res) => {
      if (req.url === '/file') return res.writeHead(200, { 'Content-Type': 'image/png' }).end('png-bytes');
      if (req.url === '/to-https-private') return res.writeHead(302, { Location: `https://localhost:${target.port}/` }).end();
      return res.writeHead(302, { Location: `${target.origin}/secret` }).end();
    });
    try {
      const ok = await fetchMedia(`${provider.origin}/file`, policy({ allowedOrigins: [provider.origin] }));
      expect(ok).toMatchObject({ status: 200, contentType: 'image/png' });
      expect(ok.data.toString()).toBe('png-bytes');
      await expect(fetchMedia(`${provider.origin}/to-http-private`, policy({ allowedOrigins: [provider.origin] }))).rejects.toThrow(/only https/);
      await expect(fetchMedia(`${provider.origin}/to-https-private`, policy({ allowedOrigins: [provider.origin] }))).rejects.toThrow(/resolves to .*loopback/);
      expect(target.connections()).toBe(0);
    } finally {
      await Promise.all([target.close(), provider.close()]);
    }
  });

  test('credentials are not carried to another origin on a redirect, and redirects are counted', async () => {
    const seen: (string | undefined)[] = [];
    const other = await listen((req, res) => {
      seen.push(req.headers.authorization);
      res.end('ok');
    });
    const provider = await listen((req, res) => {
      if (req.url === '/loop') return res.writeHead(302, { Location: '/loop' }).end();
      res.writeHead(302, { Location: `${other.origin}/file` }).end();
    });
    try {
      const origins = [provider.origin, other.origin];
      await fetchMedia(`${provider.origin}/file`, policy({ allowedOrigins: origins }), { Authorization: 'Bearer secret-token' });
      expect(seen).toEqual([undefined]);
      await expect(fetchMedia(`${provider.origin}/loop`, policy({ allowedOrigins: origins }))).rejects.toThrow(/more than 3 redirects/);
    } finally {
      await Promise.all([other.close(), provider.close()]);
    }
  });

  test('a body past the cap is refused while it streams (no Content-Length to trust), and a declared one before', async () => {
    let closed = false;
    const provider = await listen((req, res) => {
      if (req.url === '/declared') return res.writeHead(200, { 'Content-Length': '5000' }).end(Buffer.alloc(5000));
      res.writeHead(200, { 'Content-Type': 'application/pdf' });
      res.on('close', () => (closed = true));
      const timer = setInterval(() => res.write(Buffer.alloc(512)), 5);
      res.on('close', () => clearInterval(timer));
    });
    try {
      const error = await fetchMedia(`${provider.origin}/endless`, policy({ allowedOrigins: [provider.origin] })).catch((e) => e);
      expect(error).toBeInstanceOf(MediaRefusedError);
      expect(error.message).toMatch(/larger than 1024 bytes/);
      await expect(fetchMedia(`${provider.origin}/declared`, policy({ allowedOrigins: [provider.origin] }))).rejects.toThrow(/larger than 1024 bytes/);
    } finally {
      await provider.close();
    }
    expect(closed).toBe(true);
  });

  test('a server that sends a byte at a time is cut off at the overall deadline, not kept alive by each byte', async () => {
    const provider = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg' });
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    try {
      const error = await fetchMedia(`${provider.origin}/slow`, policy({ allowedOrigins: [provider.origin], maxBytes: 10_000_000, deadlineMs: 300 })).catch((e) => e);
      expect(error).toBeInstanceOf(MediaFetchError);
      expect(error.message).toMatch(/longer than 300 ms/);
    } finally {
      await provider.close();
    }
  });

  test('an error status is a retryable failure that names the status', async () => {
    const provider = await listen((_req, res) => res.writeHead(503).end('busy'));
    try {
      const error = await fetchMedia(`${provider.origin}/x`, policy({ allowedOrigins: [provider.origin] })).catch((e) => e);
      expect(error).toBeInstanceOf(MediaFetchError);
      expect(error).toMatchObject({ status: 503, message: expect.stringMatching(/503/) });
    } finally {
      await provider.close();
    }
  });
});
