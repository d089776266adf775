/**
 * The text layer of a PDF, page by page, read with unpdf (pdf.js's serverless build: no native code, no network)
 * in a worker thread: pdf.js parses synchronously, and a crafted file would otherwise hold the whole server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { KNOWLEDGE_MAX_CHARS, KNOWLEDGE_PDF_MAX_HEAP_MB, KNOWLEDGE_PDF_MAX_PAGES, KNOWLEDGE_PDF_TIMEOUT_MS } from '../constants';

/** Why a PDF gives no knowledge, said to the admin who uploaded it. */
export class UnreadablePdf extends Error {}

/** Pages are stored joined by form feeds, so the chunker can cite them. */
export const PAGE_BREAK = '\f';

export const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/**
 * The worker script ships in the package's `workers/` folder. It is looked for above the plugin's
 * folder as Strapi resolved it (`enabledPlugins`), else above this file when `__dirname` exists (the
 * CommonJS build and the sources): the ESM build has no `__dirname`, and Strapi's path may name a
 * folder inside the package.
 */
const workerFile = (from?: string) => {
  const starts = [from, typeof __dirname === 'string' ? __dirname : undefined].filter((s): s is string => Boolean(s));
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const file = path.join(dir, 'workers', 'pdf-text.mjs');
      if (fs.existsSync(file)) return file;
      if (dir === path.dirname(dir)) break;
    }
  }
  throw new Error('the PDF reader (workers/pdf-text.mjs) is missing from the plugin package');
};

type Outcome = { pages: string[] } | { tooManyPages: number } | { tooLong: true } | { error: { name: string; message: string } };

const runWorker = (bytes: Buffer, from?: string) =>
  new Promise<Outcome>((resolve, reject) => {
    const copy = new Uint8Array(bytes).buffer;
    const worker = new Worker(workerFile(from), {
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

/** `from`: the plugin's folder as Strapi resolved it, where the worker script is looked for first. */
export const readPdf = async (bytes: Buffer, from?: string): Promise<string[]> => {
  if (!isPdf(bytes)) throw new UnreadablePdf('is not a PDF (it does not start with %PDF-)');
  // A worker that fails to start (its file missing) rejects with a plain Error: the server's fault, not the file's.
  const outcome = await inTurn(() => runWorker(bytes, from));
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
