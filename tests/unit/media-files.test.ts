import { safeFileName, showsInline, storedType } from '../../server/media-files';

describe('stored type', () => {
  test.each([
    ['image/png', 'image/png', 'png'],
    ['image/jpeg; charset=binary', 'image/jpeg', 'jpg'],
    ['application/pdf', 'application/pdf', 'pdf'],
    ['AUDIO/OGG', 'audio/ogg', 'ogg'],
  ])('%s is inert: kept, stored as .%s', (given, mime, ext) => {
    expect(storedType(given)).toEqual({ mime, ext, inert: true });
  });

  test.each(['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'text/javascript', 'application/x-msdownload', '', null, 'image/png/../html'])('%s becomes an opaque .bin download', (given) => {
    expect(storedType(given)).toEqual({ mime: 'application/octet-stream', ext: 'bin', inert: false });
  });

  test('only raster images, audio, video, PDF and plain text are shown inline', () => {
    expect(showsInline('image/png')).toBe(true);
    expect(showsInline('application/pdf')).toBe(true);
    expect(showsInline('image/svg+xml')).toBe(false);
    expect(showsInline('application/octet-stream')).toBe(false);
    expect(showsInline('application/zip')).toBe(false);
  });
});

describe('file names', () => {
  test.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\invoice.pdf', 'invoice.pdf'],
    ['bill\u0000.pdf', 'bill.pdf'],
    ['evil\u202Etxt.exe', 'eviltxt.exe'],
    ['a:b?c*d|e<f>g".pdf', 'a_b_c_d_e_f_g_.pdf'],
    ['  .hidden  ', 'hidden'],
  ])('%j is stored as %j', (given, expected) => {
    expect(safeFileName(given, 'fallback.bin')).toBe(expected);
  });

  test.each([[''], ['/'], ['..'], ['\u0000\u0001'], ['CON'], ['nul.txt'], [undefined], [42]])('%j falls back', (given) => {
    expect(safeFileName(given, 'fallback.bin')).toBe('fallback.bin');
  });

  test('a long name is cut to 200 bytes on a character boundary, keeping its extension', () => {
    const name = safeFileName(`${'€'.repeat(100)}.docx`, 'x');
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
    expect(name).toMatch(/^€+\.docx$/);
    expect(safeFileName('a'.repeat(300), 'x')).toBe('a'.repeat(200));
  });
});
