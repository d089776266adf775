/** CSV in (an uploaded audience) and out (the recipients export): RFC 4180 quoting, nothing more. */

export interface ParsedCsv {
  columns: string[];
  /** One object per data row, by column name; the row number (1 = first data row) as `__row`. */
  rows: Record<string, string>[];
}

/** The rows of CSV text: quoted fields may hold commas, quotes ("") and line breaks; a BOM and CRLF are accepted. */
export const parseRows = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i += 1) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('a quoted value is never closed (a " is missing)');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
};

/** The CSV's header row and its data rows by column name (columns trimmed; a missing cell is empty); throws on a malformed file. */
export const parseCsv = (text: string): ParsedCsv => {
  const [header = [], ...data] = parseRows(text);
  const columns = header.map((c) => c.trim());
  if (columns.some((c) => c === '')) throw new Error('every column needs a name in the header row');
  const twice = columns.find((c, i) => columns.indexOf(c) !== i);
  if (twice) throw new Error(`the column ${twice} appears twice in the header row`);
  return { columns, rows: data.map((cells, i) => Object.fromEntries([...columns.map((c, j) => [c, (cells[j] ?? '').trim()]), ['__row', String(i + 1)]])) };
};

/**
 * One cell of an export. A spreadsheet runs a cell starting with = + - @ (or a tab or carriage
 * return before one) as a formula, so such a cell gets a leading apostrophe; then RFC 4180 quoting.
 */
export const csvCell = (value: unknown): string => {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  // A plain signed number (an E.164 phone) is no formula and stays as it is.
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;
