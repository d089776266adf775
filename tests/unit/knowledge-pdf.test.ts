/** PDF knowledge files: the text layer read page by page, and every unreadable file refused with its reason. */
import fs from 'node:fs';
import path from 'node:path';
import { chunkSource } from '../../server/assistant/chunk';
import { readPdf } from '../../server/assistant/pdf';
import { KNOWLEDGE_MAX_CHARS, KNOWLEDGE_PDF_MAX_PAGES } from '../../server/constants';
import { makePdf } from '../helpers/pdf';

const FIXTURES = path.join(__dirname, '../fixtures/knowledge');

test('a text PDF is read page by page, and its chunks cite their page', async () => {
  const pages = await readPdf(fs.readFileSync(path.join(FIXTURES, 'bike-guide.pdf')));
  expect(pages).toEqual(['Bike Shop customer guide\nEverything about buying a bike from us.', 'Every bike comes with a two-year warranty on its frame and a one-year warranty on its gears.']);
  expect(chunkSource({ text: pages.join('\f'), filename: 'guide.PDF' }).map((c) => c.heading)).toEqual(['p. 1', 'p. 2']);
});

test('a scanned, a broken and a renamed file are refused with the reason', async () => {
  await expect(readPdf(fs.readFileSync(path.join(FIXTURES, 'scanned.pdf')))).rejects.toThrow('has no text layer');
  await expect(readPdf(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage'))).rejects.toThrow('could not be read as a PDF');
  await expect(readPdf(Buffer.from('plain text'))).rejects.toThrow('does not start with %PDF-');
});

test('a PDF with more pages than the limit is refused unread, naming the limit', async () => {
  await expect(readPdf(makePdf({ pages: 3 }))).resolves.toEqual(['Hello', 'Hello', 'Hello']);
  await expect(readPdf(makePdf({ pages: KNOWLEDGE_PDF_MAX_PAGES + 1 }))).rejects.toThrow(`has ${KNOWLEDGE_PDF_MAX_PAGES + 1} pages: at most ${KNOWLEDGE_PDF_MAX_PAGES} are read`);
});

test('a PDF whose text passes the knowledge limit is refused once read that far', async () => {
  // Each page shows ten lines of 10,000 characters: the 11th page passes 1,000,000.
  const lines = `(${'a'.repeat(10_000)}) ' `.repeat(10);
  await expect(readPdf(makePdf({ pages: 20, content: `BT /F1 1 Tf 2 TL 0 14000 Td ${lines} ET` }))).rejects.toThrow(`is longer than ${KNOWLEDGE_MAX_CHARS} characters`);
});
