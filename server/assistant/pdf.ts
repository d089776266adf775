/**
 * The text layer of a PDF, page by page, read with unpdf (pdf.js's serverless build: no native code, no network)
 * in a worker thread: pdf.js parses synchronously, and a crafted file would otherwise hold the whole server.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { KNOWLEDGE_MAX_CHARS, KNOWLEDGE_PDF_MAX_HEAP_MB, KNOWLEDGE_PDF_MAX_PAGES, KNOWLEDGE_PDF_TIMEOUT_MS } from '../constants';

/** Why a PDF gives no knowledge, said to the admin who uploaded it. */
export class UnreadablePdf extends Error {}

/** Pages are stored joined by form feeds, so the chunker can cite them. */
export const PAGE_BREAK = '\f';

export const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/**
 * Two folders up from both server/assistant/ (the TypeScript sources) and dist/server/index.js (the built
 * plugin, which Strapi requires); resolved when used, so loading the ESM build never touches `__dirname`.
 */
const workerFile = () => path.join(__dirname, '..', '..', 'workers', 'pdf-text.mjs');

type Outcome = { pages: string[] } | { tooManyPages: number } | { tooLong: true } | { error: { name: string; message: string } };

const runWorker = (bytes: Buffer) =>
  new Promise<Outcome>((resolve, reject) => {
    const copy = new Uint8Array(bytes).buffer;
    const worker = new Worker(workerFile(), {
      workerData: { bytes: copy, maxPages: KNOWLEDGE_PDF_MAX_PAGES, maxChars: KNOWLEDGE_MAX_CHARS },
      transferList: [copy],
      resourceLimits: { maxOldGenerationSizeMb: KNOWLEDGE_PDF_MAX_HEAP_MB },
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => reject(new UnreadablePdf(`took longer than ${KNOWLEDGE_PDF_TIMEOUT_MS / 1000} s to read: it is too large or too complex, split it or paste its text`))), KNOWLEDGE_PDF_TIMEOUT_MS);
    worker.once('message', (outcome: Outcome) => finish(() => resolve(outcome)));
    worker.once('error', (error: Error & { code?: string }) =>
      finish(() =>
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? reject(new UnreadablePdf(`is too large to read (it needs more than ${KNOWLEDGE_PDF_MAX_HEAP_MB} MB): split it or paste its text`))
          : reject(error),
      ),
    );
    worker.once('exit', (code) => finish(() => reject(new UnreadablePdf(`could not be read as a PDF (the reader stopped, code ${code})`))));
  });

/** One PDF read at a time per instance, so simultaneous uploads cannot each claim a worker's heap. */
let queue: Promise<unknown> = Promise.resolve();
const inTurn = <T>(task: () => Promise<T>): Promise<T> => {
  const turn = queue.then(task, task);
  queue = turn.catch(() => undefined);
  return turn;
};

export const readPdf = async (bytes: Buffer): Promise<string[]> => {
  if (!isPdf(bytes)) throw new UnreadablePdf('is not a PDF (it does not start with %PDF-)');
  // A worker that fails to start (its file missing) rejects with a plain Error: the server's fault, not the file's.
  const outcome = await inTurn(() => runWorker(bytes));
  if ('tooManyPages' in outcome) throw new UnreadablePdf(`has ${outcome.tooManyPages} pages: at most ${KNOWLEDGE_PDF_MAX_PAGES} are read, split it`);
  if ('tooLong' in outcome) throw new UnreadablePdf(`is longer than ${KNOWLEDGE_MAX_CHARS} characters`);
  if ('error' in outcome) {
    const { name, message } = outcome.error;
    if (/password/i.test(name + message)) throw new UnreadablePdf('is protected by a password');
    throw new UnreadablePdf(`could not be read as a PDF (${message})`);
  }
  const text = outcome.pages.map((p) => p.replace(/[ \t]+\n/g, '\n').trim());
  if (!text.some(Boolean)) throw new UnreadablePdf('has no text layer (a scanned document?): run it through OCR first, or paste its text');
  return text;
};
