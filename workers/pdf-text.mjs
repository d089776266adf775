/**
 * A PDF's text layer read off the main thread (pdf.js blocks its thread while it parses): run as a
 * worker_threads Worker by server/assistant/pdf.ts, which bounds its memory and kills it after a timeout.
 * Plain JavaScript, shipped as is, so the same file serves the built plugin and the TypeScript tests.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { bytes, maxPages, maxChars } = workerData;

const read = async () => {
  const { getDocumentProxy } = await import('unpdf');
  // verbosity 0: pdf.js would otherwise print its repair warnings on the server's console.
  const doc = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
  try {
    if (doc.numPages > maxPages) return { tooManyPages: doc.numPages };
    const pages = [];
    let chars = 0;
    // Page by page, stopping once the text is longer than a source may be: a huge PDF is refused without reading it all.
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = content.items.filter((i) => i.str != null).map((i) => i.str + (i.hasEOL ? '\n' : '')).join('');
      page.cleanup();
      pages.push(text);
      chars += text.length;
      if (chars > maxChars) return { tooLong: true };
    }
    return { pages };
  } finally {
    await doc.destroy().catch(() => undefined);
  }
};

read().then(
  (result) => parentPort.postMessage(result),
  (error) => parentPort.postMessage({ error: { name: String(error?.name ?? 'Error'), message: String(error?.message ?? error) } }),
);
