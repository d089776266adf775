/** The text layer of a PDF, page by page, read with unpdf (pdf.js's serverless build: no native code, no network). */

/** Why a PDF gives no knowledge, said to the admin who uploaded it. */
export class UnreadablePdf extends Error {}

/** Pages are stored joined by form feeds, so the chunker can cite them. */
export const PAGE_BREAK = '\f';

export const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

export const readPdf = async (bytes: Buffer): Promise<string[]> => {
  if (!isPdf(bytes)) throw new UnreadablePdf('is not a PDF (it does not start with %PDF-)');
  // Outside the try: a library that fails to load is the server's fault, not the file's.
  const { getDocumentProxy, extractText } = await import('unpdf');
  let pages: string[];
  try {
    // verbosity 0: pdf.js would otherwise print its repair warnings on the server's console.
    const doc = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
    try {
      pages = (await extractText(doc, { mergePages: false })).text;
    } finally {
      await doc.destroy().catch(() => undefined);
    }
  } catch (error) {
    if (error instanceof Error && /password/i.test(error.name + error.message)) throw new UnreadablePdf('is protected by a password');
    throw new UnreadablePdf(`could not be read as a PDF (${error instanceof Error ? error.message : 'unknown error'})`);
  }
  const text = pages.map((p) => p.replace(/[ \t]+\n/g, '\n').trim());
  if (!text.some(Boolean)) throw new UnreadablePdf('has no text layer (a scanned document?): run it through OCR first, or paste its text');
  return text;
};
